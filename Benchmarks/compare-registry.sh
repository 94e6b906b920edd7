#!/usr/bin/env bash
# Wharf vs CNCF Distribution (Debian's docker-registry), side by side in one run:
#   1. skopeo push + pull of a ~640 MB multi-layer image (5 uncompressed layers of random
#      data, so neither side can win by compression), each run against a freshly started
#      registry on an empty root, skopeo's blob-info cache cleared (no mount shortcuts);
#      With COMPRESS=gzip the layers are gzip-compressed, as real images ship them (skopeo
#      then copies them as they are instead of compressing them on the way);
#   2. manifest GET by tag with wrk: requests/s at 16 connections.
# Distribution runs with the settings of Debian's shipped config (in-memory blob
# descriptor cache), access logs off on both sides. Needs wrk, skopeo, docker-registry and
# python3 (apt-get install wrk skopeo docker-registry).
set -euo pipefail
cd "$(dirname "$0")/.."

work=${BENCH_WORK:-}
wharf_port=${WHARF_PORT:-5101}
distribution_port=${DISTRIBUTION_PORT:-5102}

# `compare-registry.sh restart wharf|distribution` is interleave.py's --prepare step.
restart() {
    local which=$1
    local pidfile="$work/$which.pid"
    if [ -f "$pidfile" ]; then
        kill "$(cat "$pidfile")" 2>/dev/null || true
        while kill -0 "$(cat "$pidfile")" 2>/dev/null; do sleep 0.05; done
    fi
    rm -rf "$work/$which-root" "$work/out" /var/lib/containers/cache/blob-info-cache-v1* \
        "${XDG_DATA_HOME:-$HOME/.local/share}/containers/cache/blob-info-cache-v1"*
    local port
    if [ "$which" = wharf ]; then
        port=$wharf_port
        "$(cat "$work/wharf-path")" serve --address "127.0.0.1:$port" --root "$work/wharf-root" \
            --log-level warning >"$work/wharf.log" 2>&1 &
    else
        port=$distribution_port
        cat >"$work/distribution.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: $work/distribution-root
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
        docker-registry serve "$work/distribution.yml" >"$work/distribution.log" 2>&1 &
    fi
    echo $! >"$pidfile"
    until curl -sf -o /dev/null "http://127.0.0.1:$port/v2/"; do sleep 0.05; done
}

if [ "${1:-}" = restart ]; then
    restart "$2"
    exit 0
fi

layers=${LAYERS:-5}
layer_mib=${LAYER_MIB:-122}
runs=${RUNS:-3}
wrk_seconds=${WRK_SECONDS:-10}
work=$(mktemp -d "${WORK_PARENT:-$PWD}/.bench-registry-XXXXXX")
export BENCH_WORK=$work
cleanup() {
    for which in wharf distribution; do
        [ -f "$work/$which.pid" ] && kill "$(cat "$work/$which.pid")" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

swift build -c release --product wharf >/dev/null
echo "$(swift build -c release --show-bin-path)/wharf" >"$work/wharf-path"

echo "== building a ${layers} x ${layer_mib} MiB OCI layout"
python3 Benchmarks/make-layout.py "$work/layout" "$layers" "$layer_mib"
du -sh "$work/layout"

script=$(realpath "$0")
push_pull() {
    echo "skopeo copy --quiet --dest-tls-verify=false oci:$work/layout:bench docker://127.0.0.1:$1/bench/app:v1 && skopeo copy --quiet --src-tls-verify=false docker://127.0.0.1:$1/bench/app:v1 oci:$work/out:bench"
}
echo "== skopeo push + pull"
# Interleaved (see interleave.py), each run against a freshly restarted server.
python3 Benchmarks/interleave.py --rounds "$runs" --warmup 1 --baseline distribution \
    --prepare "$script restart {name}" \
    "wharf=$(push_pull "$wharf_port")" \
    "distribution=$(push_pull "$distribution_port")"

# On a small machine skopeo's own CPU bounds the wall time, so also report each phase on
# its own and what each server spent on it: CPU seconds (user + system, from /proc).
echo "== push and pull apart, with server CPU seconds ($runs rounds, medians)"
push() { skopeo copy --quiet --dest-tls-verify=false "oci:$work/layout:bench" "docker://127.0.0.1:$1/bench/app:v1"; }
pull() { skopeo copy --quiet --src-tls-verify=false "docker://127.0.0.1:$1/bench/app:v1" "oci:$work/out:bench"; }
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
now() { date +%s.%N; }
for _ in $(seq "$runs"); do
    for side in "wharf $wharf_port" "distribution $distribution_port"; do
        set -- $side
        "$script" restart "$1"
        pid=$(cat "$work/$1.pid")
        c0=$(cpu "$pid") t0=$(now)
        push "$2"
        c1=$(cpu "$pid") t1=$(now)
        pull "$2"
        c2=$(cpu "$pid") t2=$(now)
        echo "$1 $t0 $t1 $t2 $c0 $c1 $c2"
    done
done | python3 -c '
import statistics, sys, os
tick = os.sysconf("SC_CLK_TCK")
rows = {}
for line in sys.stdin:
    side, t0, t1, t2, c0, c1, c2 = line.split()
    t0, t1, t2, c0, c1, c2 = map(float, (t0, t1, t2, c0, c1, c2))
    rows.setdefault(side, []).append((t1 - t0, t2 - t1, (c1 - c0) / tick, (c2 - c1) / tick))
print("| server | push [s] | pull [s] | push + pull [s] | server CPU push [s] | server CPU pull [s] |")
print("|---|---:|---:|---:|---:|---:|")
for side, values in rows.items():
    m = [statistics.median(column) for column in zip(*values)]
    print(f"| {side} | {m[0]:.3f} | {m[1]:.3f} | {statistics.median(v[0] + v[1] for v in values):.3f} | {m[2]:.2f} | {m[3]:.2f} |")
'

echo "== manifest GET by tag, wrk ${wrk_seconds}s, 16 connections"
accept="Accept: application/vnd.oci.image.manifest.v1+json"
for side in "wharf $wharf_port" "distribution $distribution_port"; do
    set -- $side
    echo "-- $1"
    wrk -t 1 -c 16 -d "${wrk_seconds}s" -H "$accept" "http://127.0.0.1:$2/v2/bench/app/manifests/v1" |
        grep -E "Requests/sec|Latency|requests in"
done
