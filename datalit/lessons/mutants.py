"""Beginners' mistakes as AST mutations of an exercise's own solution, and naming them when a learner made one.

    >>> from datalit.lessons.mutants import mutants
    >>> [m.operator for m in mutants('x = df[(df["gu"] == gu) & (df["year"] == 2022)]["n"].sum()', {})]
    ['aggregate', 'aggregate', 'aggregate', 'filter', 'filter', 'filter', 'year', 'year']

Each ``Mutant`` is the solution rewritten the way a beginner goes wrong (year ±1, a filter condition dropped,
sum/mean/median/count/len swapped, ``>`` vs ``>=``, another denominator, a 0-based rank, train/test swapped,
one item more or less) with the Korean sentence that names that mistake in the exercise's own terms.

Two users: ``datalit lesson feedback-stats --mutants`` (``mutant_stats``) measures how many of them the
checkers name, and ``Question.feedback`` calls ``diagnose`` when a checker could only say "값이 정답보다
커요": the solution's mutants are run in a copy of the learner's namespace, and if the learner's answer
equals one of them, the learner gets that mutant's sentence ("2022년이 아니라 2021년 값이에요"). Why:
computing the answer under each plausible wrong reading is the only way to tell *which* wrong reading a
number came from. ``conditions`` names the solution's own conditions for the generic message that remains.
"""
from __future__ import annotations

import ast
import contextlib
import copy
import io
import re
import time
import warnings
from dataclasses import dataclass

from datalit.lessons.checkers.korean import josa

OPERATORS = ("year", "filter", "aggregate", "compare", "denominator", "rank", "leakage", "slice")
AGG_KO = {"sum": "합계", "mean": "평균", "median": "중앙값", "count": "개수", "len": "행 수", "nunique": "고유값 개수"}
AGG_SWAPS = {"sum": ("mean", "count", "len"), "mean": ("sum", "median", "count"), "median": ("mean",),
             "count": ("sum", "nunique"), "nunique": ("count",)}
_YEAR = range(2005, 2031)
_YEAR_TEXT = re.compile(r"^(20[0-3]\d)(-\d\d(-\d\d)?)?$")
_CMP_SWAP = {ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Lt: ast.LtE, ast.LtE: ast.Lt}
_CMP_TEXT = {ast.Gt: ">", ast.GtE: ">=", ast.Lt: "<", ast.LtE: "<="}
DIAGNOSE_SECONDS = 4.0  # a check waits at most this long for the wrong readings (then says what it has)
PRECOMPUTED: dict = {}  # id(question) -> readings, filled by mutant_stats while it measures (saves rerunning)


@dataclass
class Mutant:
    operator: str
    code: str
    message: str


def _src(node) -> str:
    return ast.unparse(node)


def _safe_eval(node, ns):
    """The value of a Name/Attribute/Subscript chain without calls (no side effects), else None."""
    for sub in ast.walk(node):
        if not isinstance(sub, (ast.Name, ast.Attribute, ast.Subscript, ast.Constant, ast.Load, ast.Tuple)):
            return None
    try:
        return eval(compile(ast.Expression(body=node), "<mutant>", "eval"), {}, dict(ns))  # noqa: S307
    except Exception:  # noqa: BLE001 - not evaluable here: no runtime facts for this node
        return None


def _param_note(node, params: dict) -> str:
    used = [n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in params]
    return "".join(f" ({k}={params[k]!r})" for k in dict.fromkeys(used))


def _is_condition(node, ns) -> bool:
    if isinstance(node, (ast.Compare, ast.BoolOp)) or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert)):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitAnd, ast.BitOr)):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "isin":
        return True
    if isinstance(node, ast.Name):
        v = ns.get(node.id)
        return getattr(getattr(v, "dtype", None), "kind", None) == "b"
    return False


