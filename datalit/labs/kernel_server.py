"""The grading kernels' fork server (``datalit.kernels.forkserver``, sandboxed): one per autograde run.

Every graded kernel is a fresh process forked from a server that imported pandas, matplotlib, scikit-learn
and ipykernel once; it confines itself (namespaces, hidden paths, limits, the slot's user) from the spec
its worker sends with each request, so one server serves every worker and slot. Measured (12 teams, CPU seconds
per process from /proc): a server cost 3.3-3.7 s of CPU (3.0-3.2 s without jsonschema); one per worker paid
that once per worker, after the pool had started, so no team was graded before they were done. The run's
parent now launches the server first, before it imports nbgrader and checks the course: the two overlap.

The server never runs student code and never reads course files; it only forks for the grader's root
processes (peer credentials) and refuses unconfined requests. Its environment is bare (SANDBOX_SERVER_ENV):
a kernel can read its parent's initial environment.
"""
from __future__ import annotations

import os

# what the labs' kernels import (kept in the fork server's memory, so each kernel starts warm); not
# matplotlib_inline.backend_inline: imported outside IPython it never hooks the inline figures up
KERNEL_PRELOAD = ("koreanize_matplotlib", "datalit.hangul", "datalit.lessons.checks",
                  "sklearn.feature_extraction.text", "sklearn.linear_model", "sklearn.model_selection",
                  "sklearn.pipeline")
# Not preloaded, though every graded kernel imports them (py-spy): pdb, IPython.core.oinspect, sqlite3,
# stack_data, pandas.plotting._matplotlib, pyarrow.dataset. While they were in the fork server, kernels forked
# into the sandbox's limits died before answering kernel_info in tests/labs/test_adversarial.py (suspected:
# pyarrow starts threads, and forking after that is unsafe); left out until shown safe.
# Not preloaded either: jsonschema. No graded kernel imports it (the catalog is validated once, when the cache
# is warmed, and the server reads the catalog before forking), and importing it builds rfc3987_syntax's 38
# parsers (~1.5-2 s of CPU; the parent defers them: worker_cache.defer_iri_parser).
NOT_FOR_GRADING = ("jsonschema",)


def grading_preload() -> tuple[str, ...]:
    from datalit.kernels import forkserver

    return tuple(m for m in forkserver.PRELOAD if m not in NOT_FOR_GRADING) + KERNEL_PRELOAD


def server_env(cache_env: dict) -> dict:
    """The server's environment: this process's, with the sandbox cache, without secrets (then made bare)."""
    from datalit.databases import without_secrets

    return without_secrets(dict(os.environ, **cache_env))


def launch(env: dict) -> bool:
    """Start this process's grading server without waiting for its imports; False when this process already
    runs a fork server that is not the grader's (a report batch's): the workers then start their own."""
    from datalit.kernels import forkserver

    if forkserver.running():
        return False
    forkserver.launch(preload=grading_preload(), sandboxed=True, env=env)
    return True


def ready(env: dict) -> str | None:
    """Wait until the launched server has imported; its socket (None: it failed, kernels start cold)."""
    from datalit.kernels import forkserver

    return forkserver.start(preload=grading_preload(), sandboxed=True, env=env)


def use_in_worker(sock: str | None, env: dict | None) -> None:
    """In a pool worker: fork kernels from the parent's server (SOCK), else from a server of its own (ENV),
    else none. The handle a worker inherits from its parent is never its own to use or stop."""
    from datalit.kernels import forkserver

    forkserver.attach(sock)
    if not sock and env is not None:
        forkserver.start(preload=grading_preload(), sandboxed=True, env=env)


def stop() -> None:
    from datalit.kernels import forkserver

    forkserver.stop()
