"""How specific is the feedback? Over every exercise's wrong-answer self-tests (``Wrong`` examples), count the
cases whose feedback names the mistake versus those that get only a generic fragment.

    datalit lesson feedback-stats            # or: python -m datalit.lessons.feedback_stats
    specific 97/105 (92.4 %) ...

These are the mistakes each lesson lists itself; ``datalit lesson feedback-stats --mutants``
(``datalit.lessons.mutant_stats``) measures the mistakes nobody listed, by mutating every solution.

A case is **specific** when both hold:

* the feedback the learner sees is not a ``checkers.Generic`` fallback ("값이 정답보다 작아요…",
  "값이 3개 달라요…", "행 수가 정답보다 많아요…": it says that the answer differs, not why);
* the self-test's expected text (``Wrong.says``) is not itself a generic fragment, i.e. it has a word
  beyond 정답보다 / 달라요 / 값이 / 커요 / 많아요 ... (numbers, quoted names and brackets ignored): a
  test that only expects "달라요" cannot tell a named mistake from a generic one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from datalit.lessons.checkers import Generic

GENERIC_WORDS = frozenset("""
값 값이 값은 값의 값을 행 행이 행의 수 수가 개 개가 개수 개수가 개수는 답 답이 내 열 열의 정답 정답보다 정답과 정답이 정답에
달라요 다릅니다 틀렸어요 커요 작아요 많아요 적어요 높아요 낮아요 넓어요 좁아요 반대예요 아니에요 없는 있어요 그려진
""".split())
_IGNORED = re.compile(r"'[^']*'|\"[^\"]*\"|\([^)]*\)|[\d,.:;!?·—–\-%]+")


def generic_says(says: str) -> bool:
    """True if an expected-feedback fragment has no word beyond the generic vocabulary (or is empty)."""
    words = _IGNORED.sub(" ", says).split()
    return all(w in GENERIC_WORDS for w in words)


@dataclass
class Case:
    module: str
    question: str
    says: str
    feedback: str | None
    diagnosed: bool

    @property
    def generic_feedback(self) -> bool:
        return self.feedback is None or isinstance(self.feedback, Generic)

    @property
    def specific(self) -> bool:
        return not self.generic_feedback and not generic_says(self.says)


def cases(modules: list[str] | None = None) -> list[Case]:
    """Every Wrong example of every exercise module (default parameters), with the feedback it gets."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from datalit.lessons.checks import questions_in
    from datalit.lessons.concepts import Concept
    from datalit.lessons.exercises import load_module, module_names

    out = []
    for name in modules or module_names():
        for q in questions_in(load_module(name)):
            params = q._params({}, None)
            if isinstance(q, Concept):  # each wrong option is a case; its reason is the feedback
                out += [Case(name, q.name, q.why[key], got, False) for key, got in q.wrong_cases()]
                continue
            for i, w in enumerate(q.wrong):
                answer = q._made_wrong(i, params)
                got = q.feedback(answer, {}, **params)
                diagnosed = got is not None and q.diagnosis(answer, params) == got
                out.append(Case(name, q.name, w.says, got, diagnosed))
            plt.close("all")
    return out


def specific_share(found: list[Case]) -> float:
    return sum(c.specific for c in found) / len(found) if found else 0.0


def report(found: list[Case], verbose: bool = False) -> str:
    n = len(found)
    specific = sum(c.specific for c in found)
    lines = []
    for c in found:
        if verbose or not c.specific:
            mark = "ok     " if c.specific else ("GENERIC" if c.generic_feedback else "WEAK   ")
            lines.append(f"{mark} {c.module}.{c.question}  says={c.says!r}  feedback={c.feedback}")
    lines.append(f"specific {specific}/{n} ({specific_share(found):.1%}); generic feedback {sum(c.generic_feedback for c in found)}, "
                 f"generic expected text {sum(generic_says(c.says) for c in found)}, "
                 f"named by a diagnosed Wrong {sum(c.diagnosed for c in found)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m datalit.lessons.feedback_stats", description=__doc__.split("\n")[0])
    ap.add_argument("modules", nargs="*", help="exercise modules (default: all), e.g. beginner.mean_median")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the specific cases too")
    ap.add_argument("--min", type=float, default=None, help="exit 1 if the specific share is below this (0..1)")
    args = ap.parse_args(argv)
    return run(args.modules, args.verbose, args.min)


def run(modules=(), verbose: bool = False, minimum: float | None = None) -> int:
    """Print the report; the exit status is 1 if the specific share is below ``minimum``."""
    found = cases(list(modules) or None)
    print(report(found, verbose))
    return 1 if minimum is not None and specific_share(found) < minimum else 0


if __name__ == "__main__":
    raise SystemExit(main())
