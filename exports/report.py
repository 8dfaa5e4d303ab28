"""The printable county report: A4 HTML with the charts as inline SVG, page numbers, the source of
every figure in numbered notes, and the date and warehouse version it was built from; printed to
PDF by Debian's chromium (`--print-to-pdf`)."""

from __future__ import annotations

import datetime as dt
import html
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

import duckdb

from exports.chromium import CHROMIUM, FLAGS
from exports.content import Brief, brief_chart, county_brief
from exports.pdftext import fix_to_unicode
from exports.render import to_image
from rules.labels import SANGONG_KIND_ZH, SEVERITY_ZH, STAGE_ZH, place_text
from rules.measures import MONEY, PER_CAPITA, RATE, SHARE, STATED_CHANGE_ZH
from rules.measures import format_measure as peer_value
from rules.units import DEFAULT_DISPLAY_UNIT, UNIT_FACTORS, money_text

CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
  @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页"; font-size: 9pt; color: #555; }
  @bottom-left { content: "县域社保预决算对比看板"; font-size: 8pt; color: #888; } }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", sans-serif; font-size: 10.5pt;
  color: #222; line-height: 1.5; }
h1 { font-size: 20pt; margin: 0 0 2mm; } h2 { font-size: 13pt; border-bottom: 1px solid #1f5aa6;
  padding-bottom: 1mm; margin-top: 7mm; } .meta { color: #666; font-size: 9pt; }
table { border-collapse: collapse; width: 100%; margin-top: 2mm; } th, td { border: 1px solid #ccc;
  padding: 1.2mm 2mm; text-align: left; vertical-align: top; } th { background: #eef2f8; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.fail { color: #b00020; } .note { font-size: 8.5pt; color: #555; } .link { word-break: break-all; } sup { font-size: 7pt; color: #1f5aa6; }
.chart svg { width: 100%; height: auto; } .big { font-size: 16pt; font-weight: bold; }
tr { page-break-inside: avoid; } .checks td:first-child, .checks th:first-child { white-space: nowrap; width: 3em; } h2 { page-break-after: avoid; }
"""


def _money(v, factor: Decimal) -> str:
    return money_text(v, factor)


def _pct(v) -> str:
    """A change's rate, signed; '—' where there is none to compute (not a figure left undisclosed)."""
    return "—" if v is None else peer_value(v, RATE)


def _rank(r: dict) -> str:
    """第 k / n, or why a value has none (held out of ranks: a figure it rests on is doubted)."""
    if r["rank"] is None:
        return "不参与排名（数字存疑）" if r.get("held_out") else "—"
    return f"第 {r['rank']} / {r['n']}"


def stated_table(b: Brief) -> str:
    """The changes the document states for its headline figures, beside the strict YoY above."""
    e = html.escape
    if not b.stated:
        return ""
    rows = "".join(
        f"<tr><td>{e(s['figure_zh'])}</td><td class=num>{_pct(s['pct_signed_frac'])}</td><td>{e(s['where'])}</td></tr>"
        for s in b.stated
    )
    return (
        f"<h2>{STATED_CHANGE_ZH}</h2><table><tr><th>文件所述对象</th><th>文件所印增减率</th><th>出处</th></tr>{rows}</table>"
        "<p class=note>文件就其收支总计等所述的同比；上表“增减率”为本年支出合计按数字计算的同比，两者口径不同。</p>"
    )


def peer_table(b: Brief, unit: str, factor: Decimal) -> str:
    e = html.escape
    if not b.peers:
        return "<p>对比组中没有可比较的数。</p>"
    rows = "".join(
        f"<tr><td>{e(r['label'])}{'（' + unit + '）' if r['kind'] == MONEY else '（元/人）' if r['kind'] == PER_CAPITA else ''}</td>"
        f"<td class=num>{peer_value(r['value'], r['kind'], factor)}</td>"
        f"<td class=num>{peer_value(r['median'], r['kind'], factor)}</td>"
        f"<td class=num>{peer_value(r['p25'], r['kind'], factor)} – {peer_value(r['p75'], r['kind'], factor)}</td>"
        f"<td class=num>{_rank(r)}</td>"
        f"<td class=num>{'—' if r['percentile'] is None else format(r['percentile'], '.1f')}</td></tr>"
        for r in b.peers
    )
    return (
        f"<table><tr><th>指标</th><th>{e(b.county)}</th><th>对比组中位数</th><th>p25–p75</th><th>排名</th>"
        f"<th>百分位</th></tr>{rows}</table>"
    )


def render_html(
    b: Brief,
    *,
    unit: str = DEFAULT_DISPLAY_UNIT,
    factor: Decimal = UNIT_FACTORS[DEFAULT_DISPLAY_UNIT],
    svg: str | None = None,
    link: str | None = None,
) -> str:
    e = html.escape
    notes: list[str] = []

    def note(text: str | None) -> str:
        if not text:
            return ""
        if text not in notes:
            notes.append(text)
        return f"<sup>[{notes.index(text) + 1}]</sup>"

    stage = STAGE_ZH[b.primary_stage]
    has_other = any(r["other"] is not None for r in b.rows)
    head = (
        f"<tr><th>项目</th><th>{b.year - 1}年</th>"
        + (f"<th>{b.year}年预算</th>" if has_other else "")
        + f"<th>{b.year}年{stage}</th><th>增减</th><th>增减率</th></tr>"
    )
    body = ""
    for r in b.rows:
        change = "—" if r["change"] is None else money_text(r["change"], factor, signed=True)
        other = f"<td class=num>{_money(r['other'], factor)}</td>" if has_other else ""
        body += (
            f"<tr><td>{e(r['name'])}{note(r['source'])}</td>"
            f"<td class=num>{_money(r['prior'], factor)}{note(r['prior_source'])}</td>{other}"
            f"<td class=num><b>{_money(r['this'], factor)}</b></td>"
            f"<td class=num>{change}</td><td class=num>{_pct(r['pct'])}</td></tr>"
        )
    changes = (
        "".join(
            f"<tr><td>{e(str(c['subject']))}</td><td class=num>{money_text(c['change'], factor, signed=True)}</td>"
            f"<td class=num>{_pct(c['pct']) if c['pct'] is not None else '—'}</td><td>{e(c['reason'] or '未说明')}"
            f"{note(c['where'])}</td></tr>"
            for c in b.changes
        )
        or "<tr><td colspan=4>文件未与上年比较</td></tr>"
    )
    checks = ""
    for c in b.failed_checks:
        where = place_text(c["source_file"], c["page"], c["line"])
        checks += (
            f"<tr><td>{SEVERITY_ZH[c['severity']]}</td><td class=fail>{e(c['message'])}</td><td>{e(where)}</td></tr>"
        )
    checks = checks or "<tr><td colspan=3>全部核验通过</td></tr>"
    pension = (
        "".join(
            f"<tr><td>{e(p['category_zh'])}</td><td>{e(p['item_name'])}</td><td class=num>{_money(p['amount_yuan'], factor)}</td></tr>"
            for p in b.pension
            if p["category"] != "own_contribution"
        )
        or "<tr><td colspan=3>未识别出养老补助项目</td></tr>"
    )
    sangong = "".join(
        f"<tr><td>{e(s['zh'])}</td><td>{SANGONG_KIND_ZH.get(s['kind'], s['kind'])}</td>"
        f"<td class=num>{_money(s['amount_yuan'], factor)}</td><td>{e(s['source'] or '')}</td></tr>"
        for s in b.sangong
    )
    built = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    share = peer_value(b.pension_share, SHARE)
    notes_html = "".join(f"<li>{e(n)}</li>" for n in notes)
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{e(b.county)} {b.year} 简报</title>
<style>{CSS}</style></head><body>
<h1>{e(b.county)} {b.year}年社保经费简报</h1>
<div class=meta>{e(b.unit_name or "")} · {"、".join(STAGE_ZH[s] for s in b.stages)} · 金额单位：{unit} ·
生成于 {built} · 数据仓库版本 {e(b.warehouse or "—")}</div>
<h2>主要数字</h2><table>{head}{body}</table>
<p>养老补助占本年支出合计：<span class=big>{share}</span>（不含单位自身养老缴费）</p>
{stated_table(b)}
<div class=chart>{svg or ""}</div>
<h2>与对比组比较（{e(b.peer_zh)}，{b.year}年{stage}）</h2>{peer_table(b, unit, factor)}
<p class=note>排名第 1 = 最高；百分位 = 对比组中低于它的比例；未公开的数不参与统计（不当作 0）。</p>
<h2>变化最大的项目及单位自述原因</h2>
<table><tr><th>项目</th><th>增减（{unit}）</th><th>文件所印增减率</th><th>原因</th></tr>{changes}</table>
<h2>勾稽核验</h2><table class=checks><tr><th>程度</th><th>说明</th><th>出处</th></tr>{checks}</table>
<h2>养老补助构成</h2><table><tr><th>类别</th><th>项目/科目</th><th>金额（{unit}）</th></tr>{pension}</table>
<h2>“三公”经费</h2><table><tr><th>项目</th><th>口径</th><th>金额（{unit}）</th><th>来源</th></tr>{sangong}</table>
<h2>注释：数据来源</h2><ol class=note>{notes_html}</ol>
<p class=note>文件：{e("；".join(b.sources))}。金额以文件所印为准；“未公开”表示文件没有给出该数；增减率按数字计算。</p>
{link_html(link)}
</body></html>"""


def link_html(link: str | None) -> str:
    """The full link of the view the report was made from (query string included), printed whole
    so it survives a printout and can be typed back."""
    if not link:
        return ""
    e = html.escape
    return f'<p class="note link">查看与复核：<a href="{e(link)}">{e(link)}</a></p>'


def html_to_pdf(html_text: str, out: Path) -> Path:
    out = Path(out).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "report.html"
        src.write_text(html_text, encoding="utf-8")
        cmd = [
            CHROMIUM,
            "--headless",
            *FLAGS,
            f"--user-data-dir={tmp}/profile",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            src.as_uri(),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    if not out.exists() or out.stat().st_size == 0:
        raise RuntimeError("chromium produced no PDF")
    out.write_bytes(fix_to_unicode(out.read_bytes()))  # 香, not the radical ⾹, in the text layer
    return out


def build_report(
    cur: duckdb.DuckDBPyConnection,
    county: str,
    year: int,
    out: Path,
    *,
    warehouse: str | None = None,
    unit: str = DEFAULT_DISPLAY_UNIT,
    peer_mode: str = "all",
    picked=(),
    link: str | None = None,
) -> Path:
    factor = UNIT_FACTORS[unit]
    brief = county_brief(cur, county, year, warehouse=warehouse, peer_mode=peer_mode, picked=picked)
    svg = to_image(brief_chart(brief, unit, factor), "svg").decode("utf-8")
    svg = svg[svg.find("<svg") :]
    return html_to_pdf(render_html(brief, unit=unit, factor=factor, svg=svg, link=link), out)


def _body(doc: str) -> str:
    return doc[doc.index("<body>") + len("<body>") : doc.rindex("</body>")]


def combine_html(docs: list[str], title: str) -> str:
    """Several county reports as one document: each starts on a new page; one stylesheet, one
    page numbering for the whole."""
    parts = "".join(
        f'<section style="break-before: page">{_body(d)}</section>' if i else f"<section>{_body(d)}</section>"
        for i, d in enumerate(docs)
    )
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{CSS}</style></head><body>{parts}</body></html>"
    )


def build_meeting_report(
    cur: duckdb.DuckDBPyConnection,
    items: list[tuple[str, int]],
    out: Path,
    *,
    warehouse: str | None = None,
    unit: str = DEFAULT_DISPLAY_UNIT,
    peer_mode: str = "all",
    picked=(),
    link: str | None = None,
) -> Path:
    """One PDF for the counties on the meeting screen: `items` are (unit key or county, year) in
    screen order, each county at the year the screen shows it."""
    factor = UNIT_FACTORS[unit]
    docs, names = [], []
    for county, year in items:
        brief = county_brief(cur, county, year, warehouse=warehouse, peer_mode=peer_mode, picked=picked)
        svg = to_image(brief_chart(brief, unit, factor), "svg").decode("utf-8")
        docs.append(render_html(brief, unit=unit, factor=factor, svg=svg[svg.find("<svg") :], link=link))
        names.append(f"{brief.county} {year}")
    return html_to_pdf(combine_html(docs, "、".join(names) + " 简报"), out)
