"""The kernel container's per-kernel limits (datalit/labs/kernel_sidecar.py), as the grader's kernel manager sees them.

nbgrader's SandboxKernelManager (unconfined in the pod: ``lab.sandbox`` is off there) starts the kernelspec's
``connect``; the sidecar runs as another unix account in its own PID namespace (as in
test_k8s_grading_run.py). A kernel spinning on the CPU is killed at ``lab.cpu_seconds`` and the grader's
diagnosis says "cpu" (the note the team gets, as on one machine); a kernel that sleeps is killed at the
wall clock ``lab.timeout``; the sidecar ends when the grader does.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time

import pytest

from test_k8s_grading_run import kernel_account, pod_folders, sidecar_command

pytestmark = [pytest.mark.grading, pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="the kernel container's uid is a unix account (root)")]


async def _kernel_running(code: str, cwd: str) -> tuple[float, list[str]]:
    """Start a kernel as nbgrader does in the pod, run CODE; (seconds from the kernel's start until it died, the
    grader's diagnosis). From the start: the sidecar's wall clock runs from there, not from the first cell."""
    from datalit.labs.sandbox import SandboxKernelManager

    km = SandboxKernelManager(kernel_name="python3")
    km.enabled = False  # as nbgrader's SandboxedExecute makes it in the pod (lab.sandbox off)
    t0 = time.monotonic()
    await km.start_kernel(cwd=cwd)
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=60)
        kc.execute(code)
        while await km.is_alive():
            assert time.monotonic() - t0 < 60, "the kernel outlived its limit"
            await asyncio.sleep(0.1)
        return time.monotonic() - t0, km.diagnose()
    finally:
        kc.stop_channels()
        await km.cleanup_resources()


def test_cpu_seconds_and_wall_clock_end_a_kernel(tmp_path, monkeypatch):
    from datalit.labs.kernel_request import grader_side

    # a kernel's own start-up takes about 1 CPU-second, more on a loaded machine: limits with room above it;
    # the wall clock far enough above the CPU limit that a spinning kernel with a fifth of a core (CI: three
    # workers on two cores) reaches its CPU limit first
    monkeypatch.setenv("DATALIT_LAB_CPU_SECONDS", "4")
    monkeypatch.setenv("DATALIT_LAB_TIMEOUT", "20")
    work = tmp_path / "lab1_bike_story"  # the autograded folder: the kernel manager's working folder
    work.mkdir()
    with kernel_account() as account:
        base, share, kernel_tmp = pod_folders(account)
        log_path = base / "sidecar.log"
        sidecar = None
        try:
            with open(log_path, "wb") as log:
                sidecar = subprocess.Popen(sidecar_command(account, [
                    sys.executable, "-I", "-m", "datalit.labs.kernel_sidecar", "serve", "--share", str(share),
                    "--work", str(kernel_tmp)]), cwd="/", stdout=log, stderr=log)
            with grader_side(share):
                _, cpu_events = asyncio.run(_kernel_running("while True: pass", str(work)))
                wall_seconds, wall_events = asyncio.run(_kernel_running("import time; time.sleep(600)", str(work)))
            assert cpu_events == ["cpu"]  # SandboxedExecute's note for the team: 'cpu', as on one machine
            assert 19 <= wall_seconds < 45 and wall_events == [], wall_seconds  # 20 s from the start, not 600
            assert sidecar.wait(timeout=30) == 0  # the grader has ended: so does the sidecar
            text = log_path.read_text(errors="replace")
            assert "(cpu, exit -24)" in text and "(wall_timeout," in text, text
        finally:
            if sidecar is not None and sidecar.poll() is None:
                sidecar.kill()
            shutil.rmtree(base, ignore_errors=True)
