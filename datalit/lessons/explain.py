"""Opt-in error explainer: a short Korean explanation and hint under common tracebacks.

    %load_ext datalit.lessons.explain          # in a notebook
    from datalit.lessons import explain; explain.enable()

Covers: KeyError on a column (suggests close column names, also Korean labels -> English names),
UnicodeDecodeError (CP949), NameError (cell not run / missing import), pandas chained-assignment
warnings (SettingWithCopyWarning / ChainedAssignmentError) and matplotlib missing-glyph warnings
(broken Hangul). ``explain_exception(exc, namespace)`` / ``explain_warning(message, category)`` return
the text, for tests and other front ends.
"""
from __future__ import annotations

import difflib
import re
import warnings

from datalit.lessons.checkers.korean import josa

BANNER = "\n💬 datalit 도움말: "
_state = {"shell": None, "showwarning": None, "seen": set()}

COMMON_IMPORTS = {
    "pd": "import pandas as pd", "np": "import numpy as np", "plt": "import matplotlib.pyplot as plt",
    "sns": "import seaborn as sns", "data": "from datalit import data", "hangul": "from datalit import hangul",
    "folium": "import folium",
}


def _frames(namespace) -> list:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover
        return []
    return [v for k, v in (namespace or {}).items() if not k.startswith("_") and isinstance(v, pd.DataFrame)]


def _korean_label_map() -> dict[str, str]:
    """Korean label -> English column name, for every dataset loaded in this process."""
    out = {}
    try:
        from datalit import data

        ids = {key.split("/")[0] for key in data.READ_LOG}
        for ds in sorted(ids):
            for table in data.info(ds).tables:
                for col in table.columns:
                    out.setdefault(str(col.label_ko), col.name)
    except Exception:  # noqa: BLE001 - an explainer must never raise
        pass
    return out


def _raised_by_pandas(exc: BaseException) -> bool:
    """True if the KeyError came out of pandas (a column or index label), False if from a plain dict lookup
    (lesson 00 is about dicts: "df.columns" would send a beginner to the wrong object)."""
    tb = exc.__traceback__
    while tb is not None:
        if "/pandas/" in tb.tb_frame.f_code.co_filename.replace("\\", "/"):
            return True
        tb = tb.tb_next
    return False


def _dicts(namespace) -> list[dict]:
    return [v for k, v in (namespace or {}).items() if not k.startswith("_") and type(v) is dict and v]


def explain_dict_key_error(key, namespace=None) -> str:
    keys = []
    for d in _dicts(namespace):
        keys += [str(k) for k in d if str(k) not in keys]
    shown = repr(key)
    msg = f"사전(dict)에 {josa(shown, '이라는/라는')} 키가 없어요."
    close = difflib.get_close_matches(str(key), keys, n=3, cutoff=0.5)
    if close:
        msg += " 혹시 " + josa(", ".join(f"'{c}'" for c in close), "을/를") + " 뜻했나요?"
    elif isinstance(key, str) and key.strip() != key:
        msg += " 이름 앞뒤에 공백이 있어요."
    return msg + " 사전에 있는 키는 list(사전.keys())로 볼 수 있어요 (글자, 띄어쓰기가 같아야 해요: '중구'와 '중 구'는 달라요)."


def explain_key_error(exc: KeyError, namespace=None) -> str | None:
    key = exc.args[0] if exc.args else None
    if exc.__traceback__ is not None and not _raised_by_pandas(exc) and not isinstance(key, (list, tuple)):
        return explain_dict_key_error(key, namespace)
    if exc.__traceback__ is None and isinstance(key, str) and not _frames(namespace) and _dicts(namespace):
        return explain_dict_key_error(key, namespace)
    if not isinstance(key, str):
        if isinstance(key, (list, tuple)):
            return ("여러 열을 고를 때 일부 열 이름이 표에 없어요. 열 이름의 철자와 공백을 확인하세요 "
                    "(df.columns로 목록을 볼 수 있어요).")
        return None
    columns = []
    for df in _frames(namespace):
        columns += [str(c) for c in df.columns if str(c) not in columns]
    msg = f"{josa(repr(key), '이라는/라는')} 열(또는 이름표)을 찾을 수 없어요."
    labels = _korean_label_map()
    if key in labels:
        return msg + f" 이 과정의 표는 영어 열 이름을 써요: {josa(repr(key), '은/는')} '{labels[key]}' 열이에요 → df['{labels[key]}']"
    close = difflib.get_close_matches(key, columns, n=3, cutoff=0.5)
    if close:
        msg += " 혹시 " + josa(", ".join(f"'{c}'" for c in close), "을/를") + " 뜻했나요?"
    elif key.strip() != key:
        msg += " 이름 앞뒤에 공백이 있어요."
    msg += " df.columns로 열 이름 목록을 확인하세요 (대소문자, 띄어쓰기도 같아야 해요)."
    return msg


