"""The DuckDB warehouse: declared schema, atomic builds, named queries. No streamlit imports."""
