"""nbgrader's Execute, with the student kernel in the sandbox and the grader protected from it.

Configured in ``grading/nbgrader_config.py`` as the first of ``Autograde.autograde_preprocessors``,
so ``nbgrader autograde`` itself (and ``datalit lab autograde``'s workers) run it:

* the kernel is started by :class:`datalit.labs.sandbox.SandboxKernelManager` (when root);
* before each test cell the checking modules (``datalit.lessons*``, ``labchecks*``) are
  dropped from the kernel's ``sys.modules``, so the test re-imports them from disk: a student cell
  that monkeypatches ``Question.feedback`` cannot make a wrong answer pass;
* output beyond ``max_output_bytes`` per notebook is dropped in the grader as it arrives, so
  printing 100 MB neither fills the grader's memory nor the gradebook;
* a kernel that dies (sys.exit in a thread, os._exit, OOM kill, fork bomb, the wall-clock
  watchdog) does not abort grading: the cell gets a Korean error, the remaining cells are marked
  as not run (0 points), and the notebook is saved and graded as usual.
"""
from __future__ import annotations

import os

from nbclient.exceptions import DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer, default

from datalit.labs import messages
from datalit.labs.sandbox import SandboxKernelManager, can_sandbox


def _lab_config() -> dict:
    from datalit.config import load_config
    return load_config()["lab"]


def hidden_paths(cfg: dict) -> list[str]:
    from datalit.paths import checkout_path, repo_path
    paths = [cfg.get("course_dir") or os.getcwd(),  # lab.course_dir (DATALIT_LAB_COURSE_DIR too)
             cfg["exchange_dir"], cfg["teams_dir"], str(repo_path("labs")), str(repo_path("grading")),
             str(checkout_path("labs")), str(checkout_path("grading")), str(checkout_path(".git"))]
    return list(dict.fromkeys(os.path.abspath(p) for p in paths if p))


FRESH_CHECKS = """
import sys as _dl_sys
for _dl_m in [_m for _m in list(_dl_sys.modules) if _m.startswith(("datalit.lessons", "labchecks"))]:
    del _dl_sys.modules[_dl_m]
_dl_sys.path[:] = [%r] + [_p for _p in _dl_sys.path if _p != %r]
del _dl_sys
"""


def fresh_checks_code(checks_root: str) -> str:
    """Forget the checking modules and put the real checks first on sys.path: a ``labchecks`` folder
    shipped in a submission (the kernel's cwd) cannot stand in for them."""
    return FRESH_CHECKS % (checks_root, checks_root)


class SandboxedExecute(Execute):

    sandbox = Bool(True, help="Run the kernel in the sandbox (only possible as root)").tag(config=True)
    max_output_bytes = Integer(0, help="Output kept per notebook; 0 = the lab config's value").tag(config=True)

    @default("kernel_manager_class")
    def _km_default(self):
        return SandboxKernelManager

    @default("shutdown_kernel")
    def _shutdown_default(self):
        # every output is in once the last cell replied: a graceful shutdown only ran the team's atexit code
        # and waited for the kernel's exit in 0.1 s polls; the sandbox (or the sidecar) kills what is left
        return "immediate"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxKernelManager)
        super().__init__(*args, **kwargs)
        self._cfg = _lab_config()
        if self.max_output_bytes <= 0:
            self.max_output_bytes = int(self._cfg["max_output_bytes"])

    # -- kernel --------------------------------------------------------------------------------
    def create_kernel_manager(self):
        # the notebook's own kernel name is ignored: OverwriteKernelspec restored the source's
        self.kernel_name = "python3"
        km = super().create_kernel_manager()
        if isinstance(km, SandboxKernelManager):
            cfg = self._cfg
            km.enabled = bool(self.sandbox and cfg["sandbox"] and can_sandbox())
            km.slot = int(os.environ.get("DATALIT_SANDBOX_SLOT", "0"))
            km.user_prefix = cfg["sandbox_user_prefix"]
            km.sandbox_dir = cfg["sandbox_dir"]
            km.cpu_seconds = int(cfg["cpu_seconds"])
            km.memory_mb = int(cfg["memory_mb"])
            km.max_processes = int(cfg["max_processes"])
            km.wall_seconds = int(cfg["timeout"])
            km.max_file_mb = int(cfg["max_file_mb"])
            km.hidden_paths = hidden_paths(cfg)
            km.data_cache = os.environ.get("DATALIT_SANDBOX_CACHE", os.path.join(cfg["sandbox_dir"], "cache"))
            km.forked = True  # only where a worker started a sandboxed fork server (datalit lab autograde)
        return km

    def preprocess(self, nb, resources=None, km=None):
        self._dead = False
        self._out_bytes = 0
        self._out_cut = False
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if self._dead:
            cell.outputs = [self._error("SandboxKernelDead", messages.KILLED_TEXT)]
            return cell, resources
        try:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution"):
                self._fresh_checks()
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._dead = True
            events = self.km.diagnose() if hasattr(self.km, "diagnose") else []
            key = next((e for e in ("processes", "memory", "cpu", "wall_timeout") if e in events), "dead_kernel")
            text = messages.note(key, timeout=self._cfg["timeout"], memory_mb=self._cfg["memory_mb"],
                                 max_processes=self._cfg["max_processes"], cpu_seconds=self._cfg["cpu_seconds"])
            cell.outputs.append(self._error(f"Sandbox_{key}", text))
            proc = getattr(getattr(self.km, "provisioner", None), "process", None)
            self.log.warning("kernel died in cell %s (%s; events %s; exit %s)", index, key, events,
                             proc.poll() if proc is not None else "?")
            return cell, resources

    def _fresh_checks(self) -> None:
        """Before a test cell: forget the imported checking modules, so the test imports them fresh."""
        for _ in range(3):  # right after a failed cell the kernel briefly aborts new requests
            msg_id = self.kc.execute(fresh_checks_code(self._checks_root()), silent=True, store_history=False)
            reply = self.wait_for_reply(msg_id, None)
            if not reply or reply["content"].get("status") != "aborted":
                return

    def _checks_root(self) -> str:
        from datalit.labs.sandbox import labchecks_root
        from datalit.paths import checkout_path

        if getattr(self.km, "enabled", False):
            return str(labchecks_root(self._cfg["sandbox_dir"]))
        return str(checkout_path("grading"))

    @staticmethod
    def _error(ename: str, text: str) -> NotebookNode:
        return NotebookNode(output_type="error", ename=ename, evalue=text,
                            traceback=[f"\x1b[0;31m{ename}\x1b[0m: {text}"])

    # -- output cap ----------------------------------------------------------------------------
    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        size = len(content.get("text", "")) + sum(len(str(v)) for v in content.get("data", {}).values())
        self._out_bytes += size
        if self._out_bytes > self.max_output_bytes and msg["msg_type"] in (
                "stream", "display_data", "execute_result", "update_display_data"):
            if not self._out_cut:
                self._out_cut = True
                outs.append(NotebookNode(output_type="stream", name="stderr", text=messages.OUTPUT_CUT_TEXT))
            return None
        return super().output(outs, msg, display_id, cell_index)
