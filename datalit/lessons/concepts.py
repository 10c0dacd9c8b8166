"""Conceptual questions: what a chart supports, whether a claim is causal, which denominator is fair, what
a dataset cannot say. The learner picks one option; every option carries the reason it is right or wrong,
and that reason is the feedback (never a generic "틀렸어요")::

    from datalit.lessons.concepts import Concept

    q5 = Concept(
        "q5", variable="answer_q5",
        prompt="위 차트만으로 말할 수 있는 것은?",
        options={"가": "CCTV가 많아서 범죄가 줄었다", "나": "CCTV가 많은 구에 범죄 신고도 많다"},
        answer="나",
        why={"가": "두 값이 같이 움직인다는 것(상관)만으로는 원인을 말할 수 없어요. 인구가 많은 구는 둘 다 많아요.",
             "나": "차트가 보여 주는 건 함께 큰 경향(상관)까지예요."},
    )

``answer`` may be a function of the lesson's parameters (``lambda gu="마포구": "가" if ... else "나"``) when
the right option depends on the data the learner looked at; it is computed from the real data like any
reference. The self-test checks that every wrong option gets its own reason."""
from __future__ import annotations

from typing import Any, Callable

from datalit.lessons.checks import _MISSING, NOT_ANSWERED, OK_MARK, CheckResult, Question, _caller_namespace


def _key(value: Any) -> str:
    """'나', ' 나 ', '(나)', '나)', 2 and '2.' all mean the same option."""
    return str(value).strip().strip("().").strip()


class Concept(Question):
    """One multiple-choice (or O/X) question whose feedback explains each option."""

    def __init__(self, name: str, *, prompt: str, options: dict[str, str], answer: str | Callable[..., str],
                 why: dict[str, str], variable: str | None = None, hints: list[str] | tuple[str, ...] = (),
                 points: float = 1.0):
        self.options = {_key(k): v for k, v in options.items()}
        self.why = {_key(k): v for k, v in why.items()}
        static = not callable(answer)
        missing = [k for k in self.options if k not in self.why and (not static or k != _key(answer))]
        if missing:
            raise ValueError(f"{name}: no reason given for option(s) {', '.join(missing)}")
        if static and _key(answer) not in self.options:
            raise ValueError(f"{name}: the answer {answer!r} is not one of the options")
        reference = answer if callable(answer) else (lambda: _key(answer))
        shown = "\n".join(f"  ({k}) {v}" for k, v in self.options.items())
        super().__init__(name, prompt=f"{prompt}\n{shown}", reference=reference, checker=self._check,
                         variable=variable, hints=hints, points=points,
                         solution=f"{variable or 'answer'} = ...  # 보기의 기호 하나 (예: \"{next(iter(self.options))}\")")

    def _check(self, answer, expected) -> str | None:
        key, right = _key(answer), _key(expected)
        if key not in self.options:
            keys = ", ".join(f'"{k}"' for k in self.options)
            return f"답은 보기의 기호 중 하나여야 해요: {keys} (지금 답: {answer!r})."
        if key == right:
            return None
        return f"({key}) '{self.options[key]}'은(는) 답이 아니에요. {self.why[key]}"

    def solution_code(self) -> str:
        right = self.expected()
        reason = self.why.get(_key(right), "")
        return f'{self.variable or "answer"} = "{right}"  # {self.options[_key(right)]}. {reason}'.strip()

    def check(self, answer=_MISSING, *, strict: bool = False, quiet: bool = False, **params) -> CheckResult:
        namespace = _caller_namespace(2)
        if answer is _MISSING:
            answer = namespace.get(self.variable) if self.variable else None
        msg = self.feedback(answer, namespace, **params)
        if msg is not None:
            return super().check(answer, strict=strict, quiet=quiet, **params)
        if not quiet:
            right = _key(answer)
            print(f"{OK_MARK} {self.name} 정답이에요! ({right}) {self.options[right]}")
            if self.why.get(right):
                print(f"   {self.why[right]}")
        return CheckResult(True)

    def selftest(self, **params) -> list[str]:
        """The right option passes; every other option fails with its own reason; nonsense and an empty
        answer get the list of options and the not-answered message."""
        problems = []
        p = self._params(params, None)
        right = _key(self.reference(**p))
        if right not in self.options:
            return [f"{self.name}: the answer {right!r} is not one of the options"]
        if self.feedback(right, {}, **p) is not None:
            problems.append(f"{self.name}: the right option fails its own check")
        for key in self.options:
            if key == right:
                continue
            got = self.feedback(key, {}, **p) or ""
            if not self.why.get(key) or self.why[key] not in got:
                problems.append(f"{self.name}: option {key} should explain itself but said: {got}")
        if "보기의 기호" not in (self.feedback("없는 보기", {}, **p) or ""):
            problems.append(f"{self.name}: an answer that is no option does not list the options")
        for t in (None, Ellipsis):
            if not (self.feedback(t, {}, **p) or "").startswith(NOT_ANSWERED):
                problems.append(f"{self.name}: an empty answer ({t!r}) does not give the not-answered message")
        return problems

    def wrong_cases(self, **params) -> list[tuple[str, str]]:
        """(option, feedback) for every wrong option: what ``datalit lesson feedback-stats`` counts."""
        p = self._params(params, None)
        right = _key(self.reference(**p))
        return [(k, self.feedback(k, {}, **p)) for k in self.options if k != right]


def concepts_in(module) -> list[Concept]:
    return [v for v in vars(module).values() if isinstance(v, Concept)]


__all__ = ["Concept", "concepts_in"]
