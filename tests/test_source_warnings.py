"""来源文件 says in Chinese what a reader had to repair (#19: Chinese for every message): a sample's
text with two NUL bytes (a damaged download) loads with its figures and a warning naming the
offsets, which the warehouse keeps in English and the page shows in Chinese."""

from __future__ import annotations

import duckdb

from tests.conftest import RAW, STEMS, run_app_page, serve_warehouse


def test_sources_page_shows_a_repaired_documents_warning_in_chinese(monkeypatch, tmp_path):
    from etl.build import build

    data = (RAW / f"{STEMS['huojia']}.txt").read_bytes()
    at_byte = data.index(b"\n") + 1  # the start of the second line
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "huojia.txt").write_bytes(data[:at_byte] + b"\x00\x00" + data[at_byte:])
    db = tmp_path / "w.duckdb"
    result = build([inp], db)
    assert not result.failed, [o.message for o in result.failed]
    with duckdb.connect(str(db), read_only=True) as con:
        ((english,),) = con.execute("SELECT warnings FROM core_documents").fetchall()
    assert english == f"damaged text: 2 NUL byte(s) dropped at byte offset(s) {at_byte}-{at_byte + 1}"
    serve = tmp_path / "serve"
    serve.mkdir()
    serve_warehouse(monkeypatch, db, serve)
    at = run_app_page("sources", timeout=60)
    shown = next(d.value for d in at.dataframe if "读取警告" in d.value.columns)
    assert shown["县（区）"].tolist() == ["获嘉县"]
    assert shown["读取警告"].tolist() == [f"文本有损坏：已删除 2 个空字符（NUL，字节位置 {at_byte}-{at_byte + 1}）"]
    # and whole, as plain text, under the grid that cuts it at 1024 px
    assert [t.value for t in at.text] == [
        f"获嘉县 2024预算：文本有损坏：已删除 2 个空字符（NUL，字节位置 {at_byte}-{at_byte + 1}）"
    ]
