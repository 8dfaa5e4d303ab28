"""Start-up race (#11): eight sessions opening chart pages right after start raced on their first
`import pandas` and half failed with "partially initialized module 'pandas'". app.py imports every
heavy library the pages use before st.navigation runs; these tests fail when a page starts to use
one app.py does not preload, and check in a fresh interpreter that running app.py preloads them."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.conftest import ROOT, scaled

HEAVY = {"pandas", "plotly", "polars", "pyarrow", "numpy", "duckdb", "xlsxwriter"}


def top_imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def preloaded() -> set[str]:
    """Modules app.py imports at module level before its first streamlit call."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    out = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.Expr | ast.Assign) and isinstance(node.value, ast.Call) and "st." in ast.unparse(node):
            break
    return out


def test_app_preloads_every_heavy_library_the_pages_use():
    used = set()
    for path in list((ROOT / "pages").glob("*.py")) + list((ROOT / "exports").glob("*.py")):
        used |= top_imports(path) & HEAVY
    assert used, "pages use no heavy library?"
    assert used <= preloaded(), sorted(used - preloaded())


def test_running_app_module_imports_them_before_any_page():
    code = (
        "import sys, runpy, streamlit as st\n"
        "st.navigation = lambda *a, **k: (_ for _ in ()).throw(SystemExit(0))\n"
        "st.set_page_config = lambda *a, **k: None\n"
        "import warehouse.paths as p; p.current_db_path = lambda: 'x'\n"
        "try:\n    runpy.run_path('app.py')\nexcept SystemExit:\n    pass\n"
        "print(' '.join(m for m in ('pandas', 'plotly.graph_objects', 'polars', 'pyarrow') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=scaled(120))
    assert out.stdout.split() == ["pandas", "plotly.graph_objects", "polars", "pyarrow"], out.stderr[-2000:]
