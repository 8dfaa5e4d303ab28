"""`python -m warehouse.docs` writes docs/data-dictionary.md from warehouse/schema.py."""

from pathlib import Path

from warehouse.schema import data_dictionary

if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "docs" / "data-dictionary.md"
    out.write_text(data_dictionary(), encoding="utf-8")
    print(f"wrote {out}")
