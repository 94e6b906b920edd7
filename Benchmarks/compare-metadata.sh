#!/usr/bin/env bash
# The registry's pull path with metadata recording off and on: manifest GET by tag with wrk
# against two `wharf serve` processes over one storage root, one with `metadata.enabled:
# false`, one recording every pull (batched) and its audit event, in interleaved rounds in
# a fresh random order each, compared by median. Needs wrk, skopeo, curl and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${ROUNDS:-9}
seconds=${WRK_SECONDS:-5}
off_port=${OFF_PORT:-5131}
on_port=${ON_PORT:-5132}
work=$(mktemp -d "${WORK_PARENT:-$PWD}/.bench-metadata-XXXXXX")
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

swift build -c release --product wharf >/dev/null
wharf="$(swift build -c release --show-bin-path)/wharf"

python3 Benchmarks/make-layout.py "$work/layout" 2 1 >/dev/null
printf 'metadata: { enabled: false }\n' >"$work/off.yaml"

serve() { # port, extra arguments
    local port=$1
    shift
    "$wharf" serve --address "127.0.0.1:$port" --root "$work/root" --log-level warning "$@" >"$work/$port.log" 2>&1 &
    pids+=($!)
    until curl -sf -o /dev/null "http://127.0.0.1:$port/v2/"; do sleep 0.05; done
}
serve "$off_port" --config "$work/off.yaml"
serve "$on_port"
skopeo copy --quiet --dest-tls-verify=false "oci:$work/layout:bench" "docker://127.0.0.1:$off_port/team/app:v1"

accept="Accept: application/vnd.oci.image.manifest.v1+json"
echo "== manifest GET by tag, wrk ${seconds}s, 1 thread, 16 connections, $rounds interleaved rounds"
for round in $(seq "$rounds"); do
    for side in $(printf "off\non\n" | shuf); do
        port=$off_port
        [ "$side" = on ] && port=$on_port
        rate=$(wrk -t 1 -c 16 -d "${seconds}s" -H "$accept" "http://127.0.0.1:$port/v2/team/app/manifests/v1" |
            awk '/Requests\/sec/ {print $2}')
        echo "$round $side $rate"
    done
done | python3 -c '
import statistics, sys
rates = {}
for line in sys.stdin:
    _, side, rate = line.split()
    rates.setdefault(side, []).append(float(rate))
print("| server | median req/s | min | max |")
print("|---|---:|---:|---:|")
for side in ("off", "on"):
    values = rates[side]
    print(f"| recording {side} | {statistics.median(values):,.0f} | {min(values):,.0f} | {max(values):,.0f} |")
ratios = [on / off for on, off in zip(rates["on"], rates["off"])]
print()
print(f"recording on / off, median of per-round ratios: {statistics.median(ratios):.3f} (cost {100 * (1 - statistics.median(ratios)):.1f}%)")
'
pulls=$(curl -s "http://127.0.0.1:$on_port/wharf/v1/repositories/team/app/artifacts" |
    python3 -c 'import json,sys; print(sum(a["pullCount"] for a in json.load(sys.stdin)["artifacts"]))')
echo "pulls recorded by the recording server: $pulls"
