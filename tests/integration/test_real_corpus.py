"""Real disclosure pages (tests/fixtures/real, #17): each page, as text and as the HTML a portal
serves, gives the unit, place, level, year, stage and kind read by hand from it, and every figure it
states; a page that states no figure is refused with the reason saying its tables are in an
attachment. Expectations are in expectations.json, addresses in manifest.json (neither is read as
document content)."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from etl.model import DocumentError
from etl.pipeline import NO_FIGURES, NoFiguresError, parse_file

REAL = Path(__file__).parent.parent / "fixtures" / "real"
EXPECT = json.loads((REAL / "expectations.json").read_text(encoding="utf-8"))["pages"]
MANIFEST = json.loads((REAL / "manifest.json").read_text(encoding="utf-8"))["pages"]
FORMS = ("txt", "html")
CASES = [(page_id, form) for page_id in sorted(EXPECT) for form in FORMS]


def test_every_page_has_an_address_and_both_forms():
    assert set(EXPECT) == set(MANIFEST)
    for page_id in EXPECT:
        assert MANIFEST[page_id]["url"].startswith("http")
        for form in FORMS:
            assert (REAL / "pages" / f"{page_id}.{form}").is_file(), (page_id, form)


def test_corpus_covers_provinces_levels_stages_and_pages_with_and_without_figures():
    pages = EXPECT.values()
    assert len(EXPECT) >= 40
    assert len({p["province"] for p in pages}) >= 15
    assert {p["level"] for p in pages} == {"county", "prefecture", "province"}
    assert {p["stage"] for p in pages} == {"budget", "final"}
    assert {p["outcome"] for p in pages} == {"loaded", "no_figures"}
    assert {p["kind"] for p in pages} == {"社保", "人社", "医保", "养老", "other"}


def _identity(info: dict, want: dict) -> dict:
    got = {
        "unit": info.get("unit_name"),
        "province": info.get("province"),
        "county": info.get("county"),
        "level": info.get("unit_level"),
        "year": info.get("fiscal_year"),
        "stage": info.get("stage"),
        "kind": info.get("unit_kind"),
    }
    if "prefecture" in want:
        got["prefecture"] = info.get("prefecture")
    return got


def _want_identity(want: dict) -> dict:
    keys = ("unit", "province", "county", "level", "year", "stage", "kind")
    out = {k: want.get(k) for k in keys}
    if "prefecture" in want:
        out["prefecture"] = want["prefecture"]
    return out


def _amount(c: dict) -> str:
    return f"{c['amount_printed']}{c['printed_unit']}"


@pytest.mark.parametrize("page_id,form", CASES)
def test_real_page(page_id: str, form: str):
    want = EXPECT[page_id]
    path = REAL / "pages" / f"{page_id}.{form}"
    if "miss" in want:  # a known miss, with its cause: it must still fail
        if _page_passes(path, want):
            pytest.fail(f"{page_id} no longer misses: drop its 'miss' note")
        pytest.xfail(want["miss"])
    _check_page(path, want, form)


def _page_passes(path: Path, want: dict) -> bool:
    try:
        _check_page(path, want, path.suffix[1:])
    except (AssertionError, DocumentError, pytest.fail.Exception):
        return False
    return True


def _check_page(path: Path, want: dict, form: str) -> None:
    if want["outcome"] == "no_figures":
        try:
            parse_file(path)
        except NoFiguresError as err:
            assert str(err).startswith(NO_FIGURES)
            assert _identity(err.info, want) == _want_identity(want)
            assert err.attachments == (want.get("attachments_html", []) if form == "html" else [])
            for link in err.attachments:
                assert link in str(err)
            return
        raise AssertionError(f"{path.name} was not refused for stating no figure")
    try:
        parsed = parse_file(path)
    except DocumentError as exc:
        raise AssertionError(f"{path.name} refused: {exc}") from exc
    assert _identity(parsed.info, want) == _want_identity(want)
    # Amounts stated (a share "占79.1%" repeats the amount before it and states no new one).
    claims = [
        c
        for c in parsed.facts.rows["core_claims"]
        if c["amount_printed"] is not None and c["claim_type"] in ("amount", "change")
    ]
    assert Counter(_amount(c) for c in claims) == Counter(want["amounts"])
    for figure, amounts in want["figures"].items():
        stated = {_amount(c) for c in claims if c["claim_type"] == "amount" and c["figure"] == figure}
        assert stated == set(amounts), figure
    priors: dict[tuple, set] = {}
    for p in parsed.facts.rows["core_prior_year_facts"]:
        priors.setdefault((p["figure"], p["fiscal_year"]), set()).add(p["amount_yuan"])
    for figure, year, yuan in want["priors"]:
        assert priors.get((figure, year)) == {Decimal(yuan)}, (figure, year)


@pytest.mark.parametrize("page_id", sorted(p for p, w in EXPECT.items() if w["outcome"] == "loaded"))
def test_text_and_html_of_a_page_are_one_disclosure(page_id: str):
    text, page = (parse_file(REAL / "pages" / f"{page_id}.{form}") for form in FORMS)
    assert text.doc_key == page.doc_key and text.doc_id == page.doc_id
