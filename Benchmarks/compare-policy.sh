#!/usr/bin/env bash
# The registry's pull path with a signature policy off and on: manifest GET by tag with
# wrk against two `wharf serve` processes over one storage root, one without policies,
# one requiring a signature for the repository (its decision cached after the first
# pull), in interleaved rounds in a fresh random order each, compared by median.
# Needs wrk, skopeo, curl and python3 (apt-get install wrk skopeo curl).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=wrk-rounds.sh
source Benchmarks/wrk-rounds.sh

rounds=${ROUNDS:-9}
seconds=${WRK_SECONDS:-5}
off_port=${OFF_PORT:-5121}
on_port=${ON_PORT:-5122}
work=$(mktemp -d "${WORK_PARENT:-$PWD}/.bench-policy-XXXXXX")
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

swift build -c release --product wharf >/dev/null
wharf="$(swift build -c release --show-bin-path)/wharf"
export COSIGN_PASSWORD=bench

python3 Benchmarks/make-layout.py "$work/layout" 2 1 >/dev/null
"$wharf" key generate --output-key-prefix "$work/release" >/dev/null
cat >"$work/policy.yaml" <<YAML
policies:
  - { repositories: "prod/**", requireSignature: { keys: [release.pub] } }
YAML

serve() { # port, extra arguments
    local port=$1
    shift
    "$wharf" serve --address "127.0.0.1:$port" --root "$work/root" --log-level warning "$@" >"$work/$port.log" 2>&1 &
    pids+=($!)
    until curl -sf -o /dev/null "http://127.0.0.1:$port/v2/"; do sleep 0.05; done
}
serve "$off_port"
serve "$on_port" --config "$work/policy.yaml"

skopeo copy --quiet --dest-tls-verify=false "oci:$work/layout:bench" "docker://127.0.0.1:$off_port/prod/app:v1"
skopeo copy --quiet --dest-tls-verify=false "oci:$work/layout:bench" "docker://127.0.0.1:$off_port/prod/unsigned:v1"
"$wharf" sign "127.0.0.1:$off_port/prod/app:v1" --key "$work/release.key" >/dev/null

accept="Accept: application/vnd.oci.image.manifest.v1+json"
status() { curl -s -o /dev/null -w "%{http_code}" -H "$accept" "http://127.0.0.1:$1/v2/prod/$2/manifests/v1"; }
echo "policy on: signed $(status "$on_port" app), unsigned $(status "$on_port" unsigned); policy off: unsigned $(status "$off_port" unsigned)"

compare_by_wrk policy "$off_port" "$on_port" /v2/prod/app/manifests/v1
