"""seoul_population_by_dong_age_2025q1: KOSIS DT_201003_A010006, registered population by
행정동 x 5-year age group x nationality, 2024 Q4 and 2025 Q1.

The KOSIS export has no gu column and dong names repeat (신사동 in 관악구 and 강남구). Rows are
in official gu order, so the gu is recovered by walking the rows against the (gu, dong) lists of
seoul_admin_dong_codes and seoul_dong_boundaries admdong_2021 (a dong name is looked up in the
current gu or a later one). A dong newer than both lists (개포3동, 상일1동, 상일2동) takes the gu
of its neighbours, which must agree.
"""
from __future__ import annotations

import csv
import io
import re

import pandas as pd

from datalit.data.readers.common import GU_NAMES, normalize_dong

HEADER = ["동별", "연령별", "항목", "단위"]
ITEMS = {"계": "population", "한국인": "korean", "등록외국인": "foreigners"}
TOTAL_AGE = "합계"


def _rows(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        text = fh.read()
    # the last line is cut off ("-","- : no closing quote); csv.reader closes the field at EOF
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    if header[:4] != HEADER or len(header) < 6:
        raise ValueError(f"unexpected header: {header}")
    periods = header[4:6]
    for i, row in enumerate(body, start=2):
        if len(row) not in (6, 7) or (len(row) == 7 and row[6] != ""):
            raise ValueError(f"line {i}: expected 6 values and an empty trailing field, got {row}")
    return [periods] + [r[:6] for r in body]


def _period(label: str) -> str:
    m = re.fullmatch(r"\s*(\d{4})\.\s*([1-4])/4\s*", label)
    if not m:
        raise ValueError(f"unexpected period header {label!r}")
    return f"{m.group(1)}.{m.group(2)}/4"


def _assign_gu(dongs: list[str]) -> list[str]:
    from datalit import data

    codes = data.load("seoul_admin_dong_codes")
    bounds = data.load("seoul_dong_boundaries", "admdong_2021")
    where: dict[str, set[int]] = {}
    for frame in (codes, bounds):
        for gu, dong in zip(frame["gu"], frame["dong"]):
            where.setdefault(dong, set()).add(GU_NAMES.index(gu))
    out: list[int | None] = []
    current, used = 0, set()
    for dong in dongs:
        options = [g for g in sorted(where.get(dong, [])) if g >= current and (g, dong) not in used]
        if options:
            current = options[0]
            used.add((current, dong))
            out.append(current)
        else:
            out.append(None)
    for i, g in enumerate(out):
        if g is None:   # not in the code list: take the neighbours' gu, which must agree
            before = next((x for x in reversed(out[:i]) if x is not None), None)
            after = next((x for x in out[i + 1:] if x is not None), None)
            if before is None or (after is not None and after != before) or (after is None and before != len(GU_NAMES) - 1):
                raise ValueError(f"cannot tell the gu of dong {dongs[i]!r} from row order")
            out[i] = before
    if sorted(set(out)) != list(range(len(GU_NAMES))):
        raise ValueError("not every gu was found in the dong sequence")
    return [GU_NAMES[g] for g in out]


def _long(path) -> pd.DataFrame:
    rows = _rows(path)
    periods = [_period(p) for p in rows[0]]
    raw = pd.DataFrame(rows[1:], columns=[*HEADER, *periods])
    raw["동별"] = normalize_dong(raw["동별"]).astype(str)
    for col in ("연령별", "항목"):
        raw[col] = raw[col].str.strip()
    unknown = set(raw["항목"]) - set(ITEMS)
    if unknown:
        raise ValueError(f"unexpected 항목 values: {sorted(unknown)}")
    # one gu per run of consecutive rows with the same dong name
    run = (raw["동별"] != raw["동별"].shift()).cumsum()
    run_names = raw.groupby(run, sort=True)["동별"].first()
    gu_of_run = dict(zip(run_names.index, _assign_gu(run_names.tolist())))
    raw["gu"] = run.map(gu_of_run)
    long = raw.melt(id_vars=["gu", "동별", "연령별", "항목"], value_vars=periods, var_name="period", value_name="n")
    # '-' means zero here: 계 = 한국인 + 등록외국인 holds on every row only when '-' is read as 0
    long["n"] = pd.to_numeric(long["n"].str.strip().replace("-", "0"), errors="raise").astype("int64")
    wide = long.pivot_table(index=["period", "gu", "동별", "연령별"], columns="항목", values="n",
                            aggfunc="first", sort=False).reset_index()
    wide = wide.rename(columns={"동별": "dong", "연령별": "age_group", **ITEMS})
    wide.columns.name = None
    return wide


def _age_bounds(label: str) -> tuple[int, int | None]:
    m = re.fullmatch(r"(\d+)~(\d+)세", label)
    if m:
        return int(m.group(1)), int(m.group(2))
    m = re.fullmatch(r"(\d+)세 이상", label)
    if m:
        return int(m.group(1)), None
    raise ValueError(f"unexpected age group {label!r}")


def read_by_age(paths) -> pd.DataFrame:
    wide = _long(paths[0])
    frame = wide[wide["age_group"] != TOTAL_AGE].copy()
    labels = list(dict.fromkeys(frame["age_group"]))
    bounds = {lab: _age_bounds(lab) for lab in labels}
    order = sorted(labels, key=lambda lab: bounds[lab][0])
    frame["age_from"] = frame["age_group"].map(lambda lab: bounds[lab][0]).astype("int64")
    frame["age_to"] = frame["age_group"].map(lambda lab: bounds[lab][1]).astype("Int64")
    frame["age_group"] = pd.Categorical(frame["age_group"], categories=order, ordered=True)
    cols = ["period", "gu", "dong", "age_group", "age_from", "age_to", *ITEMS.values()]
    for col in ("period", "gu", "dong"):
        frame[col] = frame[col].astype(str)
    return frame.reset_index(drop=True)[cols]


def read_dong_total(paths) -> pd.DataFrame:
    wide = _long(paths[0])
    frame = wide[wide["age_group"] == TOTAL_AGE]
    cols = ["period", "gu", "dong", *ITEMS.values()]
    frame = frame.reset_index(drop=True)[cols].copy()
    for col in ("period", "gu", "dong"):
        frame[col] = frame[col].astype(str)
    return frame
