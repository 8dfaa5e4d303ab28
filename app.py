"""县域社保预决算对比看板 — Streamlit entry point. Pages are declared here with st.navigation."""

import streamlit as st

st.set_page_config(page_title="县域社保预决算对比看板", page_icon="📊", layout="wide")

pages = [
    st.Page("pages/overview.py", title="概览", icon="📋", default=True),
]
st.navigation(pages).run()
