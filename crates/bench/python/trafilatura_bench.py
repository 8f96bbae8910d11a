"""Times Python trafilatura on the same pages as `storyline bench extract`.

Usage: python trafilatura_bench.py HTML_DIR ROUNDS
Prints one JSON line: {"pages": N, "seconds": S, "version": V}.
Pages are read and decoded before the clock starts, as on the Rust side.
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
    start = time.perf_counter()
    for _ in range(rounds):
        for html in pages:
            trafilatura.extract(html)
    seconds = time.perf_counter() - start
    print(json.dumps({"pages": len(pages) * rounds, "seconds": seconds, "version": trafilatura.__version__}))


if __name__ == "__main__":
    main()
