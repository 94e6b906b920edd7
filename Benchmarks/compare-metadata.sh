#!/usr/bin/env bash
# The registry's pull path with metadata recording off and on: manifest GET by tag with wrk
# against two `wharf serve` processes over one storage root, one with `metadata.enabled:
# false`, one recording every pull (batched) and its audit event, in interleaved rounds in
# a fresh random order each, compared by median. Needs wrk, skopeo, curl and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=wrk-rounds.sh
source Benchmarks/wrk-rounds.sh

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

compare_by_wrk recording "$off_port" "$on_port" /v2/team/app/manifests/v1
pulls=$(curl -s "http://127.0.0.1:$on_port/wharf/v1/repositories/team/app/artifacts" |
    python3 -c 'import json,sys; print(sum(a["pullCount"] for a in json.load(sys.stdin)["artifacts"]))')
echo "pulls recorded by the recording server: $pulls"
