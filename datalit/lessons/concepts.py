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
reference. The self-test checks that every wrong option gets its own reason.

Options are shown in an order shuffled per learner, so "pick (나)" or "pick the longest" cannot be learnt
from a neighbour or from the authoring habits (issue #20). The order is stable for one learner: it is seeded
by the learner's name (``JUPYTERHUB_USER`` in a hub kernel, else a fixed seed, so papermill and tests see
one order) and the question's name. Labels keep their authored sequence ((가), (나), ...); the texts move.
The learner answers with the label they SEE; the check maps it back to the authored option, and feedback
and the solution speak in shown labels. O/X questions keep their order (O means true). The authored key is
what a lesson's solution cell names: ``answer_q5 = q5.shown("다")``."""
from __future__ import annotations

import hashlib
import os
import random
from typing import Any, Callable

from datalit.lessons.checkers.korean import josa
from datalit.lessons.checks import _MISSING, NOT_ANSWERED, OK_MARK, CheckResult, Question, _caller_namespace


FIXED_SEED = "datalit"  # the learner outside a hub (papermill, `datalit lesson run`, tests): one stable order
UNSHUFFLED = ({"O", "X"},)  # label sets whose order carries meaning


def _learner() -> str:
    return os.environ.get("JUPYTERHUB_USER") or FIXED_SEED


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
        self._authored_answer = answer if callable(answer) else (lambda: _key(answer))
        super().__init__(name, prompt=prompt, reference=self._authored_answer, checker=self._check,
                         variable=variable, hints=hints, points=points,
                         solution=f"{variable or 'answer'} = ...  # 보기의 기호 하나 (예: \"{next(iter(self.options))}\")")

    # ----- the shown order ------------------------------------------------------------------------
    @property
    def prompt(self) -> str:
        """The question and its options as this learner sees them (what ``print(qN.prompt)`` shows)."""
        return f"{self.question}\n{self.options_text()}"

    @prompt.setter
    def prompt(self, value: str) -> None:
        self.question = value

    def order(self, learner: str | None = None) -> list[str]:
        """Authored keys in the order shown to ``learner`` (default: this kernel's learner)."""
        keys = list(self.options)
        if set(keys) in UNSHUFFLED:
            return keys
        seed = hashlib.sha256(f"{learner or _learner()}|{self.name}".encode()).digest()
        random.Random(seed).shuffle(keys)
        return keys

    def shown_options(self, learner: str | None = None) -> dict[str, str]:
        """Shown label -> option text."""
        return {label: self.options[k] for label, k in zip(self.options, self.order(learner))}

    def options_text(self, learner: str | None = None) -> str:
        return "\n".join(f"  ({k}) {v}" for k, v in self.shown_options(learner).items())

    def show(self) -> None:
        """Print the options in this learner's order: a lesson's markdown asks the question, this cell
        lists the options (markdown cannot shuffle)."""
        print(self.options_text())

    def shown(self, authored: str, learner: str | None = None) -> str:
        """The label this learner sees for the authored option ``authored`` (a solution cell's answer)."""
        authored = _key(authored)
        if authored not in self.options:
            raise ValueError(f"{self.name}: {authored!r} is not one of the authored options")
        return list(self.options)[self.order(learner).index(authored)]

    def authored(self, label: str, learner: str | None = None) -> str | None:
        """The authored key behind a shown label (None if the label is no option)."""
        labels = list(self.options)
        label = _key(label)
        return self.order(learner)[labels.index(label)] if label in labels else None

    def expected(self, **params):
        """The right option's SHOWN label for this learner (feedback, solution and checks speak in it)."""
        return self.shown(super().expected(**params))

    def authored_answer(self, **params) -> str:
        """The right option's authored key (what the fairness rule of ``datalit lesson check`` counts)."""
        return _key(super().expected(**params))

    def _check(self, answer, expected) -> str | None:
        key, right = _key(answer), _key(expected)
        if key not in self.options:
            keys = ", ".join(f'"{k}"' for k in self.options)
            return f"답은 보기의 기호 중 하나여야 해요: {keys} (지금 답: {answer!r})."
        if key == right:
            return None
        authored = self.authored(key)
        return f"({key}) {josa(repr(self.options[authored]), '은/는')} 답이 아니에요. {self.why[authored]}"

    def solution_code(self) -> str:
        right = self.expected()
        authored = self.authored(right)
        reason = self.why.get(authored, "")
        return f'{self.variable or "answer"} = "{right}"  # {self.options[authored]}. {reason}'.strip()

    def check(self, answer=_MISSING, *, strict: bool = False, quiet: bool = False, **params) -> CheckResult:
        namespace = _caller_namespace(2)
        if answer is _MISSING:
            answer = namespace.get(self.variable) if self.variable else None
        msg = self.feedback(answer, namespace, **params)
        if msg is not None:
            return super().check(answer, strict=strict, quiet=quiet, **params)
        result = super().check(answer, strict=strict, quiet=True, **params)
        if not quiet:
            right = _key(answer)
            authored = self.authored(right)
            print(f"{OK_MARK} {self.name} 정답이에요! ({right}) {self.options[authored]}")
            if self.why.get(authored):
                print(f"   {self.why[authored]}")
        return result

    def selftest(self, **params) -> list[str]:
        """The right option passes; every other option fails with its own reason; nonsense and an empty
        answer get the list of options and the not-answered message."""
        problems = []
        p = self._params(params, None)
        right_authored = _key(self._authored_answer(**p))
        if right_authored not in self.options:
            return [f"{self.name}: the answer {right_authored!r} is not one of the options"]
        right = self.shown(right_authored)
        if self.feedback(right, {}, **p) is not None:
            problems.append(f"{self.name}: the right option fails its own check")
        for label in self.options:
            if label == right:
                continue
            got = self.feedback(label, {}, **p) or ""
            why = self.why.get(self.authored(label))
            if not why or why not in got:
                problems.append(f"{self.name}: option {label} should explain itself but said: {got}")
        if "보기의 기호" not in (self.feedback("없는 보기", {}, **p) or ""):
            problems.append(f"{self.name}: an answer that is no option does not list the options")
        for t in (None, Ellipsis):
            if not (self.feedback(t, {}, **p) or "").startswith(NOT_ANSWERED):
                problems.append(f"{self.name}: an empty answer ({t!r}) does not give the not-answered message")
        return problems

    def wrong_cases(self, **params) -> list[tuple[str, str]]:
        """(authored key, feedback) for every wrong option: what ``datalit lesson feedback-stats`` counts."""
        p = self._params(params, None)
        right = self.authored_answer(**p)
        return [(k, self.feedback(self.shown(k), {}, **p)) for k in self.options if k != right]


def concepts_in(module) -> list[Concept]:
    return [v for v in vars(module).values() if isinstance(v, Concept)]


__all__ = ["Concept", "concepts_in"]
