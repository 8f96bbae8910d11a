"""Python trafilatura on the WCXB pages, for `storyline eval extraction-wcxb`.

Usage: python wcxb_trafilatura.py HTML_DIR
Prints one JSON line per page: {"id", "text", "title", "author", "date"} (trafilatura's defaults,
metadata on), so its figures sit beside storyline's in the same run.
"""
import gzip
import json
import pathlib
import sys

import trafilatura
from trafilatura.utils import decode_file


def main():
    folder = pathlib.Path(sys.argv[1])
    for path in sorted(folder.glob("*.html.gz")):
        html = decode_file(gzip.decompress(path.read_bytes()))
        doc = trafilatura.bare_extraction(html, with_metadata=True)
        if doc is not None and not isinstance(doc, dict):
            doc = doc.as_dict()
        doc = doc or {}
        out = {"id": path.name.split(".")[0], "text": doc.get("text") or "", "title": doc.get("title"),
               "author": doc.get("author"), "date": doc.get("date")}
        sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