def _alternatives(node, parents, ns, params, denominators):
    """(operator, make_replacement(fresh_node) -> node, message) for one node of the solution."""
    out = []
    in_denominator = id(node) in denominators
    # ---- year ±1 (not a random seed such as default_rng(2024) or random_state=2024)
    parent = parents.get(id(node))
    seed = (isinstance(parent, ast.keyword) and parent.arg in ("random_state", "seed")) or (
        isinstance(parent, ast.Call) and any(w in _src(parent.func).lower() for w in ("rng", "seed", "randomstate")))
    if seed:
        pass
    elif isinstance(node, ast.Constant) and type(node.value) is int and node.value in _YEAR:
        for d in (-1, 1):
            out.append(("year", lambda n, d=d: ast.Constant(n.value + d),
                        f"{node.value}년이 아니라 {node.value + d}년 값이에요. 연도 조건({node.value})을 확인하세요."))
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and _YEAR_TEXT.match(node.value):
        y = int(node.value[:4])
        for d in (-1, 1):
            out.append(("year", lambda n, d=d: ast.Constant(f"{int(n.value[:4]) + d}{n.value[4:]}"),
                        f"{y}년이 아니라 {y + d}년 값이에요 ({josa(repr(node.value), '이/가')} 아니라 '{y + d}{node.value[4:]}'). 기간을 확인하세요."))
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in ns and not seed:
        v = ns[node.id]
        if type(v) is int and v in _YEAR:
            for d in (-1, 1):
                out.append(("year", lambda n, d=d: ast.BinOp(ast.Name(n.id, ast.Load()), ast.Add(), ast.Constant(d)),
                            f"{v}년이 아니라 {v + d}년 값이에요. {node.id}({v}) 조건을 확인하세요."))
        elif isinstance(v, str) and _YEAR_TEXT.match(v):
            for d in (-1, 1):
                new = f"{int(v[:4]) + d}{v[4:]}"
                out.append(("year", lambda n, new=new: ast.Constant(new),
                            f"{v[:4]}년이 아니라 {new[:4]}년 값이에요 ({node.id}={josa(repr(v), '이/가')} 아니라 '{new}'). 기간을 확인하세요."))
    # ---- a filter condition dropped (inside a denominator it is the denominator's mistake)
    kind = "denominator" if in_denominator else "filter"
    where = "분모에서 " if in_denominator else ""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd):
        for keep, drop in (("left", node.right), ("right", node.left)):
            out.append((kind, lambda n, keep=keep: getattr(n, keep),
                        f"{where}조건 하나가 빠졌어요: {_src(drop)}{_param_note(drop, params)}. 이 조건도 & 로 함께 걸어야 해요."))
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
        sl = node.slice
        if _is_condition(sl, ns):
            out.append((kind, lambda n: n.value,
                        f"{where}필터 조건({_src(sl)}{_param_note(sl, params)})을 빠뜨려 모든 행을 썼어요. 조건에 맞는 행만 고르세요."))
        if isinstance(sl, ast.Tuple) and sl.elts and _is_condition(sl.elts[0], ns):
            def no_rows(n):
                n.slice.elts[0] = ast.Slice()
                return n
            out.append((kind, no_rows,
                        f"{where}.loc의 행 조건({_src(sl.elts[0])}{_param_note(sl.elts[0], params)})을 빠뜨려 모든 행을 썼어요."))
        if isinstance(sl, ast.Name) and sl.id in params:
            whole = ns.get(node.value.id) if isinstance(node.value, ast.Name) else None
            msg = (f"분모가 전체(서울 전체) 값이에요 — {params[sl.id]} 하나의 값으로 나누세요." if in_denominator else
                   f"{josa(params[sl.id], '이/가')} 아니라 전체(서울 전체) 값을 썼어요. {josa(f'[{sl.id}]', '으로/로')} {params[sl.id]} 값만 고르세요.")
            if isinstance(whole, dict):
                out.append((kind, lambda n: ast.parse(f"sum({_src(n.value)}.values())", mode="eval").body, msg))
            elif hasattr(whole, "sum"):
                out.append((kind, lambda n: ast.parse(f"{_src(n.value)}.sum()", mode="eval").body, msg))
    if isinstance(node, ast.comprehension):
        for i, cond in enumerate(node.ifs):
            def drop_if(n, i=i):
                del n.ifs[i]
                return n
            out.append(("filter", drop_if, f"조건(if {_src(cond)})을 빠뜨려 모든 항목을 모았어요."))
    if isinstance(node, ast.If) and not node.orelse:
        out.append(("filter", lambda n: n.body, f"조건(if {_src(node.test)})을 빠뜨려 모든 항목을 모았어요."))
    # ---- sum <-> mean <-> median <-> count, len() instead of sum()
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in AGG_SWAPS:
        a = node.func.attr
        for b in AGG_SWAPS[a]:
            if b == "len":
                make = lambda n: ast.Call(ast.Name("len", ast.Load()), [n.func.value], [])  # noqa: E731
            else:
                def make(n, b=b):
                    n.func.attr = b
                    return n
            out.append(("aggregate", make, f"{josa(AGG_KO[a] + f'({a})', '을/를')} 구해야 하는데 {josa(AGG_KO[b] + f'({b})', '을/를')} 구했어요."))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "sum" and len(node.args) == 1:
        out.append(("aggregate", lambda n: ast.Call(ast.Name("len", ast.Load()), n.args, []),
                    "합계(sum)를 구해야 하는데 개수(len)를 셌어요. 값을 더하려면 sum()이에요."))
    if (isinstance(node, ast.Constant) and node.value in AGG_SWAPS and isinstance(parents.get(id(node)), ast.Call)
            and getattr(parents[id(node)].func, "attr", None) in ("agg", "aggregate", "transform")):
        for b in AGG_SWAPS[node.value]:
            if b != "len":
                out.append(("aggregate", lambda n, b=b: ast.Constant(b),
                            f"{josa(AGG_KO[node.value] + f'({node.value})', '을/를')} 구해야 하는데 {josa(AGG_KO[b] + f'({b})', '을/를')} 구했어요."))
    # ---- > vs >=
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _CMP_SWAP:
        op, new = type(node.ops[0]), _CMP_SWAP[type(node.ops[0])]
        edge = _src(node.comparators[0]) + _param_note(node.comparators[0], params)
        did = "같은 값도 넣었어요" if new in (ast.GtE, ast.LtE) else "같은 값을 뺐어요"
        def swap(n, new=new):
            n.ops = [new()]
            return n
        out.append(("compare", swap, f"'{_CMP_TEXT[op]}' 대신 {josa(repr(_CMP_TEXT[new]), '을/를')} 써서 경계값 {josa(edge, '과/와')} {did}. "
                                     "문제의 '초과/이상/미만/이하'를 확인하세요."))
    # ---- another denominator column
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        cols = [s for s in ast.walk(node.right) if isinstance(s, ast.Subscript) and isinstance(s.slice, ast.Constant)
                and isinstance(s.slice.value, str)]
        for s in cols[:1]:
            frame = _safe_eval(s.value, ns)
            numeric = list(getattr(frame, "select_dtypes", lambda **k: None)(include="number").columns) if frame is not None and hasattr(frame, "select_dtypes") else []
            others = [c for c in numeric if c != s.slice.value][:3]
            path = [i for i, sub in enumerate(ast.walk(node.right)) if sub is s][0]
            for other in others:
                def other_column(n, path=path, other=other):
                    list(ast.walk(n.right))[path].slice = ast.Constant(other)
                    return n
                out.append(("denominator", other_column,
                            f"분모가 다른 열이에요: {josa(repr(s.slice.value), '이/가')} 아니라 {josa(repr(other), '으로/로')} 나눴어요."))
    # ---- 0- vs 1-based rank
    if (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.right, ast.Constant)
            and node.right.value == 1 and isinstance(parents.get(id(node)), ast.Assign)):
        out.append(("rank", lambda n: n.left, "순위가 0부터 시작했어요. 1위가 1이 되도록 1을 더하세요."))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "rank":
        out.append(("rank", lambda n: ast.BinOp(n, ast.Sub(), ast.Constant(1)),
                    "순위가 0부터 시작했어요. rank()는 1위를 1로 세요."))
    # ---- fitted / averaged on the test rows (leakage)
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and "train" in node.id:
        other = node.id.replace("train", "test")
        if other in ns:
            out.append(("leakage", lambda n, other=other: ast.Name(other, ast.Load()),
                        f"기준값이나 모델을 시험 데이터({other})로 구했어요 (정보 누설). 평균과 학습은 {node.id}로만 하세요."))
    # ---- one item more or less
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("head", "tail", "nlargest", "nsmallest")
            and node.args):
        for d in (-1, 1):
            out.append(("slice", lambda n, d=d: _shift_arg(n, d),
                        f"{_src(node.args[0])}개가 아니라 하나 {'적게' if d < 0 else '많이'} 골랐어요. {node.func.attr}()의 개수를 확인하세요."))
    if isinstance(node, ast.Slice) and node.upper is not None and node.lower is None:
        for d in (-1, 1):
            out.append(("slice", lambda n, d=d: ast.Slice(None, ast.BinOp(n.upper, ast.Add(), ast.Constant(d)), n.step),
                        f"[:{_src(node.upper)}]보다 하나 {'적게' if d < 0 else '많이'} 골랐어요. 자르는 끝 번호를 확인하세요."))
    if (isinstance(node, ast.List) and len(node.elts) >= 2 and all(isinstance(e, ast.Constant) for e in node.elts)
            and isinstance(node.ctx, ast.Load)):
        last = node.elts[-1].value
        out.append(("slice", lambda n: ast.List(n.elts[:-1], ast.Load()),
                    f"목록 {_src(node)}에서 {josa(repr(last), '이/가')} 빠졌어요. 목록의 항목을 확인하세요."))
        if all(type(e.value) is int for e in node.elts):
            out.append(("slice", lambda n: ast.List(n.elts + [ast.Constant(n.elts[-1].value + 1)], ast.Load()),
                        f"목록 {_src(node)}에 {josa(last + 1, '이/가')} 더 들어갔어요. 목록의 항목을 확인하세요."))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range" and len(node.args) == 2:
        for d in (-1, 1):
            out.append(("slice", lambda n, d=d: ast.Call(n.func, [n.args[0], ast.BinOp(n.args[1], ast.Add(), ast.Constant(d))], []),
                        f"{_src(node)}보다 항목이 하나 {'적어요' if d < 0 else '많아요'}. range의 끝은 포함되지 않아요."))
    return out


