"""Checks OUTPUT_DIR/group/report.html against the group tables, computed here with pandas:
the outliers (modified z-score, per feature and session, |z| > 3.5, MAD = 0 flags nothing) against table.outliers,
the strip plots' points read back through the data-* mapping, the MADRS scatter, the pre/post lines, the failures
table, the subject-page links, and that nothing is fetched. Exit status 1 on any mismatch.
usage: report_group.py OUTPUT_DIR [--page FILE] [--expect FEATURE:PARTICIPANT:SESSION ...]"""
import argparse
import html.parser
import os
import re
import sys

import numpy as np
import pandas as pd

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--page", help="the page to check (default OUTPUT_DIR/group/report.html)")
ap.add_argument("--expect", nargs="*", default=[], help="outliers that must be listed")
a = ap.parse_args()
group = os.path.join(a.out, "group")
page = a.page or os.path.join(group, "report.html")
bad = []


def check(what, ok):
    if not ok:
        bad.append(what)


class Page(html.parser.HTMLParser):
    """Tables (class -> rows of (tr attributes, cell texts)), plots with their circles and lines, links, sections."""

    def __init__(self):
        super().__init__()
        self.tables, self.plots, self.refs, self.sections, self.tags = {}, [], [], [], set()
        self._table = self._row = self._cell = self._plot = self._title = None

    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        self.tags.add(tag)
        for k in ("href", "src"):
            if k in d:
                self.refs.append(d[k])
        cls = d.get("class") or ""
        if tag == "table":
            self._table = self.tables.setdefault(cls, [])
        elif tag == "tr" and self._table is not None:
            self._row = (d, [])
            self._table.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "section" and cls == "feature":
            self.sections.append(d["data-feature"])
        elif tag == "svg":
            self._plot = {k[5:]: v for k, v in d.items() if k.startswith("data-")}
            self._plot["circles"], self._plot["lines"] = [], []
            self.plots.append(self._plot)
        elif tag == "circle" and self._plot is not None:
            self._plot["circles"].append(d)
        elif tag == "line" and self._plot is not None and "class" in d:
            self._plot["lines"].append(d)
        elif tag == "title" and self._plot is not None:
            self._title = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._title is not None:
            self._title.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row[1].append("".join(self._cell))
            self._cell = None
        elif tag == "tr":
            self._row = None
        elif tag == "table":
            self._table = None
        elif tag == "svg":
            self._plot = None
        elif tag == "title" and self._title is not None:
            self._plot["circles"][-1]["title"] = "".join(self._title)
            self._title = None


p = Page()
with open(page, encoding="utf-8") as f:
    text = f.read()
p.feed(text)

# the tables, read as text (n/a kept as a string, values parsed here)
long = pd.read_csv(os.path.join(group, "features_long.tsv"), sep="\t", dtype=str, keep_default_na=False)
wide = pd.read_csv(os.path.join(group, "features.tsv"), sep="\t", dtype=str, keep_default_na=False)
fails = pd.read_csv(os.path.join(group, "failures.tsv"), sep="\t", dtype=str, keep_default_na=False)
long["x"] = pd.to_numeric(long["value"].replace("n/a", np.nan), errors="coerce")
features = list(dict.fromkeys(long["feature"]))
spec = open(os.path.join(a.out, "pipeline.yaml"), encoding="utf-8").read()
pre = "ses-" + (re.findall(r"^\s+pre_session:\s*(\S+)", spec, re.M) or ["pre"])[0]
post = "ses-" + (re.findall(r"^\s+post_session:\s*(\S+)", spec, re.M) or ["post"])[0]
seen = list(dict.fromkeys(wide["session_id"]))
sessions = [s for s in (pre, post) if s in seen] + [s for s in seen if s not in (pre, post)]

# outliers, independently: per feature and session, finite values only
want = []
for (feat, ses), g in long.groupby(["feature", "session_id"], sort=False):
    x = g[np.isfinite(g["x"])]
    if x.empty:
        continue
    med = x["x"].median()
    mad = (x["x"] - med).abs().median()
    if mad == 0:
        continue
    z = 0.6745 * (x["x"] - med) / mad
    for (_, r), zi in zip(x.iterrows(), z):
        if abs(zi) > 3.5:
            want.append((features.index(feat), r["participant_id"], sessions.index(ses), feat, r["x"], zi))
want.sort(key=lambda t: t[:3])
got = [(c[0], c[1], c[2], float(c[3]), float(tr["data-z"]), c[4]) for tr, c in p.tables.get("outliers", [])[1:]]
print(f"outliers: {len(want)} by pandas, {len(got)} on the page")
check("outliers: the same rows in the same order (feature, participant, session)",
      [(w[3], w[1], sessions[w[2]]) for w in want] == [g[:3] for g in got])
for w, g in zip(want, got):
    check(f"outlier value {g[:3]}: {g[3]} vs {w[4]}", abs(g[3] - w[4]) <= 1e-6 * abs(w[4]))
    check(f"outlier z {g[:3]}: {g[4]} vs {w[5]}", abs(g[4] - w[5]) <= 1e-6 * abs(w[5]))
    check(f"outlier z as printed {g[:3]}: {g[5]}", abs(float(g[5]) - w[5]) <= 0.005 + 1e-9)
for e in a.expect:
    check(f"expected outlier {e} listed", tuple(e.split(":")) in [g[:3] for g in got])
flagged = {(w[3], w[1], sessions[w[2]]) for w in want}

