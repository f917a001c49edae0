#!/usr/bin/env bash
# The cost of the durable default (issue 12, section 2): the same write load
# with synchronous=FULL (the default) and with RENDA_SQLITE_SYNCHRONOUS=normal,
# on copies of one seeded database, against 127.0.0.1 only, bounded in time.
#   bench/durability.sh [ITEMS] [SECONDS]      default 100000 items, 20 s per run
set -euo pipefail
cd "$(dirname "$0")/.."
items="${1:-100000}"
seconds="${2:-20}"
cargo build --release -p renda -p bench
dir=$(mktemp -d)
trap 'kill $(cat "$dir/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$dir"' EXIT
key=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
export RENDA_MASTER_KEY=$key RENDA_LOG=warn
./target/release/renda-bench seed-items "sqlite://$dir/seed.db" "$key" "$items"
unit=$(python3 -c "import sqlite3; print(sqlite3.connect('$dir/seed.db').execute(\"SELECT id FROM unit WHERE name = '县交通运输局'\").fetchone()[0])")
for round in 1 2; do
  for mode in full normal; do
    rm -f "$dir"/run.db*
    python3 -c "import sqlite3; s=sqlite3.connect('$dir/seed.db'); d=sqlite3.connect('$dir/run.db'); s.backup(d)"
    RENDA_SQLITE_SYNCHRONOUS=$mode ./target/release/renda serve --database-url "sqlite://$dir/run.db" --addr 127.0.0.1:18184 >/dev/null 2>&1 & echo $! > "$dir/pid"
    for _ in $(seq 1 100); do curl -fs http://127.0.0.1:18184/healthz >/dev/null 2>&1 && break; sleep 0.1; done
    echo "-- round $round, synchronous=$mode: 16 deputies submit over 32 connections, staff accept and assign over 2"
    ./target/release/renda-bench load-flow 127.0.0.1:18184 "$unit" 32 2 "$seconds"
    kill "$(cat "$dir/pid")"; wait "$(cat "$dir/pid")" 2>/dev/null || true
  done
done
