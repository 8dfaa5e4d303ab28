"""上传文件: a user drops disclosures (any form the ETL reads) or a ZIP of them, sees what each
file is and how its checks went, then adds them to the shared warehouse.

This is the one page that drives the ETL, through `etl.service` (the app's decision to build,
like the first start): files are staged under content-addressed names, parsed in the same
isolated worker pool as a build (time and memory limits per file), and the rebuild that follows
is serialised by the build lock and published by the atomic swap. Pages being viewed keep their
warehouse file until their next run. `SHEBAO_UPLOADS=off` removes the page (read-only deployment).
"""

import polars as pl
import streamlit as st

from etl import service

st.title("上传文件")
if not service.UPLOADS_ENABLED:
    st.info("本站为只读部署，上传已关闭。")
    st.stop()

lim = service.UPLOAD_LIMITS
st.caption(
    f"支持 PDF、文本、网页（HTML）、Excel、Word 及其 ZIP 压缩包；每个上传文件（含压缩包）不超过 "
    f"{st.get_option('server.maxUploadSize')} MB，解压后单个文件不超过 {lim.max_file_bytes // 2**20} MB，"
    f"每次最多 {lim.max_files} 个文件。文件类型按内容识别，不看扩展名。"
)
# Streamlit 1.67's uploader prints a fixed English "Upload" button and "100MB per file" (no
# parameter for either): both are hidden (visibility, so they are not in the page's text) and said
# in Chinese in their place, by their data-testid. tests/test_room_browser.py checks it.
st.html(
    "<style>"
    "[data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer] p,"
    "[data-testid=stFileUploaderDropzoneInstructions] span { visibility: hidden; font-size: 0 !important; }"
    '[data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer] p::after { content: "选择文件";'
    " visibility: visible; font-size: 0.875rem; }"
    f'[data-testid=stFileUploaderDropzoneInstructions] span::after {{ content: "每个文件不超过 '
    f'{st.get_option("server.maxUploadSize")} MB"; visibility: visible; font-size: 0.75rem; }}'
    "</style>"
)
files = st.file_uploader("选择公开文件或 ZIP 压缩包", accept_multiple_files=True, key="upload_files")


def _safely(step: str, fn, *args, **kwargs):
    """Run one service step; an unexpected fault is one Chinese line, never a traceback or path."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the page says what failed; the log keeps the rest
        st.error(f"{step}失败（{type(exc).__name__}），未做任何更改，请稍后再试。")
        st.stop()


if files and st.button("识别文件", type="primary", key="upload_preview"):
    # The uploaded files go to the service as files, not copies in memory: a ZIP is streamed.
    stored = _safely("保存上传文件", service.store_uploads, [(f.name, f) for f in files])
    bar = st.progress(0.0, text="正在解析…")
    progress = lambda i, n: bar.progress(i / max(n, 1), text=f"正在解析（{i}/{n}）")  # noqa: E731
    rows = _safely("解析文件", service.preview, stored, progress=progress)
    bar.empty()
    st.session_state["upload_stored"] = stored
    st.session_state["upload_rows"] = rows

rows = st.session_state.get("upload_rows")
if rows:
    table = pl.DataFrame(rows, infer_schema_length=None)
    st.dataframe(table, hide_index=True, width="stretch")
    ok = sum(1 for r in rows if r["结果"] == "将载入")
    st.write(f"将载入 {ok} 个，不会载入或被拒绝 {len(rows) - ok} 个。")
    if ok and st.button("加入共享数据仓库", key="upload_accept"):
        stored = [s for s, r in zip(st.session_state["upload_stored"], rows) if r["结果"] == "将载入"]
        moved = _safely("加入待载入队列", service.accept_uploads, stored)
        expired = [s for s in stored if s.message]  # swept from staging since the preview
        for s in expired:
            st.warning(f"未载入：{s.original_name}：{s.message}")
        with st.spinner("正在把上传的文件加入数据仓库（同一时间只进行一次重建）…"):
            report = _safely("加入数据仓库", service.add_uploads, moved) if moved else None
        if report is not None:
            # No success message while any accepted file is missing.
            (st.success if report.published and not report.failed and not expired else st.warning)(report.message)
            for name, why in report.failed:
                st.error(f"未载入：{name}：{why}")
            if report.published:
                st.caption("其他页面在下次刷新时使用新数据。")
        st.session_state.pop("upload_rows", None)
        st.session_state.pop("upload_stored", None)
