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
