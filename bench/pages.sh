#!/usr/bin/env bash
# Times the main pages for each role against a running renda on 127.0.0.1:
# best and worst of three requests each, as a table. Used by run-items.sh.
#   bench/pages.sh http://127.0.0.1:18183
set -euo pipefail
base=${1:?base URL}
login() {
  curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"Demo@2026\"}" "$base/api/session" |
    sed -n 's/^set-cookie: \(renda_session=[^;]*\).*/\1/Ip' | tr -d '\r'
}
time_page() { # role cookie path
  local times=() code=""
  for _ in 1 2 3; do
    read -r code t < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Cookie: $2" "$base$3")
    times+=("$t")
  done
  python3 -c 'import sys; v=[float(x)*1000 for x in sys.argv[4:]]; print(f"{sys.argv[1]:<8} {sys.argv[2]:<44} {sys.argv[3]} {min(v):8.1f} ms {max(v):8.1f} ms")' \
    "$1" "$3" "$code" "${times[@]}"
}
echo "role     page                                         code     best      worst"
for role in staff handler deputy; do
  cookie=$(login "$role")
  for page in / /work /suggestions '/suggestions?page=400' '/suggestions?q=%E9%81%93%E8%B7%AF' \
    /stats '/stats?dimension=category' /inbox /api/queues/overdue; do
    time_page "$role" "$cookie" "$page"
  done
done
time_page staff "$(login staff)" '/stats?dimension=category&session_id=all'
time_page anonymous "" /public/replies
