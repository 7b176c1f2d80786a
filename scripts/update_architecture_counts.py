#!/usr/bin/env python3
"""Rewrites the size table of docs/architecture.md from the code (lines and files per package).
PackageCyclesTest.theArchitecturePageHasTheLineCounts fails until this is run after a change."""
import pathlib, re
root = pathlib.Path(__file__).resolve().parent.parent
main = root / "src/main/java/org/ketaprint"
counts = {}
for d in sorted(p for p in main.rglob("*") if p.is_dir()) + [main]:
    files = sorted(d.glob("*.java"))
    if files:
        name = "root package" if d == main else ".".join(d.relative_to(main).parts)
        counts[name] = (sum(len(f.read_text().splitlines()) for f in files), len(files))
extra = len((root / "src/main/java/HandleExtraFileTypes.java").read_text().splitlines())
layers = [("data access", ["nifti", "spaces", "roi", "atlas", "bids", "report"]),
          ("measures and stages", ["restingstate", "taskfmri", "pet", "mrs", "diffusion", "structural", "measure"]),
          ("statistics", ["stats", "model"]),
          ("orchestration", ["pipeline", "slurm", "table"]),
          ("doors", ["imagej", "cli", "imagej.commands"])]
listed = {n for _, ns in layers for n in ns} | {"bench", "root package"}
missing = set(counts) - listed
if missing:
    raise SystemExit("packages not in any layer of docs/architecture.md: %s" % sorted(missing))
rows = []
for layer, names in layers:
    rows.append("| %s | %s | %d |" % (layer, ", ".join("%s %d (%d)" % (n, *counts[n]) for n in names),
                                      sum(counts[n][0] for n in names)))
b, r = counts["bench"], counts["root package"]
rows.append("| other | bench %d (%d), root package %d (%d), `HandleExtraFileTypes.java` %d (1) | %d |"
            % (b[0], b[1], r[0], r[1], extra, b[0] + r[0] + extra))
rows.append("| all | %d files | %d |" % (sum(c[1] for c in counts.values()) + 1, sum(c[0] for c in counts.values()) + extra))
doc = root / "docs/architecture.md"
text = doc.read_text()
# a cherry-pick or merge conflict in the page: keep HEAD's side (the table is rewritten below; PackageCyclesTest
# still checks the package edges), never leave the markers
text = re.sub(r"^<<<<<<< [^\n]*\n(.*?)^=======\n.*?^>>>>>>> [^\n]*\n", r"\1", text, flags=re.S | re.M)
new = re.sub(r"\| data access \| nifti .*?\n\| all \| .*?\n", "\n".join(rows) + "\n", text, flags=re.S)
doc.write_text(new)
print("\n".join(rows))
