"""The ``Question`` object: one self-checking exercise, used in lessons and as an nbgrader test.

See ``datalit.lessons`` for a full example. In short::

    q1.check()            # answer looked up by name in the notebook; prints Korean feedback, returns True/False
    q1.check(answer)      # explicit answer
    q1.assert_ok(answer)  # == q1.check(answer, strict=True): AssertionError with the Korean message
    q1.hint()             # next hint (progressive)
    q1.solution()         # prints the reference solution code
    q1.expected(gu="강남구")   # the reference answer for these parameters
    q1.selftest()         # [] if the reference passes and every Wrong example fails with its text
"""
from __future__ import annotations

import inspect
import sys
import textwrap
from dataclasses import dataclass
from typing import Any, Callable

from datalit.progress import post as progress
from datalit.progress.post import NOT_ANSWERED
OK_MARK = "✅"
BAD_MARK = "❌"
_MISSING = object()


@dataclass
class Wrong:
    """A typical wrong answer: ``make(**params)`` builds it, ``says`` must appear in its feedback (self-test).

    With ``diagnose=True`` the question also recognises the mistake: a learner's answer that equals
    ``make(**params)`` (by the question's own checker) gets ``says`` as its whole feedback, so write it as a
    full Korean sentence naming the mistake ("합계(sum)가 아니라 평균(mean)을 구했어요..."). Use it for
    the mistakes a checker cannot name from the answer alone: wrong filter, sum vs mean, mean vs median,
    missing group, wrong denominator, off-by-one period."""

    make: Callable[..., Any]
    says: str
    diagnose: bool = False


def _caller_namespace(depth: int = 2) -> dict:
    """The notebook's variables: the IPython user namespace if there is one, else the caller's globals."""
    try:
        from IPython import get_ipython

        ip = get_ipython()
        if ip is not None and getattr(ip, "user_ns", None) is not None:
            return ip.user_ns
    except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
        pass
    frame = sys._getframe(depth)
    return frame.f_globals


class CheckResult:
    """True/False from ``check()``; behaves as a bool but shows nothing in a notebook (the message was printed)."""

    __slots__ = ("ok", "message")

    def __init__(self, ok: bool, message: str | None = None):
        self.ok, self.message = bool(ok), message

    def __bool__(self) -> bool:
        return self.ok

    def __eq__(self, other) -> bool:
        return bool(other) == self.ok if isinstance(other, (bool, CheckResult)) else NotImplemented

    def __hash__(self) -> int:
        return hash(self.ok)

    def __repr__(self) -> str:
        return repr(self.ok)

    def _ipython_display_(self) -> None:  # the feedback is already printed; don't echo True/False
        return None


def _is_unanswered(value) -> bool:
    return value is None or value is Ellipsis