def explain_unicode(exc: UnicodeDecodeError, namespace=None) -> str | None:
    enc = (exc.encoding or "").lower()
    msg = f"파일의 글자 인코딩이 {josa(repr(exc.encoding), '이/가')} 아니에요."
    if "utf" in enc:
        msg += (" 한국 공공데이터 CSV는 흔히 CP949(EUC-KR)로 저장되어 있어요. "
                "pd.read_csv(경로, encoding=\"cp949\")로 다시 읽어 보세요.")
    else:
        msg += " encoding=\"utf-8-sig\" 또는 \"utf-8\"로 읽어 보세요."
    return msg + " (datalit.data.load()는 인코딩을 알아서 처리해요.)"


def explain_name_error(exc: NameError, namespace=None) -> str | None:
    m = re.search(r"name '([^']+)' is not defined", str(exc))
    if not m:
        return None
    name = m.group(1)
    if name in COMMON_IMPORTS:
        return f"{josa(repr(name), '이/가')} 아직 없어요. 맨 위의 import 셀을 실행했나요? 필요하면 `{COMMON_IMPORTS[name]}`."
    if re.fullmatch(r"q\d+", name):
        return (f"연습 문제 {josa(name, '을/를')} 아직 불러오지 않았어요. 위쪽의 "
                "`from datalit.lessons.exercises... import q1, q2, ...` 셀을 먼저 실행하세요.")
    names = [k for k in (namespace or {}) if not k.startswith("_")]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    msg = f"{josa(repr(name), '이라는/라는')} 이름의 변수가 아직 없어요. 이 변수를 만드는 위쪽 셀을 먼저 실행했나요?"
    if close:
        msg += " 혹시 " + ", ".join(f"'{c}'" for c in close) + "의 오타인가요?"
    return msg + " (메뉴 Run → Run All Above Selected Cell로 위의 셀을 모두 실행할 수 있어요.)"


def explain_exception(exc: BaseException, namespace=None) -> str | None:
    if isinstance(exc, UnicodeDecodeError):
        return explain_unicode(exc, namespace)
    if isinstance(exc, KeyError):
        return explain_key_error(exc, namespace)
    if isinstance(exc, NameError):
        return explain_name_error(exc, namespace)
    return None


def explain_warning(message, category) -> str | None:
    name = getattr(category, "__name__", "")
    text = str(message)
    if name in ("SettingWithCopyWarning", "ChainedAssignmentError"):
        return ("표의 일부(필터 결과)를 고친 것이 원래 표에 반영되지 않을 수 있어요. "
                "값을 바꿀 때는 df.loc[조건, '열'] = 값 처럼 한 번에 쓰거나, 필터 결과에 .copy()를 붙여 새 표로 만드세요.")
    if "Glyph" in text and "missing from font" in text:
        return ("차트의 한글 글꼴이 없어 글자가 네모(□)로 깨져요. 그리기 전에 "
                "`from datalit import hangul; hangul.use()`를 실행하고 다시 그려 보세요.")
    return None


def _custom_exc(shell, etype, value, tb, tb_offset=None):
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    try:
        text = explain_exception(value, shell.user_ns)
    except Exception:  # noqa: BLE001
        text = None
    if text:
        print(BANNER + text)


def _cell_id():
    shell = _state["shell"]
    return getattr(shell, "execution_count", None) if shell is not None else None


def _showwarning(message, category, filename, lineno, file=None, line=None):
    try:
        text = explain_warning(message, category)
    except Exception:  # noqa: BLE001
        text = None
    glyph = text is not None and "Glyph" in str(message)
    if glyph:  # matplotlib warns once per missing character: show the first one per cell only
        key = (_cell_id(), "glyph")
        if key in _state["seen"]:
            return
        _state["seen"].add(key)
    _state["showwarning"](message, category, filename, lineno, file, line)
    if text:
        print(BANNER + text)


def enable(shell=None) -> None:
    """Turn the explainer on (in IPython: under tracebacks; everywhere: under warnings)."""
    if shell is None:
        try:
            from IPython import get_ipython

            shell = get_ipython()
        except ImportError:  # pragma: no cover
            shell = None
    if shell is not None:
        shell.set_custom_exc((KeyError, UnicodeDecodeError, NameError), _custom_exc)
        _state["shell"] = shell
    if _state["showwarning"] is None:
        _state["showwarning"] = warnings.showwarning
        warnings.showwarning = _showwarning
    # pandas/matplotlib warnings are shown once per place by default; keep that, but make sure they show
    warnings.filterwarnings("default", message=r".*Glyph .* missing from font.*")


def disable() -> None:
    shell = _state["shell"]
    if shell is not None:
        shell.set_custom_exc((), None)
        _state["shell"] = None
    if _state["showwarning"] is not None:
        warnings.showwarning = _state["showwarning"]
        _state["showwarning"] = None


def load_ipython_extension(ipython):
    enable(ipython)
    print("💬 오류 도우미가 켜졌어요: 자주 나는 오류 아래에 한국어 설명이 나와요.")


def unload_ipython_extension(ipython):
    disable()
