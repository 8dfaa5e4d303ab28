"""概览: the county-year summary with the documents behind it."""

import streamlit as st

from pages._shared import STAGES, cursor, sidebar_filters
from warehouse import queries

cur = cursor()
counties, years, stage = sidebar_filters(cur)
st.title("县域社保预决算概览")
df = queries.summary(cur, counties, years, stage)
if df.is_empty():
    st.info("没有符合筛选条件的文档。")
else:
    st.dataframe(
        df.with_columns(df["stage"].replace_strict(STAGES, default=df["stage"])),
        hide_index=True,
        use_container_width=True,
    )
st.subheader("来源文件")
st.dataframe(queries.documents(cur), hide_index=True)
failed = queries.failed_files(cur)
if not failed.is_empty():
    st.warning("以下文件未能读取：")
    st.dataframe(failed, hide_index=True)
