#!/usr/bin/env bash
# Runs every fuzz target in turn for MINUTES minutes each (default 1) and
# prints, per target, the executions, the coverage reached and the crashes.
# Seed corpora: the example corpus and the pages the hostile-corpus test
# writes are copied in at run time; nothing generated is committed.
# A unit slower than 60 s counts as a hang (instrumented builds run several times slower than release).
# Needs cargo-fuzz (installed here if missing) and a stable toolchain with
# RUSTC_BOOTSTRAP=1 for libFuzzer's sanitizer flags; nothing is downloaded
# but crates.
#   scripts/fuzz.sh [MINUTES] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-1}
shift || true
# Fractions of a minute are allowed (0.5); libFuzzer takes whole seconds, and 0 would mean forever.
seconds=$(awk -v m="$minutes" 'BEGIN { s = int(m * 60); print (s < 1 ? 1 : s) }')
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list)
work=target/fuzz-runs
mkdir -p "$work"
printf '%-18s %12s %10s %10s %8s\n' target executions coverage features crashes
for t in "${targets[@]}"; do
  corpus=fuzz/corpus/$t
  mkdir -p "$corpus"
  case $t in
    extract_html) cp examples/corpus/*.html "$corpus"/ 2>/dev/null || true ;;
    extract_text|dates|time_expressions|ner|dedup|quotes|events) cp examples/corpus/*.txt examples/quotes/*.txt "$corpus"/ 2>/dev/null || true ;;
    jsonl) cp examples/corpus/*.jsonl "$corpus"/ 2>/dev/null || true ;;
    feed) printf '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>Un titre</title><link>https://example.org/a</link><description>Un résumé.</description></item></channel></rss>' > "$corpus/seed.rss" ;;
    warc) printf 'WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.org/\r\nContent-Length: 60\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><p>x</p></html>\r\n\r\n' > "$corpus/seed.warc" ;;
  esac
  log=$work/$t.log
  cargo fuzz build -O "$t" >/dev/null 2>&1
  cargo fuzz run -O "$t" "$corpus" -- -max_total_time=$seconds -print_final_stats=1 -rss_limit_mb=2048 \
    -timeout=60 >"$log" 2>&1 || true
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
  # slow-unit-* files are libFuzzer's slowest inputs, not failures.
  crashes=$(ls fuzz/artifacts/"$t" 2>/dev/null | grep -cE '^(crash|timeout|oom|leak)-' || true)
  printf '%-18s %12s %10s %10s %8s\n' "$t" "${execs:-0}" "${cov:-0}" "${ft:-0}" "$crashes"
done
echo "logs in $work; crashing inputs in fuzz/artifacts/TARGET (make each a regression test under crates/*/tests/fixtures/)"
