#!/usr/bin/env bash
# Audits of the companion's pages as a person on a phone gets them:
# Lighthouse (mobile: performance and accessibility), axe-core and the Nu
# HTML checker, against a fresh server on loopback with one saved plan
# that has a diary entry. Tools come from npm (lighthouse, axe-core,
# puppeteer-core, vnu-jar) into a cache folder, and run with Debian's
# Chromium and Java. Prints one line per page and tool; exit 1 when a
# target is missed (performance ≥ 95, accessibility 100, no axe violation,
# no HTML error). Copy the lines into docs/performance.md with this
# command.
#
#   scripts/audit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "chromium is needed: apt-get install -y chromium" >&2; exit 2; }
command -v java >/dev/null || { echo "java is needed: apt-get install -y default-jre-headless" >&2; exit 2; }
command -v npm >/dev/null || { echo "npm is needed: apt-get install -y npm" >&2; exit 2; }
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}

tools=${XDG_CACHE_HOME:-$HOME/.cache}/unknot-audit
mkdir -p "$tools"
if [ ! -d "$tools/node_modules/lighthouse" ]; then
  (cd "$tools" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent lighthouse axe-core puppeteer-core@22 vnu-jar)
fi
cp scripts/audit/axe.js "$tools/axe.js"

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/unknot" ./cmd/unknot
addr=127.0.0.1:18090
"$work/unknot" serve --addr "$addr" --db "$work/audit.db" >"$work/serve.log" 2>&1 &
pid=$!
until curl -fsS "http://$addr/healthz" >/dev/null 2>&1; do sleep 0.05; done

base=http://$addr
answers='{"version":2,"age":34,"regions":["top_of_shoulder","shoulder_blade"],"duration_days":10,"onset":"gradual","pain_now":4,"habits":{"desk_hours":8,"posture":["rounded_shoulders"]}}'
plan=$(curl -fsS -X POST "$base/api/v1/assessments" -H 'Content-Type: application/json' -d "$answers" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])')
token=${plan##*/}
curl -fsS -X POST "$base/api/v1/plans/$token/entries" -H 'Content-Type: application/json' \
  -d '{"pain":4,"regions":["top_of_shoulder"],"note":"after the routine"}' >/dev/null || true
pages=("$base/plan/$token" "$base/plan/$token/today" "$base/plan/$token/diary")

status=0
for url in "${pages[@]}"; do
  name=${url#"$base"}
  name=${name/$token/\{token\}}
  (cd "$tools" && npx --no-install lighthouse "$url" --quiet --form-factor=mobile \
    --chrome-flags="--headless=new --no-sandbox" --only-categories=performance,accessibility \
    --output=json --output-path="$work/lh.json") >/dev/null 2>&1
  python3 - "$work/lh.json" "$name" <<'PY' || status=1
import json, sys
d = json.load(open(sys.argv[1]))
perf = round(d["categories"]["performance"]["score"] * 100)
a11y = round(d["categories"]["accessibility"]["score"] * 100)
metrics = ", ".join(f"{k} {d['audits'][k]['displayValue']}" for k in
                    ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift"))
print(f"lighthouse {sys.argv[2]}: performance {perf}, accessibility {a11y} ({metrics})")
for ref in d["categories"]["accessibility"]["auditRefs"]:
    audit = d["audits"][ref["id"]]
    if audit["score"] is not None and audit["score"] < 1:
        print(f"  {ref['id']}: {audit['title']}")
sys.exit(0 if perf >= 95 and a11y == 100 else 1)
PY
done
(cd "$tools" && node axe.js "${pages[@]}") || status=1
for url in "${pages[@]}"; do
  name=${url#"$base"}
  name=${name/$token/\{token\}}
  curl -fsS "$url" -o "$work/page.html" # the checker refuses loopback addresses
  if errors=$(java -jar "$tools/node_modules/vnu-jar/build/dist/vnu.jar" --errors-only "$work/page.html" 2>&1) && [ -z "$errors" ]; then
    echo "nu html checker $name: no errors"
  else
    echo "nu html checker $name: errors"
    echo "$errors" | sed "s#$token#{token}#g; s/^/  /"
    status=1
  fi
done
exit $status
