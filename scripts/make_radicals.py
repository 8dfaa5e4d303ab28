"""Regenerate etl/reference/radicals_supplement.tsv from Unicode's EquivalentUnifiedIdeograph.txt
(Debian package unicode-data): CJK Radicals Supplement (U+2E80-2EFF) -> unified ideograph.
NFKC folds the Kangxi Radicals block but not this one, and PDF fonts emit both."""

from pathlib import Path

SRC = Path("/usr/share/unicode/EquivalentUnifiedIdeograph.txt")
OUT = Path(__file__).resolve().parent.parent / "etl" / "reference" / "radicals_supplement.tsv"

rows = []
for line in SRC.read_text(encoding="utf-8").splitlines():
    line = line.split("#")[0].strip()
    if not line:
        continue
    cps, target = (p.strip() for p in line.split(";"))
    start, _, end = cps.partition("..")
    for cp in range(int(start, 16), int(end or start, 16) + 1):
        if 0x2E80 <= cp <= 0x2EFF:
            rows.append(f"{cp:04X}\t{target}\t{chr(cp)}\t{chr(int(target, 16))}")
OUT.write_text("radical\tideograph\tradical_char\tideograph_char\n" + "\n".join(rows) + "\n", encoding="utf-8")
print(f"wrote {len(rows)} rows to {OUT}")
