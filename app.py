"""县域社保预决算对比看板 — Streamlit entry point. Pages are declared here with st.navigation."""

import streamlit as st

st.set_page_config(page_title="县域社保预决算对比看板", page_icon=":material/bar_chart:", layout="wide")

pages = [
    st.Page("pages/overview.py", title="概览", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/yoy.py", title="同比变化", icon=":material/trending_up:", url_path="yoy"),
    st.Page("pages/structure.py", title="支出结构", icon=":material/account_tree:", url_path="structure"),
    st.Page("pages/pension.py", title="养老补助占比", icon=":material/elderly:", url_path="pension"),
    st.Page("pages/sangong.py", title="三公经费", icon=":material/directions_car:", url_path="sangong"),
    st.Page("pages/projects.py", title="项目与绩效", icon=":material/flag:", url_path="projects"),
    st.Page("pages/checks.py", title="数据核验", icon=":material/fact_check:", url_path="checks"),
    st.Page("pages/sources.py", title="来源文件", icon=":material/description:", url_path="sources"),
    st.Page("pages/meeting.py", title="会议模式", icon=":material/co_present:", url_path="meeting"),
]
st.navigation(pages).run()
