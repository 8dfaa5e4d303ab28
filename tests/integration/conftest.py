"""Fixtures the service and upload tests share."""

from __future__ import annotations

import pytest

from etl import service
from tests.conftest import RAW, STEMS
from warehouse import paths


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    """The service's folders in a temporary tree: an empty warehouse folder, an empty upload queue
    and a data/raw holding the 获嘉 sample alone."""
    monkeypatch.setattr(paths, "DATA_DIR", tmp_path / "wh")
    monkeypatch.setattr(service, "UPLOAD_DIR", tmp_path / "uploads")
    monkeypatch.setattr(service, "STAGING_DIR", tmp_path / "uploads" / ".staging")
    monkeypatch.setattr(service, "RAW_DIR", tmp_path / "raw")
    (tmp_path / "raw").mkdir()
    hj = RAW / f"{STEMS['huojia']}.txt"
    (tmp_path / "raw" / hj.name).write_bytes(hj.read_bytes())
    return tmp_path
