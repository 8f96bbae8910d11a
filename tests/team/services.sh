#!/usr/bin/env bash
# Installs (when missing) and starts the services the team-store tests need:
# PostgreSQL 15 from Debian, with a role that may create databases, and
# nats-server (each test starts its own on a free loopback port). Writes the
# environment the tests read to target/team-services.env.
set -euo pipefail
cd "$(dirname "$0")/../.."
missing=()
command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
command -v nats-server >/dev/null || missing+=(nats-server)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (Debian packages)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 50); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 0.2
done
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
as_postgres "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = 'storyline_ci'\"" | grep -q 1 ||
  as_postgres "psql -qc \"CREATE ROLE storyline_ci LOGIN CREATEDB PASSWORD 'storyline_ci'\""
mkdir -p target
cat > target/team-services.env <<ENV
export STORYLINE_TEST_PG=postgres://storyline_ci:storyline_ci@127.0.0.1/postgres
export STORYLINE_TEST_PG_RESTART="pg_ctlcluster $version main restart"
ENV
echo "PostgreSQL $version and nats-server ready"
