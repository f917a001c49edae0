#!/usr/bin/env bash
# Benchmarks of the suggestion closed loop (issue 3) at 1,000,000 tracked items,
# on this machine, against 127.0.0.1 only, bounded in time. Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p renda -p bench
dir=$(mktemp -d)
trap 'kill $(cat "$dir/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$dir"' EXIT
key=$(openssl rand -hex 32 2>/dev/null || python3 -c 'import secrets; print(secrets.token_hex(32))')
export RENDA_MASTER_KEY=$key RENDA_LOG=warn
db="sqlite://$dir/items.db"
./target/release/renda-bench seed-items "$db" "$key" 1000000
echo "-- the reminder job over the seeded history (renda reminders)"
time ./target/release/renda reminders --database-url "$db"
./target/release/renda serve --database-url "$db" --addr 127.0.0.1:18183 >/dev/null & echo $! > "$dir/pid"
sleep 2
login() { curl -s -D - -o /dev/null -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"Demo@2026\"}" http://127.0.0.1:18183/api/session | sed -n 's/^set-cookie: \(renda_session=[^;]*\).*/\1/Ip' | tr -d '\r'; }
handler=$(login handler); staff=$(login staff)
session=$(sqlite3 "$dir/items.db" "SELECT session_id FROM suggestion WHERE session_id IS NOT NULL GROUP BY session_id ORDER BY COUNT(*) DESC LIMIT 1" 2>/dev/null || python3 -c "import sqlite3,sys; print(sqlite3.connect('$dir/items.db').execute('SELECT session_id FROM suggestion WHERE session_id IS NOT NULL GROUP BY session_id ORDER BY COUNT(*) DESC LIMIT 1').fetchone()[0])")
unit=$(python3 -c "import sqlite3; print(sqlite3.connect('$dir/items.db').execute(\"SELECT id FROM unit WHERE name = '县交通运输局'\").fetchone()[0])")
echo "-- a unit's overdue list (GET /api/queues/overdue as the transport bureau's handler)"
total=$(curl -s -H "Cookie: $handler" http://127.0.0.1:18183/api/queues/overdue | python3 -c 'import json,sys; v=json.load(sys.stdin); print(v["total"], "capped" if v["capped"] else "", len(v["items"]), "on the page")')
echo "   the list holds: $total"
case "$total" in 0\ *) echo "the unit has no overdue items: the seed is wrong" >&2; exit 1;; esac
wrk -t1 -c2 -d20s --latency -H "Cookie: $handler" "http://127.0.0.1:18183/api/queues/overdue" | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx"
echo "-- statistics page of one session (GET /stats?dimension=unit&session_id=$session as staff)"
wrk -t1 -c1 -d15s --latency -H "Cookie: $staff" "http://127.0.0.1:18183/stats?dimension=unit&session_id=$session" | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx"
echo "-- the main pages for each role (best and worst of three)"
bench/pages.sh http://127.0.0.1:18183
echo "-- creating and assigning suggestions over HTTP (create, submit, accept, assign)"
./target/release/renda-bench load-items 127.0.0.1:18183 "$unit" 8 20
./target/release/renda-bench load-items 127.0.0.1:18183 "$unit" 16 20
echo "-- a session's peak: 16 deputies submit from the form (create and submit in one request) over 32 connections; staff accept and assign page by page over 2"
./target/release/renda-bench load-flow 127.0.0.1:18183 "$unit" 32 2 20
./target/release/renda-bench load-flow 127.0.0.1:18183 "$unit" 32 2 20
# RssFile is the database file mapped by SQLite (mmap_size): page cache the kernel can reclaim, not heap.
grep -E '^(VmRSS|RssAnon|RssFile)' "/proc/$(cat "$dir/pid")/status" | tr -s ' \t' ' ' | paste -sd ';' | sed 's/^/memory: /'
