"""Finds the publication date of gzipped HTML pages with htmldate, the
reference of `storyline eval dates`. Reads one JSON object per line
({"url": ..., "path": ...}); prints one JSON object per line
({"extensive": "YYYY-MM-DD" or null, "fast": ...}), in input order. Options as
htmldate's own evaluation runs it (original_date=True: the publication date,
not the last update), which reproduces its published figures."""
import gzip
import json
import sys

from htmldate import find_date

for line in open(sys.argv[1], encoding="utf-8"):
    item = json.loads(line)
    html = gzip.open(item["path"]).read()
    out = {}
    for mode, extensive in (("extensive", True), ("fast", False)):
        try:
            out[mode] = find_date(html, url=item["url"], extensive_search=extensive, original_date=True)
        except Exception:  # a page htmldate cannot read counts as no date
            out[mode] = None
    print(json.dumps(out), flush=True)
