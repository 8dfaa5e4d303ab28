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
    f"支持 PDF、文本、网页（HTML）、Excel、Word 及其 ZIP 压缩包；单个文件不超过 {lim.max_file_bytes // 2**20} MB，"
    f"每次最多 {lim.max_files} 个文件。文件类型按内容识别，不看扩展名。"
)
files = st.file_uploader("选择公开文件或 ZIP 压缩包", accept_multiple_files=True, key="upload_files")

if files and st.button("识别文件", type="primary", key="upload_preview"):
    stored = service.store_uploads([(f.name, f.getvalue()) for f in files])
    bar = st.progress(0.0, text="正在解析…")
    rows = service.preview(stored, progress=lambda i, n: bar.progress(i / max(n, 1), text=f"正在解析（{i}/{n}）"))
    bar.empty()
    st.session_state["upload_stored"] = stored
    st.session_state["upload_rows"] = rows

rows = st.session_state.get("upload_rows")
if rows:
    table = pl.DataFrame(rows, infer_schema_length=None)
    st.dataframe(table, hide_index=True, width="stretch")
    ok = sum(1 for r in rows if r["结果"] == "可读取")
    st.write(f"可读取 {ok} 个，失败或被拒绝 {len(rows) - ok} 个。")
    if ok and st.button("加入共享数据仓库", key="upload_accept"):
        stored = [s for s, r in zip(st.session_state["upload_stored"], rows) if r["结果"] == "可读取"]
        service.accept_uploads(stored)
        with st.spinner("正在重建数据仓库（同一时间只进行一次重建）…"):
            try:
                db, n = service.rebuild()
            except Exception as exc:  # refused (less data), lock timeout, disk: say so, keep the old warehouse
                st.error(f"未发布新数据仓库：{exc}")
            else:
                st.success(f"已发布：共 {n} 份公开文档。其他页面在下次刷新时使用新数据。")
                st.session_state.pop("upload_rows", None)
                st.session_state.pop("upload_stored", None)
