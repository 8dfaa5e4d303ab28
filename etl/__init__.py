"""ETL for county social-insurance agency budget disclosures (部门预算 / 部门决算).

Layers: readers (text, PDF) -> document model -> recognisers per table family -> warehouse.
"""
