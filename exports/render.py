"""Server-side chart images with kaleido and Debian's chromium.

kaleido's shared server can hand one caller another caller's image when exports run concurrently
(kaleido issue #444), so every export goes through one lock. The server starts once per process.
"""

from __future__ import annotations

import atexit
import os
import threading
import warnings

import plotly.graph_objects as go

_LOCK = threading.Lock()
_STARTED = False
WIDTH, HEIGHT = 1200, 700


def _ensure_server() -> None:
    global _STARTED
    if _STARTED:
        return
    import kaleido

    if os.path.exists("/usr/bin/chromium"):
        os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")
    kaleido.start_sync_server(n=1, mathjax=False, silence_warnings=True)
    # Stop chromium before the interpreter tears down its pipes (else a half-read message is logged).
    atexit.register(kaleido.stop_sync_server, silence_warnings=True)
    _STARTED = True


def to_image(fig: go.Figure, fmt: str = "png", *, width: int = WIDTH, height: int | None = None) -> bytes:
    """PNG at 2x, SVG or PDF of a figure, with its title, unit and source line as on screen."""
    if fmt not in ("png", "svg", "pdf"):
        raise ValueError(f"unsupported format {fmt}")
    height = height or int(fig.layout.height or HEIGHT)
    with _LOCK, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The kopts argument is ignored")
        _ensure_server()
        return fig.to_image(format=fmt, width=width, height=height, scale=2 if fmt == "png" else 1)
