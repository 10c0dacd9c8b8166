"""IPython extension loaded in every hub kernel: a Korean explanation when the home's disk limit is hit.

A write past ``hub.disk_limit`` fails in the kernel with ENOSPC ("No space left on device", or EDQUOT
under quotas). After such a cell this prints what happened and what to do, under the usual traceback.
It uses the ``post_run_cell`` event, so it does not take the custom-exception slot that the lesson
error explainer (``%load_ext datalit.lessons.explain``) uses.
"""
from __future__ import annotations

import errno
import shutil

MESSAGE = ("\n💾 datalit 도움말: 내 폴더의 저장 공간({limit})이 가득 차서 파일을 더 쓸 수 없습니다. "
           "필요 없는 파일(큰 CSV, 중간 결과, 복사본)을 지우고 다시 실행하세요. 더 필요하면 관리자에게 문의하세요.")
FULL = {errno.ENOSPC, errno.EDQUOT}


def is_disk_full(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno in FULL:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _limit() -> str:
    try:
        import os

        total = shutil.disk_usage(os.path.expanduser("~")).total
        return f"약 {total / 1024 ** 3:.1f} GB" if total >= 1024 ** 3 else f"약 {total // 1024 ** 2} MB"
    except OSError:
        return "한도"


def _after_cell(result) -> None:
    if is_disk_full(getattr(result, "error_in_exec", None)):
        print(MESSAGE.format(limit=_limit()), flush=True)


def load_ipython_extension(ipython) -> None:
    if _after_cell not in ipython.events.callbacks["post_run_cell"]:
        ipython.events.register("post_run_cell", _after_cell)


def unload_ipython_extension(ipython) -> None:
    if _after_cell in ipython.events.callbacks["post_run_cell"]:
        ipython.events.unregister("post_run_cell", _after_cell)