# one section per feature, each with its three plots
check(f"one section per feature in order: {p.sections[:3]}... vs {features[:3]}...", p.sections == features)
plots = {(q.get("plot"), q.get("feature")): q for q in p.plots}
for feat in features:
    for kind in ("strip", "prepost", "madrs"):
        check(f"{kind} plot of {feat}", (kind, feat) in plots or (kind == "prepost" and not {pre, post} <= set(seen)))
check("one plot of each kind per feature", len(p.plots) == len(plots))


def to_data(q, c):
    x0, x1, y0, y1, left, top, w, h = (float(q[k]) for k in ("x0", "x1", "y0", "y1", "left", "top", "w", "h"))
    x = x0 + (float(c["cx"]) - left) / w * (x1 - x0)
    y = y0 + (1 - (float(c["cy"]) - top) / h) * (y1 - y0)
    # cx, cy are printed to 1/1000 pixel
    return x, y, 0.0011 * (x1 - x0) / w, 0.0011 * (y1 - y0) / h


values = {(r.participant_id, r.session_id, r.feature): r.x for r in long.itertuples()}
for feat in features:
    q = plots.get(("strip", feat))
    if q is None:
        continue
    drawn = set()
    for c in q["circles"]:
        pid, ses = c["title"].split(":")[0].split(" ")
        x, y, tx, ty = to_data(q, c)
        v = values.get((pid, ses, feat), np.nan)
        check(f"strip {feat} {pid} {ses}: point y {y} vs value {v}", abs(y - v) <= ty + 1e-9 * abs(v))
        check(f"strip {feat} {pid} {ses}: in its session's column", round(x) == sessions.index(ses) and abs(x - round(x)) <= 0.31)
        check(f"strip {feat} {pid} {ses}: class {c['class']}", c["class"] == ("outlier" if (feat, pid, ses) in flagged else "point"))
        drawn.add((pid, ses))
    finite = {(k[0], k[1]) for k, v in values.items() if k[2] == feat and np.isfinite(v)}
    check(f"strip {feat}: every finite value drawn once ({len(q['circles'])} circles, {len(finite)} values)",
          drawn == finite and len(q["circles"]) == len(finite))
    # pre/post: a line per subject with both values
    pp = plots.get(("prepost", feat))
    if pp is not None:
        both = {k[0] for k in finite if k[1] == pre} & {k[0] for k in finite if k[1] == post}
        check(f"prepost {feat}: {len(pp['lines'])} lines for {len(both)} subjects", len(pp["lines"]) == len(both))
    # MADRS: baseline value against percent change, class by responder
    mq = plots.get(("madrs", feat))
    if mq is not None:
        base = sessions[0]
        rows = wide[wide["session_id"] == base]
        n = 0
        for r in rows.itertuples():
            xv = pd.to_numeric(r.madrs_pct_change, errors="coerce")
            yv = values.get((r.participant_id, base, feat), np.nan)
            if not (np.isfinite(xv) and np.isfinite(yv)):
                continue
            n += 1
            cs = [c for c in mq["circles"] if c["title"].split(":")[0] == r.participant_id]
            cls = {"1": "responder", "0": "nonresponder"}.get(r.responder, "responder-na")
            ok = len(cs) == 1 and cs[0]["class"] == cls
            if ok:
                x, y, tx, ty = to_data(mq, cs[0])
                ok = abs(x - xv) <= tx + 1e-9 * abs(xv) and abs(y - yv) <= ty + 1e-9 * abs(yv)
            check(f"madrs {feat} {r.participant_id}: one {cls} point at ({xv}, {yv})", ok)
        check(f"madrs {feat}: {len(mq['circles'])} points, {n} expected", len(mq["circles"]) == n)

# failures: failures.tsv's rows, as written
rows = [c for _, c in p.tables.get("failures", [])[1:]]
check(f"failures: {len(rows)} rows on the page, {len(fails)} in failures.tsv", rows == fails.values.tolist())

# links: each resolves to an existing file; every existing subject page is linked; missing ones are marked
for ref in p.refs:
    if ref.startswith("#"):
        check(f"anchor {ref}", ref[3:] in features)
        continue
    check(f"link {ref}: relative, no scheme", not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", ref))
    check(f"link {ref} exists", os.path.isfile(os.path.join(group, ref)))
pages = set()
for root, _, files in os.walk(a.out):
    for f in files:
        if re.match(r"sub-[^_]+(_ses-[^_]+)?_report\.html$", f):
            pages.add(os.path.relpath(os.path.join(root, f), group))
check(f"every subject page linked ({len(pages)} on disk)", pages <= set(p.refs))
for tr, c in p.tables.get("pages", [])[1:]:
    ref = re.sub(r"^missing: ", "", c[2])
    check(f"pages row {c}: 'missing' iff the file is", c[2].startswith("missing: ") != os.path.isfile(os.path.join(group, ref)))

# self-contained
check("no script, link, object, iframe, embed or img element",
      not ({"script", "link", "object", "iframe", "embed", "img", "image", "use"} & p.tags))
check("no url( nor @import", "url(" not in text and "@import" not in text)
check("a Content-Security-Policy forbidding requests", "content=\"default-src 'none'" in text)
check("no http URL but the SVG namespace", set(re.findall(r"https?://[^\"'<> ]+", text)) <= {"http://www.w3.org/2000/svg"})

for b in bad:
    print("FAIL", b)
print(f"{'FAIL' if bad else 'ok'}: {page}: {len(features)} features, {len(got)} outliers, {len(p.refs)} links, {len(bad)} problems")
sys.exit(1 if bad else 0)
