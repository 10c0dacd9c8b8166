"""Seoul bus: ridership by route × stop × hour (May 2022) and stop locations (2025-05-13).

Datasets: seoul_bus_stop_hourly_ridership_202205, seoul_bus_stops.
ARS stop numbers are 5-digit text in both ("01001"), so they join directly.
"""
from __future__ import annotations

import io
import re
import zipfile

import numpy as np
import pandas as pd

from datalit.data.readers.common import rename_strict

# --- seoul_bus_stop_hourly_ridership_202205 -------------------------------------------------

HOURS = list(range(24))
_ARS = re.compile(r"^(\d{5}|~)$")
_SEP = "\x1f"  # stands in for commas inside names while the C parser runs
COUNT_COLUMNS = [f"{kind}_{h:02d}" for h in HOURS for kind in ("boardings", "alightings")]


def _hour_labels() -> list[str]:
    labels = []
    for h in HOURS:
        hh = "00" if h == 0 else str(h)  # the header writes 00시, 1시, 2시 … 23시
        labels += [f"{hh}시승차총승객수", f"{hh}시하차총승객수"]
    return labels


def _split_row(line: str, lineno: int) -> list[str]:
    """One unquoted row; 노선명 and 역명 may contain commas (54–55 fields instead of 53).

    Field 0 = month, 1 = route number, last 48 = counts. In between, the ARS number is the
    first field matching ^\\d{5}$ or ^~$ whose predecessor ends with ')' (노선명 always ends
    with the '(기점~종점)' part): before it is 노선명, after it 역명.
    """
    parts = line.split(",")
    middle = parts[2:-48]
    if len(middle) == 3:
        return [parts[0], parts[1], *middle, *parts[-48:]]
    for i in range(1, len(middle) - 1):
        if _ARS.match(middle[i]) and middle[i - 1].endswith(")"):
            return [parts[0], parts[1], ",".join(middle[:i]), middle[i], ",".join(middle[i + 1:]), *parts[-48:]]
    raise ValueError(f"line {lineno}: cannot find the ARS stop number in {line[:120]!r}")


def _read_bus_text(path) -> str:
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if not n.endswith("/")]
        if len(names) != 1:
            raise ValueError(f"{path}: expected one file in the zip, found {names}")
        return zf.read(names[0]).decode("utf-8")


def read_bus_ridership_wide(paths) -> pd.DataFrame:
    """One row per route × stop; 48 hour columns boardings_00 … alightings_23."""
    text = _read_bus_text(paths[0])
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header = lines[0].rstrip("\r").lstrip("\ufeff").split(",")
    # header cell 0 is '"사용년월' with a stray quote (artefact of the uploader's trimming)
    header[0] = header[0].lstrip('"')
    expected = ["사용년월", "노선번호", "노선명", "버스정류장ARS번호", "역명", *_hour_labels()]
    if header != expected:
        raise ValueError(f"{paths[0]}: unexpected header {header}")
    # Rows with commas inside 노선명/역명 are re-joined with a placeholder so that the C parser
    # reads every row positionally (53 fields); the placeholder is turned back into ','.
    body = []
    for n, line in enumerate(lines[1:], start=2):
        line = line.rstrip("\r")
        if line.count(",") != 52:
            f = _split_row(line, n)
            line = ",".join([*f[:2], f[2].replace(",", _SEP), f[3], f[4].replace(",", _SEP), *f[5:]])
        body.append(line)
    names = ["month", "route_no", "route_name", "ars_id", "stop_name", *COUNT_COLUMNS]
    raw = pd.read_csv(
        io.StringIO("\n".join(body)), header=None, names=names, engine="c", quoting=3,
        dtype={**{c: "str" for c in names[:5]}, **{c: "int64" for c in COUNT_COLUMNS}},
        keep_default_na=False,
    )
    out = raw[names[:5]].copy()
    out["month"] = pd.to_datetime(out["month"].str.strip(), format="%Y%m")
    for col in ("route_no", "route_name", "ars_id", "stop_name"):
        out[col] = out[col].str.replace(_SEP, ",", regex=False).str.strip()
    out["ars_id"] = out["ars_id"].replace("~", pd.NA)
    out.insert(4, "gu", gu_from_ars(out["ars_id"]))
    return pd.concat([out, raw[COUNT_COLUMNS]], axis=1)


def read_bus_ridership(paths) -> pd.DataFrame:
    """Long form: one row per route × stop × hour (0–23).

    About 970,000 rows: the text columns are categoricals (about 40 MB instead of 130 MB).
    """
    wide = read_bus_ridership_wide(paths)
    n = len(wide)
    keys = wide[["month", "route_no", "route_name", "ars_id", "gu", "stop_name"]].copy()
    for col in ("route_no", "route_name", "ars_id", "gu", "stop_name"):
        keys[col] = keys[col].astype("category")
    long = keys.iloc[np.repeat(np.arange(n), 24)].reset_index(drop=True)
    long["hour"] = np.tile(np.arange(24, dtype="int64"), n)
    long["boardings"] = wide[[f"boardings_{h:02d}" for h in HOURS]].to_numpy().reshape(-1)
    long["alightings"] = wide[[f"alightings_{h:02d}" for h in HOURS]].to_numpy().reshape(-1)
    return long


def gu_from_ars(ars: pd.Series) -> pd.Series:
    """District from an ARS stop number: its first two digits are the 자치구 code 01–25
    (종로구 … 강동구, the order of GU_NAMES). Other prefixes (stops outside Seoul) → missing.
    Checked against the district boundaries: 99 % of seoul_bus_stops fall inside that gu;
    the rest sit on a border."""
    from datalit.data.readers.common import GU_NAMES

    prefix = pd.to_numeric(ars.astype("string").str.slice(0, 2), errors="coerce")
    names = pd.Series(GU_NAMES, index=range(1, 26), dtype="str")
    return pd.Series(names.reindex(prefix).to_numpy(), index=ars.index, dtype="str")


# --- seoul_bus_stops ---------------------------------------------------------------------------

STOP_COLUMNS = {
    "NODE_ID": "node_id", "ARS_ID": "ars_id", "정류소명": "stop_name",
    "Y좌표": "lat", "X좌표": "lon", "정류소타입": "stop_type",
}


def read_bus_stops(paths) -> pd.DataFrame:
    # .xlsx, sheet "Data", one header row; ARS_ID must stay text ("01001")
    frame = pd.read_excel(paths[0], sheet_name="Data", dtype={"ARS_ID": str}, engine="openpyxl")
    frame = rename_strict(frame, STOP_COLUMNS)
    frame["node_id"] = frame["node_id"].astype("int64")
    for col in ("ars_id", "stop_name", "stop_type"):
        frame[col] = frame[col].astype("str").str.strip()
    bad = ~frame["ars_id"].str.fullmatch(r"\d{5}")
    if bad.any():
        raise ValueError(f"{paths[0]}: ARS numbers not 5 digits: {frame.loc[bad, 'ars_id'].head().tolist()}")
    for col in ("lat", "lon"):
        frame[col] = frame[col].astype("float64")
    frame.insert(3, "gu", gu_from_ars(frame["ars_id"]))
    return frame
