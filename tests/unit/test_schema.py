"""The schema is declared once: DDL, comments and the data dictionary come from it."""

from pathlib import Path

import duckdb
import pytest

from warehouse.build import SchemaError, create_schema, create_views, write_warehouse
from warehouse.schema import TABLES, VIEWS, data_dictionary

ROOT = Path(__file__).resolve().parents[2]


def test_data_dictionary_is_current():
    assert (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8") == data_dictionary(), (
        "run: python -m warehouse.docs"
    )


def test_every_column_in_the_database_is_documented():
    con = duckdb.connect()
    create_schema(con)
    create_views(con)
    documented = {(t.name, c.name) for t in TABLES for c in t.columns}
    documented |= {(v, c.name) for v, (_zh, _en, cols) in VIEWS.items() for c in cols}
    public = [
        r
        for r in con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE NOT internal AND schema_name = 'main' AND NOT table_name LIKE 'int_%'"
        ).fetchall()
    ]
    assert public and set(public) <= documented, set(public) - documented
    comments = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE comment IS NULL AND NOT internal AND schema_name = 'main' "
        "AND table_name NOT LIKE 'int_%' AND table_name NOT IN (SELECT unnest(?))",
        [list(VIEWS)],
    ).fetchone()
    assert comments == (0,)


def test_loader_refuses_undeclared_column(tmp_path):
    with pytest.raises(SchemaError, match="undeclared columns"):
        write_warehouse({"core_projects": [{"project_name": "x", "surprise": 1}]}, tmp_path / "w.duckdb")
    assert not list(tmp_path.iterdir())


def test_money_columns_are_decimal():
    for t in TABLES:
        for c in t.columns:
            if c.name.endswith("_yuan"):
                assert c.type == "DECIMAL(18,2)", (t.name, c.name)


def test_views_sql_generated_blocks_are_current():
    """views.sql carries the SQL generated from rules/ (shares, 三公 components, severity order,
    completeness score, the compatibility view's names); the build regenerates it from the rules."""
    from warehouse.sql import VIEWS_SQL, views_sql

    assert VIEWS_SQL.read_text(encoding="utf-8") == views_sql(), "run: python -m warehouse.docs"


def test_every_column_is_one_declared_field():
    """A name means one thing: every column of every table and view is the field declared under its
    name in FIELDS, with the field's type and label (the compatibility view: the field it renames)."""
    from warehouse.schema import COMPAT_SUMMARY, COMPAT_VIEW, FIELDS, all_columns

    seen: dict[str, set] = {}
    for where, c in all_columns():
        field = FIELDS[COMPAT_SUMMARY[c.name]] if where == COMPAT_VIEW else FIELDS[c.name]
        assert (c.type, c.zh, c.en, c.unit) == (field.type, field.zh, field.en, field.unit), (where, c.name)
        seen.setdefault(c.name, set()).add((c.type, c.zh))
    assert {name: kinds for name, kinds in seen.items() if len(kinds) > 1} == {}
    assert set(FIELDS) <= {c.name for _w, c in all_columns()} | set(COMPAT_SUMMARY.values()), "unused fields"


def test_money_columns_end_in_yuan_and_fractions_in_frac():
    """Money columns (DECIMAL(18,2), 元), and only they, end in `_yuan`; fractions in `_frac`. The only
    exceptions: the compatibility view's published names and two columns the ETL's emitters name."""
    from warehouse.schema import COMPAT_VIEW, FIELDS, SUFFIX_EXCEPTIONS, suffix_problems

    assert suffix_problems() == []
    assert {t for t, _c in SUFFIX_EXCEPTIONS} == {COMPAT_VIEW, "core_claims", "core_self_evaluations"}
    money = [f.name for f in FIELDS.values() if f.type == "DECIMAL(18,2)"]
    assert len(money) == 18 and all(n.endswith("_yuan") for n in money)


def test_compatibility_view_keeps_the_published_names():
    """county_year_summary keeps every name it was published with, in order; its money columns are
    the figure keys (rules.measures.FIGURE_ZH, check_results.figure)."""
    from rules.measures import FIGURE_ZH
    from warehouse.schema import COMPAT_SUMMARY, COUNTY_YEAR, SUMMARY_COLUMNS

    assert list(COMPAT_SUMMARY) == [
        "county", "prefecture", "province", "unit_name", "fiscal_year", "stage", "total_revenue",
        "total_expenditure", "basic_expenditure", "project_expenditure", "personnel_expenditure",
        "public_expenditure", "pension_subsidy", "pension_subsidy_share", "sangong_budget", "sangong_actual",
        "prior_year_total", "yoy_change", "yoy_pct", "doc_file",
    ]  # fmt: skip
    assert {c.name for c in SUMMARY_COLUMNS if c.unit == "元"} == set(FIGURE_ZH)
    assert set(COMPAT_SUMMARY.values()) <= {c.name for c in COUNTY_YEAR}


def test_views_have_the_declared_types():
    """The views and marts return the declared columns, in order, with the declared types."""
    con = duckdb.connect()
    create_schema(con)
    create_views(con)
    for view, (_zh, _en, cols) in VIEWS.items():
        got = con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {view})").fetchall()
        assert got == [(c.name, c.type) for c in cols], view
