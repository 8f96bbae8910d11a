"""Times Python trafilatura on the same pages as `storyline bench extract`, pass by pass.

Usage: python trafilatura_bench.py HTML_DIR
Reads and decodes the pages, prints one JSON line {"pages": N, "version": V}, then, for each
line "pass" read on standard input, extracts every page once and prints one JSON line
{"seconds": wall clock, "cpu": this process's CPU seconds}. The Rust side alternates its own
passes with these, so both are timed under the same conditions on a shared machine.
"""
import gzip
import json
import pathlib
import sys
import time

import trafilatura
from trafilatura.utils import decode_file


def say(value):
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


def main():
    folder = pathlib.Path(sys.argv[1])
    pages = [decode_file(gzip.decompress(path.read_bytes())) for path in sorted(folder.glob("*.gz"))]
    say({"pages": len(pages), "version": trafilatura.__version__})
    for line in sys.stdin:
        if line.strip() != "pass":
            continue
        wall, cpu = time.perf_counter(), time.process_time()
        for html in pages:
            trafilatura.extract(html)
        say({"seconds": time.perf_counter() - wall, "cpu": time.process_time() - cpu})


if __name__ == "__main__":
    main()