def _shift_arg(n, d):
    n.args[0] = ast.BinOp(n.args[0], ast.Add(), ast.Constant(d))
    return n


def _replace(tree, target, new) -> None:
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is target:
                setattr(parent, field, new)
                return
            if isinstance(value, list) and any(v is target for v in value):
                i = next(i for i, v in enumerate(value) if v is target)
                value[i:i + 1] = new if isinstance(new, list) else [new]
                return


def _index(tree):
    nodes = list(ast.walk(tree))
    parents = {id(c): p for p in nodes for c in ast.iter_child_nodes(p)}
    denominators = {id(s) for n in nodes if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div) for s in ast.walk(n.right)}
    return nodes, parents, denominators


def mutants(code: str, ns: dict, params: dict | None = None) -> list[Mutant]:
    """Every mutant of ``code``; ``ns`` (the namespace after the solution ran) gives the runtime facts
    (which names are years, DataFrames, train/test), ``params`` the lesson parameters named in messages."""
    params = params or {}
    tree = ast.parse(code)
    nodes, parents, denominators = _index(tree)
    out, seen = [], {ast.unparse(tree)}
    for i, node in enumerate(nodes):
        for operator, make, message in _alternatives(node, parents, ns, params, denominators):
            fresh = ast.parse(code)
            target = list(ast.walk(fresh))[i]
            try:
                new = make(copy.deepcopy(target))
                if new is target or new is None:
                    continue
                _replace(fresh, target, new)
                text = ast.unparse(ast.fix_missing_locations(fresh))
            except Exception:  # noqa: BLE001 - a rewrite that does not apply to this node
                continue
            if text not in seen:
                seen.add(text)
                out.append(Mutant(operator, text, message))
    return out


