"""Forming teams from a cohort list, for instructors who do not bring a roster.

The cohort is a CSV with a header and one row per person. Only the hub user name is required; the
other columns are optional and recognised by their header (case-insensitive, Korean or English):

    user        사용자, 아이디, 계정, username, id, member   (required: the hub user name)
    name        이름, 성명                                   (shown when the teams are printed)
    department  소속, 부서, dept                             (kept apart with ``separate_by``)
    tier        과정, 수준, level                            (balanced with ``balanced_by``)
    rank        직급, position

Any other column may be used for balancing or separating by its exact header. Files are read as
UTF-8 (with or without BOM) or CP949 (Excel's Korean default).

Forming: the number of teams is chosen so that sizes are as close to SIZE as possible, they differ
by at most one, and nobody is alone (unless the cohort is one person). People are dealt round-robin
over the teams: in a random (seeded) order, or, balanced, grouped by the balancing column so that
every team gets floor or ceil of each group's share. Then, if a column to separate by is given,
swaps between teams (of people with the same balancing value, so the balance holds) remove as many
same-department pairs as they can. The same cohort, options and seed always give the same teams.

The result is written as a roster CSV (``lab,team,member``) that ``datalit team import`` reads, and
the choices (seed, options, the cohort file's hash) beside it in ``<out>.forming.json``.
"""
from __future__ import annotations

import csv
import hashlib
import json
import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from datalit.labs.course import LabError
from datalit.labs.roster import TEAM_ID, USER_ID

TEAM_PREFIX = "team"        # team ids: team01, team02, ... (a valid roster team id)
ATTEMPTS = 30               # dealings tried when separating (the one with the fewest same-column pairs wins)
ALIASES = {
    "user": ("user", "username", "member", "id", "사용자", "사용자명", "아이디", "계정"),
    "name": ("name", "이름", "성명"),
    "department": ("department", "dept", "소속", "부서"),
    "tier": ("tier", "level", "과정", "수준"),
    "rank": ("rank", "position", "직급"),
}
LABELS = {"name": "이름", "department": "소속", "tier": "과정", "rank": "직급"}


