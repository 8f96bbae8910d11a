"""Times Python trafilatura on the same pages as `storyline bench extract`.

Usage: python trafilatura_bench.py HTML_DIR ROUNDS
Prints one JSON line: {"pages": N, "seconds": S, "version": V}, where S is the time of the
fastest of ROUNDS passes over the N pages (as on the Rust side: the best pass is the one least
disturbed by other work on the machine). Pages are read and decoded before the clock starts.
"""
import gzip
import json
import pathlib
import sys
import time

import trafilatura
from trafilatura.utils import decode_file


def main():
    folder = pathlib.Path(sys.argv[1])
    rounds = int(sys.argv[2])
    pages = []
    for path in sorted(folder.glob("*.gz")):
        pages.append(decode_file(gzip.decompress(path.read_bytes())))
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for html in pages:
            trafilatura.extract(html)
        best = min(best, time.perf_counter() - start)
    print(json.dumps({"pages": len(pages), "seconds": best, "version": trafilatura.__version__}))


if __name__ == "__main__":
    main()