def copy_namespace(ns: dict) -> dict:
    """A namespace a mutant may change freely: containers and arrays copied, pandas objects shallow-copied
    (copy-on-write keeps the original's data safe)."""
    out = dict(ns)
    for k, v in ns.items():
        if k.startswith("_") or k in ("In", "Out"):
            continue
        if isinstance(v, (list, dict, set)):
            out[k] = copy.copy(v)
        elif type(v).__module__.startswith(("pandas", "geopandas", "numpy")) and hasattr(v, "copy"):
            try:
                out[k] = v.copy(deep=False) if type(v).__module__.startswith(("pandas", "geopandas")) else v.copy()
            except TypeError:
                out[k] = v.copy()
    return out


def run(code: str, ns: dict, variable: str):
    """Execute ``code`` in ``ns`` quietly (no printing) on a fresh current figure, as a new notebook cell
    would (pandas draws on the current one); new figures are left open for the caller; the variable."""
    import sys

    plt = sys.modules.get("matplotlib.pyplot")
    fig = plt.figure() if plt is not None else None
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a wrong reading's warnings are not the learner's
        exec(compile(code, "<solution>", "exec"), ns)  # noqa: S102 - the lesson's own (mutated) solution
    value = ns.get(variable)
    if fig is not None and not type(value).__module__.startswith("matplotlib"):
        plt.close(fig)  # no chart answer: the fresh figure is not needed (a chart's is closed by the caller)
    return value


