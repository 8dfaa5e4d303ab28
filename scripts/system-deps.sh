#!/usr/bin/env bash
# Debian packages the browser tests and chart exports need: chromium (driven by playwright through
# executable_path, never `playwright install`), CJK fonts so Chinese renders in screenshots, and an
# emoji font for the page icons; and LibreOffice Writer without its GUI, which converts Word 97-2003
# .doc disclosures to .docx for the ETL (`soffice --headless --convert-to docx`; etl/readers/word.py).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
# The page icons are emoji (a :material/ icon fetched the tab icon from fonts.gstatic.com).
fc-list 2>/dev/null | grep -qi "Noto Color Emoji" || need+=(fonts-noto-color-emoji)
# The smallest package that converts .doc (Writer and its import filters, no X11 stack).
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${need[*]} (run: sudo apt-get install -y ${need[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null
