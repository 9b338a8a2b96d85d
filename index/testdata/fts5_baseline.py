#!/usr/bin/env python3
# Usage: python3 index/testdata/fts5_baseline.py knowledge/base QUESTIONS.txt (one question a line).
# Needs PyYAML. Compare with: /usr/bin/time factbot ask --json < QUESTIONS.txt
# SQLite FTS5 baseline as issue 9 describes it: one row per fact, every
# language's text, tags and figures in one column, unicode61, an OR of the
# question's words, ordered by bm25. Prints CPU seconds for build and queries.
import glob, re, sqlite3, sys, time, yaml
base = sys.argv[1]
qs = [l.rstrip("\n") for l in open(sys.argv[2], encoding="utf-8") if l.strip()]
t0 = time.process_time()
rows = []
for p in sorted(glob.glob(base + "/facts/*.yaml")):
    for f in (yaml.safe_load(open(p, encoding="utf-8")) or {}).get("facts", []):
        parts = list((f.get("text") or {}).values()) + [str(t) for t in f.get("tags", []) or []]
        for fig in f.get("figures", []) or []:
            parts.append(str(fig.get("value", "")))
        rows.append((f["id"], " ".join(parts)))
db = sqlite3.connect(":memory:")
db.execute("create virtual table t using fts5(id unindexed, body, tokenize='unicode61')")
db.executemany("insert into t values (?,?)", rows)
t1 = time.process_time()
word = re.compile(r"\w+", re.U)
n = 0
for q in qs:
    ws = word.findall(q)
    if not ws:
        continue
    m = " OR ".join('"%s"' % w.replace('"', '') for w in ws)
    db.execute("select id from t where t match ? order by bm25(t) limit 3", (m,)).fetchall()
    n += 1
t2 = time.process_time()
print(f"fts5: {len(rows)} facts, load+build {t1-t0:.3f}s CPU, {n} queries {t2-t1:.3f}s CPU = {(t2-t1)/n*1000:.3f} ms/question")
