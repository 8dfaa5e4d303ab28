"""`python -m warehouse.docs` writes docs/data-dictionary.md from warehouse/schema.py and fills the
generated blocks of warehouse/views.sql from rules/ (warehouse.sql)."""

from pathlib import Path

from warehouse.schema import data_dictionary
from warehouse.sql import VIEWS_SQL, write_views_sql

if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "docs" / "data-dictionary.md"
    out.write_text(data_dictionary(), encoding="utf-8")
    print(f"wrote {out}")
    print(f"{'rewrote' if write_views_sql() else 'unchanged'} {VIEWS_SQL}")