class FormingError(LabError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("팀을 만들 수 없습니다:\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass
class Person:
    user: str
    row: dict[str, str] = field(default_factory=dict)  # header (as written) -> value

    def get(self, header: str | None) -> str:
        return self.row.get(header, "") if header else ""


@dataclass
class Cohort:
    people: list[Person]
    headers: list[str]
    columns: dict[str, str]   # canonical key -> the header used in this file

    def column(self, wanted: str) -> str:
        """The header for WANTED (a canonical key, an alias, or a header as written)."""
        w = wanted.strip().lower()
        for key, aliases in ALIASES.items():
            if (w == key or w in aliases) and key in self.columns:
                return self.columns[key]
        for h in self.headers:
            if h.lower() == w:
                return h
        raise FormingError([f"'{wanted}' 열이 명단에 없습니다 (있는 열: {', '.join(self.headers)})"])


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "cp949"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise FormingError([f"{path}: 글자 인코딩을 읽을 수 없습니다 (UTF-8 또는 CP949 CSV로 저장하세요)"])


def read_cohort(path: str | Path) -> Cohort:
    path = Path(path)
    if not path.is_file():
        raise FormingError([f"파일이 없습니다: {path}"])
    reader = csv.DictReader([ln for ln in _read_text(path).splitlines() if ln.strip()])
    headers = [(h or "").strip() for h in (reader.fieldnames or [])]
    rows = list(reader)
    if not headers or not rows:
        raise FormingError([f"{path}: 비어 있습니다 (머리줄과 한 줄 이상의 사람이 필요합니다)"])
    columns = {}
    for key, aliases in ALIASES.items():
        for h in headers:
            if h.lower() == key or h.lower() in aliases:
                columns[key] = h
                break
    if "user" not in columns:
        raise FormingError([f"{path}: 사용자 이름 열(user 또는 사용자/아이디)이 없습니다 (지금 머리줄: {', '.join(headers)})"])
    problems: list[str] = []
    people: list[Person] = []
    first_row: dict[str, int] = {}
    for n, raw in enumerate(rows, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        user = row.get(columns["user"], "")
        if not user:
            problems.append(f"{n}행: 사용자 이름이 비어 있습니다")
        elif not USER_ID.match(user):
            problems.append(f"{n}행: 사용자 이름 '{user}'이(가) 올바르지 않습니다 (영문 소문자·숫자·_.- 32자 이내)")
        elif user in first_row:
            problems.append(f"{n}행: '{user}'이(가) 두 번 있습니다 ({first_row[user]}행에도 있음)")
        else:
            first_row[user] = n
            people.append(Person(user, row))
    if problems:
        raise FormingError(problems)
    return Cohort(people, headers, columns)


def team_count(n: int, size: int) -> int:
    """Teams for N people of about SIZE: sizes differ by at most one, nobody alone (n > 1); the count
    closest to SIZE (largest deviation, then total deviation), ties to fewer, larger teams."""
    if n <= 1:
        return n
    lo, hi = max(1, n // size), -(-n // size)

    def cost(k: int) -> tuple[int, int, int]:
        sizes = team_sizes(n, k)
        return max(abs(s - size) for s in sizes), sum(abs(s - size) for s in sizes), k

    return min((k for k in {lo, hi} if n // k >= 2), key=cost)


def team_sizes(n: int, k: int) -> list[int]:
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def same_pairs(teams: list[list[Person]], header: str | None) -> int:
    """Pairs of teammates with the same (non-empty) value in HEADER."""
    if not header:
        return 0
    total = 0
    for team in teams:
        for value, c in Counter(p.get(header) for p in team).items():
            if value:
                total += c * (c - 1) // 2
    return total


def _deal(people: list[Person], k: int, balance: str | None, rng: random.Random) -> list[list[Person]]:
    order = sorted(people, key=lambda p: p.user)  # the file's row order does not matter
    rng.shuffle(order)
    if balance:
        groups: dict[str, list[Person]] = {}
        for p in order:
            groups.setdefault(p.get(balance), []).append(p)
        values = sorted(groups)
        rng.shuffle(values)
        order = [p for v in values for p in groups[v]]
    teams: list[list[Person]] = [[] for _ in range(k)]
    for i, p in enumerate(order):
        teams[i % k].append(p)
    rng.shuffle(teams)
    return teams


def _separate(teams: list[list[Person]], header: str, balance: str | None, rng: random.Random) -> None:
    """Swap people between teams (same BALANCE value) while that lowers the same-HEADER pairs."""
    counts = [Counter(p.get(header) for p in t) for t in teams]
    improved = True
    while improved:
        improved = False
        spots = [(i, j) for i, t in enumerate(teams) for j in range(len(t))]
        rng.shuffle(spots)
        for a, (ti, pi) in enumerate(spots):
            for tj, pj in spots[a + 1:]:
                p, q = teams[ti][pi], teams[tj][pj]
                if ti == tj or (balance and p.get(balance) != q.get(balance)):
                    continue
                dp, dq = p.get(header), q.get(header)
                if dp == dq:
                    continue
                # pairs lost by moving p out of ti and q out of tj, gained by the moves in
                before = (counts[ti][dp] - 1 if dp else 0) + (counts[tj][dq] - 1 if dq else 0)
                after = (counts[tj][dp] if dp else 0) + (counts[ti][dq] if dq else 0)
                if after < before:
                    teams[ti][pi], teams[tj][pj] = q, p
                    counts[ti][dp] -= 1
                    counts[ti][dq] += 1
                    counts[tj][dq] -= 1
                    counts[tj][dp] += 1
                    improved = True
                    break
            if improved:
                break


def form(cohort: Cohort, size: int, seed: int, balanced_by: str | None = None,
         separate_by: str | None = None) -> list[list[Person]]:
    """Teams of about SIZE from COHORT; the same inputs and SEED give the same teams."""
    if size < 2:
        raise FormingError([f"팀 크기는 2 이상이어야 합니다 (지금: {size})"])
    balance = cohort.column(balanced_by) if balanced_by else None
    separate = cohort.column(separate_by) if separate_by else None
    k = team_count(len(cohort.people), size)
    rng = random.Random(seed)
    best, best_pairs = None, None
    for _ in range(ATTEMPTS if separate else 1):
        teams = _deal(cohort.people, k, balance, rng)
        if separate:
            _separate(teams, separate, balance, rng)
        pairs = same_pairs(teams, separate)
        if best is None or pairs < best_pairs:
            best, best_pairs = teams, pairs
        if pairs == 0:
            break
    for team in best:
        team.sort(key=lambda p: p.user)
    return best


def new_seed() -> int:
    return secrets.randbelow(1_000_000)


def team_ids(k: int) -> list[str]:
    width = max(2, len(str(k)))
    ids = [f"{TEAM_PREFIX}{i:0{width}d}" for i in range(1, k + 1)]
    assert all(TEAM_ID.match(t) for t in ids)
    return ids


def write_roster(out: str | Path, teams: list[list[Person]], labs: list[str]) -> Path:
    """The roster CSV ``datalit team import`` reads: lab,team,member, the same teams for each lab."""
    out = Path(out)
    lines = ["lab,team,member"]
    for lab in labs:
        for tid, team in zip(team_ids(len(teams)), teams):
            lines += [f"{lab},{tid},{p.user}" for p in team]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def record_path(out: str | Path) -> Path:
    out = Path(out)
    return out.with_name(out.stem + ".forming.json")


def describe(cohort: Cohort, teams: list[list[Person]], seed: int, balanced_by: str | None,
             separate_by: str | None) -> list[str]:
    """The teams in Korean, one block per team, with the balance and separation outcome."""
    balance = cohort.column(balanced_by) if balanced_by else None
    separate = cohort.column(separate_by) if separate_by else None
    sizes = "·".join(str(len(t)) for t in teams)
    how = f"{balance} 균형" if balance else "무작위"
    lines = [f"팀 구성: {how}, seed {seed} — {len(cohort.people)}명, {len(teams)}팀 ({sizes}명)"]
    shown = [h for key, h in cohort.columns.items() if key in LABELS]
    for tid, team in zip(team_ids(len(teams)), teams):
        lines.append(f"{tid} ({len(team)}명)")
        for p in team:
            extra = " · ".join(p.get(h) for h in shown if p.get(h))
            lines.append(f"  {p.user}" + (f"  {extra}" if extra else ""))
    if balance:
        values = sorted({p.get(balance) for p in cohort.people})
        lines.append(f"{balance}별 팀당 인원: " + ", ".join(
            f"{v or '(빈칸)'} {min(c) if min(c) == max(c) else f'{min(c)}~{max(c)}'}명" for v in values
            for c in [[sum(1 for p in t if p.get(balance) == v) for t in teams]]))
    if separate:
        left = same_pairs(teams, separate)
        lines.append(f"같은 {separate}끼리 한 팀: " + ("없음" if not left else f"{left}쌍 (더 나눌 수 없었습니다)"))
    return lines


def form_file(cohort_path: str | Path, size: int, labs: list[str], known_labs: list[str] | None = None,
              seed: int | None = None, balanced_by: str | None = None, separate_by: str | None = None,
              out: str | Path | None = None, force: bool = False) -> dict:
    """Read the cohort, form the teams, write the roster (and its record) if OUT is given."""
    unknown = [lab for lab in labs if known_labs is not None and lab not in known_labs]
    if unknown:
        raise FormingError([f"알 수 없는 실습 '{lab}' (있는 실습: {', '.join(known_labs or [])})" for lab in unknown])
    if not labs:
        raise FormingError(["실습이 없습니다 (--lab 으로 지정하세요)"])
    if out is not None and Path(out).exists() and not force:
        raise FormingError([f"{out}이(가) 이미 있습니다 (덮어쓰려면 --force)"])
    cohort = read_cohort(cohort_path)
    seed = new_seed() if seed is None else seed
    teams = form(cohort, size, seed, balanced_by, separate_by)
    result = {"seed": seed, "teams": teams, "cohort": cohort,
              "lines": describe(cohort, teams, seed, balanced_by, separate_by), "roster": None}
    if out is not None:
        result["roster"] = write_roster(out, teams, labs)
        record = {"cohort": str(cohort_path), "cohort_sha256": hashlib.sha256(Path(cohort_path).read_bytes()).hexdigest(),
                  "size": size, "seed": seed, "balanced_by": balanced_by, "separate_by": separate_by, "labs": labs,
                  "teams": {tid: [p.user for p in t] for tid, t in zip(team_ids(len(teams)), teams)}}
        record_path(out).write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    return result
