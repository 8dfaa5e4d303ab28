"""AppTest: the app starts on the bundled samples and shows warehouse figures."""

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def test_overview_shows_summary(monkeypatch, warehouse, tmp_path):
    import warehouse.paths as paths

    (tmp_path / "CURRENT").write_text(warehouse.name, encoding="utf-8")
    (tmp_path / warehouse.name).symlink_to(warehouse)
    monkeypatch.setattr(paths, "DATA_DIR", tmp_path)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    df = at.dataframe[0].value
    row = df[df["county"] == "盐池县"].iloc[0]
    assert str(row["total_expenditure"]) == "12984142.90" and row["stage"] == "决算"
    at.sidebar.multiselect(key="county").set_value(["获嘉县"]).run()
    df = at.dataframe[0].value
    assert list(df["county"]) == ["获嘉县"] and str(df.iloc[0]["pension_subsidy"]) == "57500000.00"
