#!/usr/bin/env bash
# Browser test of the web page: builds a store from the example corpus plus an article holding a <script>
# tag, serves it on loopback, and drives Debian's chromium over the DevTools protocol (tests/browser/test.mjs).
# Needs the release binary, node and chromium (.ci/run installs the Debian package); puppeteer-core comes
# from npm and downloads no browser. Screenshots go to target/browser-test/.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=target/release/storyline
work=target/browser-test
rm -rf "$work" && mkdir -p "$work"
printf 'Un article piégé\n\nLa chorale de Quimper a chanté <script>window.__pwned = 1</script> mardi 4 février 2025 devant trois cents spectateurs ravis par le programme.\n' > "$work/script.txt"
$bin --db "$work/store.db" ingest -q examples/corpus "$work/script.txt"
[ -d tests/browser/node_modules/puppeteer-core ] || npm install --silent --no-audit --no-fund --prefix tests/browser >/dev/null
port=$((20000 + RANDOM % 20000))
$bin --db "$work/store.db" serve --addr "127.0.0.1:$port" 2>"$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  node -e "fetch('http://127.0.0.1:$port/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))" && break
  sleep 0.2
done
STORYLINE_URL="http://127.0.0.1:$port" SHOTS_DIR="$PWD/$work" node tests/browser/test.mjs
