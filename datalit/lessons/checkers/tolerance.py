"""Checkers shared by the lessons whose answers come from random resampling or model fitting.

Such answers are compared with a tolerance, and the feedback names the usual mistakes (90 % instead of
95 %, one-sided p-value, a score measured on the training data...)::

    ck.interval()                  # a (low, high) pair, e.g. a bootstrap confidence interval
    ck.probability(abs_tol=0.05)   # a p-value or a share (0..1)
    ck.score(abs_tol=0.02, name="R²")
"""
from __future__ import annotations

import math

from datalit.lessons.checkers.scalar import Generic, number
from datalit.lessons.checkers.korean import josa


def _is_num(x) -> bool:
    import numpy as np

    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_))


def interval(pos_tol: float = 0.12, width_tol: float = 0.12):
    """A (low, high) pair, e.g. a bootstrap confidence interval, compared with a tolerance."""

    def check(answer, expected):
        import numpy as np

        if _is_num(answer):
            return "답이 숫자 하나예요. 구간은 (아래 끝, 위 끝) 두 숫자로 만드세요: (np.percentile(d, 2.5), np.percentile(d, 97.5))"
        try:
            vals = [float(v) for v in np.asarray(answer, dtype=float).ravel()]
        except (TypeError, ValueError):
            return f"답은 (아래 끝, 위 끝) 두 숫자여야 하는데 {josa(type(answer).__name__, '이/가')} 들어 있어요."
        if len(vals) != 2:
            return f"구간은 숫자 두 개(아래 끝, 위 끝)여야 하는데 {len(vals)}개예요."
        lo, hi = vals
        elo, ehi = (float(v) for v in expected)
        if any(math.isnan(v) for v in vals):
            return "구간에 NaN(빈 값)이 있어요. 빈 값을 dropna()로 뺐는지 확인하세요."
        if lo > hi:
            return "아래 끝이 위 끝보다 커요. (아래, 위) 순서로 쓰세요."
        width, ewidth = hi - lo, ehi - elo
        tol = pos_tol * ewidth
        if abs(lo + ehi) <= tol and abs(hi + elo) <= tol and abs(elo + ehi) > tol:
            return "구간의 부호가 반대예요. 차이는 '주말 평균 − 평일 평균' 순서로 계산하세요."
        if width < (1 - width_tol) * ewidth:
            return ("구간이 정답보다 좁아요. 95% 구간은 2.5와 97.5 백분위수예요 (5와 95는 90% 구간). "
                    "재표본은 원래 표본과 같은 크기로, 복원추출(replace=True)로 뽑았나요?")
        if width > (1 + width_tol) * ewidth:
            return "구간이 정답보다 넓어요. 백분위수(2.5, 97.5)와 두 집단을 따로 재표본했는지 확인하세요."
        if abs(lo - elo) > tol or abs(hi - ehi) > tol:
            return ("구간의 폭은 비슷한데 위치가 달라요. 한 집단의 평균이 아니라 두 평균의 '차이'를 "
                    "재표본마다 계산했는지, 필터(자치구, 연도)를 확인하세요.")
        return None

    return check


def probability(abs_tol: float = 0.05):
    """A p-value or a share (0..1), compared with an absolute tolerance (random resampling differs a little)."""

    def check(answer, expected):
        if not _is_num(answer):
            return number()(answer, expected)
        a, e = float(answer), float(expected)
        if math.isnan(a):
            return "답이 NaN(빈 값)이에요. 빈 값이 있는 열을 계산하지 않았는지 확인하세요."
        if not 0 <= e <= 1 and abs(a - e) <= abs_tol:  # a known mistake (a count, a percentage) matched as made
            return None
        if a < 0 or a > 1:
            if 0 <= a / 100 <= 1 and abs(a / 100 - e) <= abs_tol:
                return "값이 정답보다 100배 커요. 확률(0~1)로 답하세요 (퍼센트가 아니라)."
            return ("확률(p값, 비율)은 0과 1 사이예요. 검정통계량(statistic)이 아니라 p값(.pvalue)이나 "
                    "비율을 계산했는지 확인하세요.")
        if abs(a - e) <= abs_tol:
            return None
        if abs(a * 2 - e) <= abs_tol:
            return ("정답의 절반쯤이에요. 한쪽 검정만 했나요? 차이의 방향을 모를 때는 양쪽 검정: "
                    "|순열 차이| ≥ |관측 차이|인 비율을 세세요.")
        direction = "커요" if a > e else "작아요"
        return Generic(f"값이 정답보다 {direction} (내 답 {a:.3f}). 계산 방법을 다시 확인하세요.")

    return check


def score(abs_tol: float = 0.02, name: str = "점수"):
    """A model score (R², accuracy...) with a tolerance; a far too good score means evaluation on seen data."""

    def check(answer, expected):
        if not _is_num(answer):
            return number()(answer, expected)
        a, e = float(answer), float(expected)
        if math.isnan(a):
            return "답이 NaN(빈 값)이에요."
        if 1 < a <= 100 and abs(a / 100 - e) <= abs_tol:
            return "값이 정답보다 100배 커요. 0~1 사이의 비율로 답하세요 (퍼센트가 아니라)."
        if abs(a - e) <= abs_tol:
            return None
        if a > e + max(0.05, 3 * abs_tol):
            return (f"{josa(name, '이/가')} 정답보다 너무 좋아요 (내 답 {a:.3f}). 모델이 이미 본 데이터로 평가하지 않았나요? "
                    "시험 데이터는 학습에 쓰지 않은 것이어야 해요 (시계열이면 시간 순서로 나중 것).")
        direction = "높아요" if a > e else "낮아요"
        return Generic(f"{josa(name, '이/가')} 정답보다 {direction} (내 답 {a:.3f}). 나누기, 특성(열), 모델 설정을 확인하세요.")

    return check
