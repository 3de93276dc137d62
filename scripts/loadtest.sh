#!/usr/bin/env bash
# Bounded load test of unknot on loopback: builds the binary, starts it on a
# fresh SQLite database (with the demo clinic), measures start-up time and
# idle memory, then runs wrk against POST /api/v1/assessments and against
# GET /api/v1/slots (the demo clinic's trigger point therapy over 14 days),
# each for a fixed duration. Results go to stdout; copy them into
# docs/performance.md with this command line.
#
#   scripts/loadtest.sh [DURATION_SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
conns=${2:-32}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 2; }

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/unknot" ./cmd/unknot
addr=127.0.0.1:18080

start=$(date +%s%N)
"$work/unknot" serve --addr "$addr" --db "$work/load.db" --write-rate 1000000 --write-burst 1000000 >/dev/null 2>&1 &
pid=$!
until curl -fsS "http://$addr/healthz" >/dev/null 2>&1; do sleep 0.005; done
ready=$(( ($(date +%s%N) - start) / 1000000 ))
echo "start-up to ready (first /healthz answered): ${ready} ms"
sleep 2
echo "idle resident memory: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"version":2,"age":38,"regions":["top_of_shoulder","base_of_skull"],"side":"both","duration_days":9,"onset":"gradual","pain_now":5,"trend":"same","home_care_days":3,"habits":{"desk_hours":8,"phone_hours":3,"breaks":"rarely","stress":"high","posture":["forward_head","rounded_shoulders"],"sleep_position":"stomach"},"tried":[{"what":"heat","helped":"somewhat"}]}'
LUA
# cputicks prints the server's CPU time so far (user + system), in clock ticks.
cputicks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
echo "wrk: POST /api/v1/assessments, ${duration}s, ${conns} connections, 2 threads"
before=$(cputicks)
wrk -t2 -c"$conns" -d"${duration}s" --latency -s "$work/post.lua" "http://$addr/api/v1/assessments" | tee "$work/wrk.txt"
# CPU per request, unlike requests/s, hardly moves when other work shares the cores.
awk -v ticks=$(( $(cputicks) - before )) -v hz="$(getconf CLK_TCK)" \
  '/requests in/ {printf "server CPU per request: %.0f µs\n", ticks / hz / $1 * 1e6}' "$work/wrk.txt"
echo "resident memory after load: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"

from=$(date -u -d tomorrow +%F)
to=$(date -u -d "tomorrow + 13 days" +%F)
slots="http://$addr/api/v1/slots?service=trigger-60&from=$from&to=$to"
echo "GET /api/v1/slots answers $(curl -fsS "$slots" | grep -o '"start"' | wc -l) slots, $(curl -fsS "$slots" | wc -c) bytes"
echo "wrk: GET /api/v1/slots (14 days), ${duration}s, ${conns} connections, 2 threads"
wrk -t2 -c"$conns" -d"${duration}s" --latency "$slots"
