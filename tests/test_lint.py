"""The code rules the team keeps (pyproject.toml: pyflakes, import order, bugbear, pyupgrade and a
cyclomatic complexity of at most 15 per function) hold for the whole tree."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT, scaled


def test_ruff_check_passes():
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True, timeout=scaled(120))
    assert out.returncode == 0, out.stdout[-3000:]
