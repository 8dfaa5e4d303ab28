"""Start the dashboard server: `streamlit run app.py` with two things done once, in the server
process, before the first session arrives (what ./run-app and the browser tests run).

1. The heavy libraries app.py imports at module level are imported here first. Sessions run in
   threads; a crowd opening pages right after start raced on their first `import pandas` and got
   "partially initialized module 'pandas' has no attribute 'Series'". app.py's own preload cannot
   help a session whose direct link runs a page before app.py has ever run.
2. Routing is st.navigation's from the start: Streamlit assumes its old pages-folder mode for the
   sessions that arrive before app.py first runs, and ran pages/*.py without app.py.
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"


def preload(app: Path = APP) -> list[str]:
    """Import every module app.py imports with a plain `import x` at module level."""
    names = [
        a.name
        for node in ast.parse(app.read_text(encoding="utf-8")).body
        if isinstance(node, ast.Import)
        for a in node.names
    ]
    for name in names:
        importlib.import_module(name)
    return names


def main() -> int:
    sys.path.insert(0, str(ROOT))
    preload()
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
