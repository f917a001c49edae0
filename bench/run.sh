#!/usr/bin/env bash
# Benchmarks of the foundation (issue 2), on this machine, against 127.0.0.1 only.
# Bounded: each load run lasts 20 s with 2 connections. Prints the figures
# recorded in docs/benchmarks.md.
#
#   bench/run.sh            (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p renda -p bench
dir=$(mktemp -d)
trap 'kill $(cat "$dir/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$dir"' EXIT
key=$(openssl rand -hex 32 2>/dev/null || python3 -c 'import secrets; print(secrets.token_hex(32))')
export RENDA_MASTER_KEY=$key RENDA_LOG=warn

echo "== idle memory after the demo"
./target/release/renda demo --database-url "sqlite://$dir/demo.db" >/dev/null
./target/release/renda serve --database-url "sqlite://$dir/demo.db" --addr 127.0.0.1:18181 >/dev/null & echo $! > "$dir/pid"
sleep 2
curl -s -o /dev/null -c "$dir/cj" -H 'Content-Type: application/json' -d '{"username":"staff","password":"Demo@2026"}' http://127.0.0.1:18181/api/session
curl -s -o /dev/null -b "$dir/cj" http://127.0.0.1:18181/deputies
sleep 1
echo "RSS after start-up and one page: $(ps -o rss= -p "$(cat "$dir/pid")") KiB"
kill "$(cat "$dir/pid")"; wait 2>/dev/null || true

echo "== import of a 10,000-row roster (new people), then the same file again (all updates)"
./target/release/renda-bench import "sqlite://$dir/import.db" "$key" 10000
./target/release/renda-bench import "sqlite://$dir/import.db" "$key" 10000

echo "== roster list at 100,000 deputies"
./target/release/renda-bench seed "sqlite://$dir/big.db" "$key" 100000
./target/release/renda serve --database-url "sqlite://$dir/big.db" --addr 127.0.0.1:18182 >/dev/null & echo $! > "$dir/pid"
sleep 2
cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' -d '{"username":"staff","password":"Demo@2026"}' http://127.0.0.1:18182/api/session | sed -n 's/^set-cookie: \(renda_session=[^;]*\).*/\1/Ip' | tr -d '\r')
for path in \
  "/api/deputies?level=county&status=in_office&page=1" \
  "/api/deputies?level=county&status=in_office&page=500" \
  "/api/deputies?delegation=%E9%BE%99%E6%BD%AD%E9%95%87%E4%BB%A3%E8%A1%A8%E5%9B%A2&status=in_office&page=300" \
  "/deputies?level=county&status=in_office&page=500"; do
  echo "-- GET $path"
  wrk -t1 -c2 -d20s --latency -H "Cookie: $cookie" "http://127.0.0.1:18182$path" | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx"
done
echo "RSS under load: $(ps -o rss= -p "$(cat "$dir/pid")") KiB"