@contextlib.contextmanager
def _new_figures_closed():
    import sys

    plt = sys.modules.get("matplotlib.pyplot")
    before = set(plt.get_fignums()) if plt else set()
    try:
        yield
    finally:
        plt = sys.modules.get("matplotlib.pyplot")
        if plt:
            for num in set(plt.get_fignums()) - before:
                plt.close(num)


def readings(question, namespace: dict, params: dict, seconds: float = DIAGNOSE_SECONDS):
    """[(Mutant, answer)] of the solution's mutants that run and differ from the right answer, computed in
    copies of ``namespace``; [] when the solution itself does not reproduce the answer there."""
    code = question._solution
    if not code or question.variable is None:
        return []
    expected = question.expected(**params)
    start = time.perf_counter()
    base = copy_namespace(namespace)
    try:
        got = run(code, base, question.variable)
        if got is None or question.checker(got, expected) is not None:
            return []
        found = []
        for m in mutants(code, base, params):
            if time.perf_counter() - start > seconds:
                break
            try:
                value = run(m.code, copy_namespace(namespace), question.variable)
                if value is not None and question.checker(value, expected) is not None:
                    found.append((m, value))
            except Exception:  # noqa: BLE001 - a mutant that raises is no reading of the exercise
                continue
        return found
    except Exception:  # noqa: BLE001 - the learner's namespace lacks what the solution needs
        return []


def diagnose(question, answer, namespace, params: dict, found=None) -> str | None:
    """The sentence of the wrong reading that ``answer`` equals (by the question's checker), else None; when
    several readings give this same answer, the answer cannot tell them apart: all are named (at most 3).
    ``found``: precomputed readings (``mutant_stats`` passes them to save rerunning)."""
    if not isinstance(namespace, dict) or not namespace:
        return None
    named = []
    with _new_figures_closed():
        for m, value in (found if found is not None else readings(question, namespace, params)):
            try:
                if question.checker(answer, value) is None and m.message not in named:
                    named.append(m.message)
            except Exception:  # noqa: BLE001
                continue
    if len(named) > 1:
        return "다음 가운데 하나예요 (답만으로는 구별되지 않아요): " + " / ".join(named[:3])
    return named[0] if named else None


def conditions(code: str, params: dict) -> str:
    """The solution's own conditions and calculation, for the generic message that remains
    ("확인할 것: 조건 subway["station"] == station (station='강남') · 계산 sum")."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return ""
    conds, aggs = [], []
    for n in ast.walk(tree):
        if isinstance(n, ast.Compare) and len(conds) < 3:
            conds.append(_src(n) + _param_note(n, params))
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in AGG_KO:
            aggs.append(f"{AGG_KO[n.func.attr]}({n.func.attr})")
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in ("sum", "len"):
            aggs.append(f"{AGG_KO[n.func.id]}({n.func.id})")
    parts = []
    if conds:
        parts.append("조건 " + ", ".join(dict.fromkeys(conds)))
    unnamed = {k: v for k, v in params.items() if not any(f"({k}=" in c for c in conds)}
    if unnamed:  # the lesson's own values (구, 연도, 역...), also when a given cell applied them
        parts.append("값 " + ", ".join(f"{k}={v!r}" for k, v in unnamed.items()))
    if aggs:
        parts.append("계산 " + "·".join(dict.fromkeys(aggs)))
    return ("확인할 것: " + " / ".join(parts) + ".") if parts else ""
