"""One configuration (issue #22): SCHEMA in datalit/config.py is the only place of a default, a type and a
DATALIT_* name. These tests read the code the way a reviewer greps it, and load real config files."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import yaml

from datalit.config import DEFAULTS, ENVIRONMENT, ROOT_PATHS, SCHEMA, ConfigError, env_name, env_names, \
    load_config, load_config_sources

REPO = Path(__file__).resolve().parents[2]
NAME = re.compile(r"DATALIT_[A-Z0-9_]+")
# traitlets (and other class attributes) named differently from the key whose default they take
TRAIT_KEYS = {"port_min": ("hub", "user_port_min"), "port_max": ("hub", "user_port_max"),
              "home_base": ("hub", "home_base"), "data_mount": ("hub", "data_mount"),
              "user_prefix": ("lab", "sandbox_user_prefix"), "cpu_seconds": ("lab", "cpu_seconds"),
              "memory_mb": ("lab", "memory_mb"), "max_processes": ("lab", "max_processes"),
              "wall_seconds": ("lab", "timeout"), "max_file_mb": ("lab", "max_file_mb"),
              "penalty_per_day": ("lab", "late_penalty_per_day"), "sandbox_dir": ("lab", "sandbox_dir")}


def _code_files(*folders: str, suffixes=(".py",)) -> list[Path]:
    return sorted(p for folder in folders for p in (REPO / folder).rglob("*")
                  if p.is_file() and (p.suffix in suffixes or p.name in ("Dockerfile", "run"))
                  and "__pycache__" not in p.parts)


def test_every_datalit_name_in_the_code_is_declared():
    declared = env_names()
    prefixes = {f"DATALIT_{section.upper()}_" for section in SCHEMA}
    unknown, used = {}, set()
    for path in _code_files("datalit", "hub_config", "grading", "bench", ".ci",
                            suffixes=(".py", ".yaml", ".html", ".sh")) + [REPO / "run"]:
        if path == REPO / "datalit" / "config.py":
            continue
        for name in NAME.findall(path.read_text(encoding="utf-8", errors="replace")):
            used.add(name)
            if name not in declared and name not in prefixes:
                unknown.setdefault(name, str(path.relative_to(REPO)))
    assert not unknown, f"DATALIT_* names missing from datalit/config.py SCHEMA/ENVIRONMENT: {unknown}"
    assert not set(ENVIRONMENT) - used, "declared but no longer used: remove from ENVIRONMENT"
    old = {name for keys in SCHEMA.values() for setting in keys.values() for name in setting.old_env}
    assert not old & used, "old names are for deployments that still set them; the code uses the new one"
    assert all(meaning.strip() for meaning in declared.values())
    # no key's name is also an internal name, and every key has a meaning
    key_names = [env_name(s, k) for s, keys in SCHEMA.items() for k in keys]
    assert len(set(key_names)) == len(key_names) and not set(key_names) & set(ENVIRONMENT)
    assert all(setting.meaning for keys in SCHEMA.values() for setting in keys.values())


def _defaults_restated(path: Path) -> list[str]:
    """Literals in PATH equal to a path-like default (or the slot prefix), and traits whose default is a
    schema default written out again."""
    literals = {v: f"{s}.{k}" for s, keys in DEFAULTS.items() for k, v in keys.items()
                if isinstance(v, str) and v.startswith("/")}
    literals.update({v: f"ROOT_PATHS[{k!r}]" for k, v in ROOT_PATHS.items()})
    literals[DEFAULTS["lab"]["sandbox_user_prefix"]] = "lab.sandbox_user_prefix"
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in literals:
            found.append(f"{node.lineno}: {node.value!r} is {literals[node.value]}")
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Call) and node.value.args
                and isinstance(node.value.args[0], ast.Constant)):
            name = node.targets[0].id
            section, key = TRAIT_KEYS.get(name) or next(((s, name) for s in DEFAULTS if name in DEFAULTS[s]),
                                                        (None, None))
            if section and node.value.args[0].value == DEFAULTS[section][key] and node.value.args[0].value != "":
                found.append(f"{node.lineno}: {name} = ...({node.value.args[0].value!r}) restates {section}.{key}")
    return found


def test_no_module_restates_a_default():
    restated = {str(p.relative_to(REPO)): hits for p in _code_files("datalit", "hub_config", "grading")
                if p.suffix == ".py" and p != REPO / "datalit" / "config.py" and (hits := _defaults_restated(p))}
    assert not restated, f"defaults written again outside datalit/config.py: {restated}"


def test_the_check_finds_a_restated_default(tmp_path):
    """The grep above can fail: a spawner trait and a path written out again are both found."""
    planted = tmp_path / "planted.py"
    planted.write_text('class S:\n    port_min = Integer(20000, config=True)\n'
                       'MOUNT = "/srv/datalit/datasets"\nprefix = "dlsbx"\n')
    assert len(_defaults_restated(planted)) == 3, _defaults_restated(planted)


def test_chart_and_image_keep_the_schema_data_mount(monkeypatch):
    """values.yaml and the Dockerfile cannot import Python: their literal must equal hub.data_mount, and every
    key the chart sets in a pod's environment must be a value of the key's type."""
    mount = DEFAULTS["hub"]["data_mount"]
    dockerfile = (REPO / "hub_config" / "k8s" / "Dockerfile").read_text()
    assert re.findall(r"DATALIT_DATA_DIR=(\S+)", dockerfile) == [mount]
    given, chart_env = [], {}
    key_names = {env_name(s, k) for s, keys in SCHEMA.items() for k in keys}

    def walk(node):
        if isinstance(node, dict):
            if node.get("name") == DEFAULTS["k8s"]["datasets_claim"] and "mountPath" in node:
                given.append(node["mountPath"])
            if "DATALIT_DATA_DIR" in node:
                given.append(node["DATALIT_DATA_DIR"])
            for name, value in node.items():
                if name in key_names and isinstance(value, (str, int, float, bool)):
                    chart_env[name] = str(value)
            node = list(node.values())
        if isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load((REPO / "hub_config" / "k8s" / "values.yaml").read_text()))
    assert given and set(given) == {mount}, given
    assert {"DATALIT_HUB_STATE_DIR", "DATALIT_HUB_URL"} <= set(chart_env), chart_env
    for name, value in chart_env.items():
        monkeypatch.setenv(name, value)
    load_config()  # a ConfigError names the variable


@pytest.mark.parametrize("text, key, words", [
    ('hub:\n  open_signup: "yes please"\n', "hub.open_signup", "unknown key"),
    ('hub:\n  port: "8000"\n', "hub.port", "expected an integer, got '8000'"),
    ("lab:\n  sandbox: yes please\n", "lab.sandbox", "expected true or false, got 'yes please'"),
    ("lab:\n  late_penalty_per_day: true\n", "lab.late_penalty_per_day", "expected a number"),
    ("hub:\n  - port\n", "hub", "expected a mapping"),
    ("hubb:\n  port: 1\n", "hubb", "unknown section"),
    ("hub: [\n", "", "not valid YAML"),
])
def test_a_wrong_file_is_an_error_naming_the_key_and_the_file(tmp_path, monkeypatch, text, key, words):
    monkeypatch.delenv("DATALIT_CONFIG", raising=False)
    (tmp_path / "datalit.yaml").write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(state_dir=tmp_path)
    message = str(caught.value)
    assert str(tmp_path / "datalit.yaml") in message and key in message and words in message, message


@pytest.mark.parametrize("name, value", [("DATALIT_LAB_SANDBOX", "yes please"), ("DATALIT_DATA_VERIFY", "nein"),
                                         ("DATALIT_HUB_PORT", "eighty"), ("DATALIT_LAB_PASS_RATIO", "60%")])
def test_a_mistyped_environment_value_is_an_error(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=f"{name}: expected .*{re.escape(repr(value))}"):
        load_config()


def test_booleans_from_the_environment(monkeypatch):
    for word, meant in [("0", False), ("false", False), ("No", False), ("off", False), ("1", True), ("yes", True)]:
        monkeypatch.setenv("DATALIT_LAB_SANDBOX", word)
        assert load_config()["lab"]["sandbox"] is meant, word


def test_sources_and_the_old_exchange_url_name(tmp_path, monkeypatch):
    for name in ("DATALIT_CONFIG", "DATALIT_EXCHANGE_URL", "DATALIT_HUB_PORT"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "datalit.yaml").write_text("hub:\n  port: 8123\n  cpu_limit: 2\nlab:\n  course_id: c1\n")
    monkeypatch.setenv("DATALIT_LAB_COURSE_ID", "c2")
    monkeypatch.setenv("DATALIT_LAB_EXCHANGE_URL", "http://old.example/services/datalit-exchange")
    with pytest.warns(FutureWarning, match="DATALIT_LAB_EXCHANGE_URL is an old name: set DATALIT_EXCHANGE_URL"):
        cfg, sources = load_config_sources(overrides={"hub": {"state_dir": str(tmp_path), "ip": "0.0.0.0"}})
    assert cfg["hub"]["port"] == 8123 and sources[("hub", "port")] == str(tmp_path / "datalit.yaml")
    assert cfg["hub"]["cpu_limit"] == 2.0 and isinstance(cfg["hub"]["cpu_limit"], float)
    assert (cfg["lab"]["course_id"], sources[("lab", "course_id")]) == ("c2", "env DATALIT_LAB_COURSE_ID")
    assert sources[("hub", "ip")] == "cli" and sources[("hub", "mem_limit")] == "default"
    assert sources[("lab", "exchange_url")] == "env DATALIT_LAB_EXCHANGE_URL"
    monkeypatch.setenv("DATALIT_EXCHANGE_URL", "http://new.example/services/datalit-exchange")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the one name wins and nothing warns
        assert load_config()["lab"]["exchange_url"] == "http://new.example/services/datalit-exchange"
    from datalit.exchange.client import URL_ENV

    assert URL_ENV == env_name("lab", "exchange_url") == "DATALIT_EXCHANGE_URL"


def test_config_show_prints_every_key_with_its_source(tmp_path):
    (tmp_path / "datalit.yaml").write_text("hub:\n  port: 8124\n  admin_password: s3cret-in-file\n")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DATALIT_LAB_WORKERS": "3"}
    shown = subprocess.run([sys.executable, "-m", "datalit", "config", "show", "--state-dir", str(tmp_path)],
                           capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert len(lines) == sum(len(keys) for keys in SCHEMA.values())
    assert f"hub.port = 8124 ({tmp_path / 'datalit.yaml'})" in lines
    assert "lab.workers = 3 (env DATALIT_LAB_WORKERS)" in lines
    assert f"hub.state_dir = {tmp_path} (cli)" in lines and "lab.sandbox = true (default)" in lines
    assert "s3cret-in-file" not in shown.stdout and "hub.admin_password = (set)" in shown.stdout
    (tmp_path / "datalit.yaml").write_text("hub:\n  port: eighty\n")
    bad = subprocess.run([sys.executable, "-m", "datalit", "config", "show", "--state-dir", str(tmp_path)],
                         capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert f"{tmp_path / 'datalit.yaml'}: hub.port: expected an integer, got 'eighty'" in bad.stderr


def test_team_groups_record_follows_the_hub_state_dir(tmp_path, monkeypatch):
    """It once stayed in /var/lib/datalit whatever hub.state_dir said."""
    from datalit.labs import teams

    for name in ("DATALIT_LAB_TEAM_GROUPS_FILE", "DATALIT_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATALIT_HUB_STATE_DIR", str(tmp_path))
    assert teams._registry_path() == tmp_path.resolve() / "team-groups.json"
    monkeypatch.setenv("DATALIT_LAB_TEAM_GROUPS_FILE", str(tmp_path / "elsewhere.json"))
    assert teams._registry_path() == tmp_path / "elsewhere.json"


def test_the_admin_guide_table_shows_the_schema_defaults():
    """docs/admin-guide.md §1 lists hub defaults for readers; each value written there is the schema's."""
    text = (REPO / "docs" / "admin-guide.md").read_text(encoding="utf-8")
    table = text[text.index("| key | default | meaning |"):].split("\n\n", 1)[0]
    checked = 0
    for row in table.splitlines()[2:]:
        keys, values = row.split("|")[1:3]
        keys = re.findall(r"`([a-z_/]+)`", keys)
        values = [v.strip() for v in re.split(r",|–", values)]
        if keys == ["user_port_min/max"]:
            keys = ["user_port_min", "user_port_max"]
        for key, value in zip(keys, values):
            if value in ("random", "see above"):
                continue
            assert value == str(DEFAULTS["hub"][key]), f"docs/admin-guide.md: hub.{key} = {value}, schema: " \
                                                       f"{DEFAULTS['hub'][key]}"
            checked += 1
    assert checked >= 15
