"""What one autograde worker process keeps from one team to the next, so nbgrader's fixed cost per team is paid once.

Measured on 10 teams of lab 1 (py-spy and cProfile of a worker): nbgrader opens a new ``Gradebook`` five
times per team (the autograde converter and each of its database preprocessors), and each one made a new
SQLAlchemy engine (so every query was compiled again: its compiled cache is per engine), listed the tables
and ran ``create_all`` (a PRAGMA per table); the cell-metadata check re-checked nbgrader's JSON schema
against the meta-schema for every cell. Together about a third of the worker's own CPU per team.

Installed in a worker (``datalit.labs.autograde._init_worker``), never at import:

* one engine per gradebook URL for the process: ``Gradebook.close()`` still disposes of it (its pooled
  connections are closed, the next Gradebook connects again), only the compiled-statement cache stays;
  SQLite and PostgreSQL alike;
* ``create_all`` once per engine: the tables exist after the first team (nbgrader made them);
* one validator per schema: ``jsonschema.validate``'s own steps (check the schema, validate, raise the
  best match), with the schema checked once.

Every statement nbgrader sends, and so every grade, stays the same.

``defer_iri_parser`` is for the run's parent, before it imports nbgrader (its workers are forked from it).
"""
from __future__ import annotations

import sys
import types

_INSTALLED = False


def install() -> None:
    global _INSTALLED
    if _INSTALLED:
        return
    import jsonschema
    import nbgrader.api as nb_api
    import nbgrader.nbgraderformat.common as nb_format

    engines: dict = {}
    create_engine = nb_api.create_engine

    def shared_engine(url, **kwargs):
        key = (str(url), tuple(sorted(kwargs.items())))
        if key not in engines:
            engines[key] = create_engine(url, **kwargs)
        return engines[key]

    created: set[int] = set()
    metadata = nb_api.Base.metadata
    create_all = metadata.create_all

    def create_all_once(bind=None, **kwargs):
        if id(bind) in created and not kwargs:
            return None
        result = create_all(bind=bind, **kwargs)
        if any(bind is e for e in engines.values()):
            created.add(id(bind))
        return result

    validators: dict[int, tuple] = {}

    def validate(instance, schema, *args, **kwargs):
        if args or kwargs:
            return jsonschema.validate(instance, schema, *args, **kwargs)
        entry = validators.get(id(schema))
        if entry is None or entry[0] is not schema:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            entry = validators[id(schema)] = (schema, cls(schema))
        error = jsonschema.exceptions.best_match(entry[1].iter_errors(instance))
        if error is not None:
            raise error

    nb_api.create_engine = shared_engine
    metadata.create_all = create_all_once
    nb_format.jsonschema = types.SimpleNamespace(validate=validate, ValidationError=jsonschema.ValidationError)
    _INSTALLED = True


def defer_iri_parser() -> None:
    """In the run's parent, before nbgrader is imported (its workers inherit it): import ``rfc3987_syntax`` on
    first use instead of when jsonschema (under nbformat) is imported. At import it builds a Lark parser for
    each of its 38 terms, ~2 s of CPU before the first team can be graded, for jsonschema's "iri" format
    checks, which grading never runs. Its functions work as before, the first call imports it."""
    import importlib
    import importlib.util

    if "rfc3987_syntax" in sys.modules or "jsonschema" in sys.modules:
        return
    try:
        if importlib.util.find_spec("rfc3987_syntax") is None:
            return
    except (ImportError, ValueError):
        return
    stub = types.ModuleType("rfc3987_syntax", "Stands in for rfc3987_syntax until it is used (datalit autograde).")

    def real():
        if sys.modules.get("rfc3987_syntax") is stub:
            del sys.modules["rfc3987_syntax"]
        return importlib.import_module("rfc3987_syntax")

    def is_valid_syntax(term: str, value: str):  # what jsonschema imports by name
        return real().is_valid_syntax(term, value)

    def other(name: str):  # anything else: from the real module, now (not import's own questions: __path__ ...)
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(real(), name)

    stub.is_valid_syntax = is_valid_syntax
    stub.__getattr__ = other
    sys.modules["rfc3987_syntax"] = stub
