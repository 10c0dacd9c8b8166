"""The grader's client of a graded kernel: jupyter_client's own, without a fixed wait at every kernel start.

jupyter_client's ``wait_for_ready`` ends by emptying the IOPub channel until nothing has arrived for 0.2 s:
every team's kernel cost 0.2 s in which neither the worker nor the kernel did anything (on two cores
with two workers, a core left idle). The only messages it can find there are the kernel's status messages
for ``kernel_info``; nbclient, which runs the cells next, ignores every IOPub message whose parent is not
the cell it executes, so they need no waiting for. Everything else (send ``kernel_info`` until a reply
comes and IOPub is seen to be connected, fail when the kernel dies or the time is up) is as upstream.
"""
from __future__ import annotations

import time
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient

FLUSH_SECONDS = 0.005  # what is already there is read; what is late is ignored by nbclient anyway


class GradingKernelClient(AsyncKernelClient):

    async def wait_for_ready(self, timeout: float | None = None) -> None:  # type: ignore[override]
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                msg = await self.get_shell_msg(timeout=1)
            except Empty:
                pass
            else:
                if msg["msg_type"] == "kernel_info_reply":
                    try:  # IOPub is connected when the request's status message came through
                        await self.get_iopub_msg(timeout=0.2)
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(msg)
                        break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
        while True:
            try:
                await self.get_iopub_msg(timeout=FLUSH_SECONDS)
            except Empty:
                break
