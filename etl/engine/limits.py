"""Per-file limits of the parse engine, defined once (CLI flags, upload page and docs read them).

Defaults are sized for the national templates: a disclosure is 10–120 pages and well under
20 MB; the memory cap leaves room for pdfplumber on a dense page and for OCR.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 180.0  # wall time per file, parse included
    memory_mb: int = 2048  # resident memory of the worker while it parses one file
    max_bytes: int = 64 * 1024 * 1024  # file size
    max_pages: int = 600  # PDF pages

    def cache_kind(self) -> str:
        """The parse-cache kind under which a failure at these time and memory limits is kept:
        the same file under the same limits fails the same way, so it costs once (issue #20);
        raising a limit asks again."""
        return f"limit-{self.timeout_s:g}s-{self.memory_mb}m"

    def describe(self) -> str:
        return (
            f"timeout {self.timeout_s:g} s, memory {self.memory_mb} MiB, "
            f"size {self.max_bytes // (1024 * 1024)} MiB, pages {self.max_pages}"
        )


DEFAULT_LIMITS = Limits()