class Question:
    """One exercise. ``reference(**params)`` computes the right answer from the real data."""

    def __init__(self, name: str, *, prompt: str, reference: Callable[..., Any],
                 checker: Callable[[Any, Any], str | None], variable: str | None = None,
                 hints: list[str] | tuple[str, ...] = (), solution: str | None = None,
                 wrong: list[Wrong] | tuple[Wrong, ...] = (), points: float = 1.0,
                 make_answer: Callable[..., Any] | None = None):
        self.name = name
        self.prompt = prompt
        self.reference = reference
        self.checker = checker
        self.variable = variable
        self.hints = list(hints)
        self._solution = solution
        self.wrong = list(wrong)
        self.points = points
        # builds a correct learner answer for the self-test when it is not the reference itself (e.g. a chart)
        self.make_answer = make_answer
        self._hint_index = 0
        self._cache: dict[tuple, Any] = {}
        self._wrong_cache: dict[tuple, Any] = {}

    def __repr__(self) -> str:
        return f"<Question {self.name}: {self.prompt}>"

    # ----- parameters and reference -------------------------------------------------------------
    def parameter_names(self) -> list[str]:
        return list(inspect.signature(self.reference).parameters)

    def _params(self, explicit: dict, namespace: dict | None) -> dict:
        params = {}
        for pname, p in inspect.signature(self.reference).parameters.items():
            if pname in explicit:
                params[pname] = explicit[pname]
            elif namespace is not None and pname in namespace and not callable(namespace[pname]):
                params[pname] = namespace[pname]
            elif p.default is not inspect.Parameter.empty:
                params[pname] = p.default
            else:
                raise TypeError(f"{self.name}: parameter '{pname}' is needed to compute the reference answer")
        return params

    def expected(self, **params):
        """The reference answer (cached per parameter values)."""
        params = self._params(params, None)
        key = tuple(sorted((k, repr(v)) for k, v in params.items()))
        if key not in self._cache:
            self._cache[key] = self.reference(**params)
        return self._cache[key]

    def _made_wrong(self, i: int, params: dict):
        """The i-th Wrong example for these parameters (cached)."""
        w = self.wrong[i]
        kwargs = {k: v for k, v in params.items() if k in inspect.signature(w.make).parameters}
        key = (i, tuple(sorted((k, repr(v)) for k, v in kwargs.items())))
        if key not in self._wrong_cache:
            self._wrong_cache[key] = w.make(**kwargs)
        return self._wrong_cache[key]

    def diagnosis(self, answer, params: dict) -> str | None:
        """The message of the first ``Wrong(..., diagnose=True)`` that this (wrong) answer equals, else None."""
        for i, w in enumerate(self.wrong):
            if not w.diagnose:
                continue
            try:
                if self.checker(answer, self._made_wrong(i, params)) is None:
                    return w.says
            except Exception:  # noqa: BLE001 - a known mistake that cannot be built or compared: not this one
                continue
        return None

    # ----- checking -----------------------------------------------------------------------------
    def feedback(self, answer=_MISSING, namespace: dict | None = None, **params) -> str | None:
        """None if correct, else the Korean message (NOT_ANSWERED... for an empty answer)."""
        if namespace is None:
            namespace = _caller_namespace(3)
        if answer is _MISSING:
            if self.variable is None:
                raise TypeError(f"{self.name}.check() needs the answer: {self.name}.check(my_answer)")
            answer = namespace.get(self.variable)
        if _is_unanswered(answer):
            where = f" `{self.variable}`에 답을 넣고" if self.variable else ""
            return f"{NOT_ANSWERED}{where} 다시 실행해 보세요. 막히면 {self.name}.hint()를 불러 보세요."
        used = self._params(params, namespace)
        try:
            expected = self.expected(**used)
        except Exception as exc:  # noqa: BLE001 - e.g. a parameter value with no data: explain, don't crash
            shown = ", ".join(f"{k}={v!r}" for k, v in used.items())
            return (f"이 매개변수({shown})로는 정답을 계산할 수 없어요 ({type(exc).__name__}: {exc}). "
                    "매개변수 셀의 값(자치구·역 이름, 기간)이 데이터에 있는지 확인하세요.")
        try:
            msg = self.checker(answer, expected)
        except Exception as exc:  # noqa: BLE001 - a strange answer must give feedback, not a traceback
            return f"답을 확인하는 중에 문제가 생겼어요 ({type(exc).__name__}: {exc}). 답의 형태를 확인하세요."
        if msg is None:
            return None
        return self.diagnosis(answer, used) or self._reading(answer, namespace, used, msg)

    def _reading(self, answer, namespace, used: dict, msg: str) -> str:
        """A generic message replaced by the wrong reading of the solution the answer equals (year ±1, filter
        dropped...: datalit.lessons.mutants), else completed with the exercise's own conditions to check."""
        from datalit.lessons import mutants
        from datalit.lessons.checkers import Generic

        if not isinstance(msg, Generic) or not self._solution:
            return msg
        try:
            named = mutants.diagnose(self, answer, namespace, used, mutants.PRECOMPUTED.get(id(self)))
        except Exception:  # noqa: BLE001 - a diagnosis must never hide the checker's own message
            named = None
        if named:
            return named
        where = mutants.conditions(self._solution, used)
        return Generic(f"{msg} {where}") if where else msg

    def check(self, answer=_MISSING, *, strict: bool = False, quiet: bool = False, **params) -> CheckResult:
        """Print Korean feedback; truthy if correct. strict=True raises AssertionError instead of returning False.

        The result behaves like True/False (``bool(r)``, ``r == True``, ``assert r``) but shows no
        ``True``/``False`` line under the printed message in a notebook. In a learner's hub kernel the
        result also goes to their learning record (datalit/progress/post.py: queued, never waited for)."""
        namespace = _caller_namespace(2)
        msg = self.feedback(answer, namespace, **params)
        given = namespace.get(self.variable) if answer is _MISSING and self.variable else answer
        progress.record(self, "check", given, msg, ok=msg is None)
        if msg is None:
            if not quiet:
                print(f"{OK_MARK} {self.name} 정답이에요! {self.prompt}")
            return CheckResult(True)
        text = f"{BAD_MARK} {self.name}: {msg}"
        if strict:
            raise AssertionError(text)
        if not quiet:
            print(text)
            if not msg.startswith(NOT_ANSWERED) and self.hints:
                print(f"   도움이 필요하면 {self.name}.hint()를 실행하세요.")
        return CheckResult(False, msg)

    def assert_ok(self, answer=_MISSING, **params) -> None:
        """For nbgrader test cells: AssertionError with the Korean message unless correct."""
        msg = self.feedback(answer, _caller_namespace(2), **params)
        if msg is not None:
            raise AssertionError(f"{BAD_MARK} {self.name}: {msg}")

    # ----- help -----------------------------------------------------------------------------------
    def hint(self) -> None:
        """Print the next hint (then the last one again, with a pointer to solution())."""
        if not self.hints:
            text = f"💡 {self.name}: 준비된 힌트가 없어요. {self.name}.solution()으로 풀이를 볼 수 있어요."
        else:
            i = min(self._hint_index, len(self.hints) - 1)
            text = f"💡 {self.name} 힌트 {i + 1}/{len(self.hints)}: {self.hints[i]}"
            if i == len(self.hints) - 1:
                text += f"\n   그래도 어렵다면 {self.name}.solution()으로 풀이 코드를 볼 수 있어요."
            self._hint_index += 1
        progress.record(self, "hint")
        print(text)

    def solution_code(self) -> str:
        if self._solution:  # dedent, not cleandoc: a continuation line keeps its indent, as in the cell
            return textwrap.dedent(self._solution).strip()
        return inspect.getsource(self.reference)

    def solution(self) -> None:
        progress.record(self, "solution")
        print(f"📖 {self.name} 풀이:\n{self.solution_code()}")

    # ----- self-test --------------------------------------------------------------------------------
    def selftest(self, **params) -> list[str]:
        """Problems with this question (empty = fine): reference must pass, each Wrong must fail with its text."""
        problems = []
        p = self._params(params, None)
        if self.make_answer is not None:
            kwargs = {k: v for k, v in p.items() if k in inspect.signature(self.make_answer).parameters}
            ref = self.make_answer(**kwargs)
        else:
            ref = self.reference(**p)
        msg = self.checker(ref, self.expected(**p))
        if msg is not None:
            problems.append(f"{self.name}: the reference answer fails its own check: {msg}")
        if not self.wrong:
            problems.append(f"{self.name}: no Wrong example (a typical wrong answer) to test the feedback")
        for i, w in enumerate(self.wrong):
            got = self.feedback(self._made_wrong(i, p), {}, **p)
            if got is None:
                problems.append(f"{self.name}: wrong answer expected to say '{w.says}' passed the check")
            elif w.says not in got:
                problems.append(f"{self.name}: wrong answer should say '{w.says}' but said: {got}")
        for t in (None, Ellipsis):
            got = self.feedback(t, {}, **p)
            if not (got or "").startswith(NOT_ANSWERED):
                problems.append(f"{self.name}: an empty answer ({t!r}) does not give the not-answered message")
        return problems


def questions_in(module) -> list[Question]:
    """The Question objects defined in an exercise module, in name order (q1, q2, ... q10)."""
    qs = [v for v in vars(module).values() if isinstance(v, Question)]

    def order(q):
        digits = "".join(ch for ch in q.name if ch.isdigit())
        return (int(digits) if digits else 0, q.name)

    return sorted(qs, key=order)
