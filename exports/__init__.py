"""Exports that leave the browser: chart images (kaleido), data bundles (ZIP) and the printable
county report (HTML -> PDF with Debian's chromium). No streamlit here: the pages and the
`python -m exports` command line use the same code."""
