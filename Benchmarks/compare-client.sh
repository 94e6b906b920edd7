#!/usr/bin/env bash
# `wharf copy` vs `skopeo copy`, side by side in one run, with CNCF Distribution (Debian's
# docker-registry) as the registry: a ~640 MB image of 5 uncompressed layers of random
# data, pushed from an OCI layout and pulled back into an empty one. Each run starts from
# an empty registry root (push) or an empty layout (pull); skopeo's blob-info cache is
# cleared so that it cannot skip work, and dirty pages are written back before each run
# (sync) so that one run does not pay for the previous one. Needs hyperfine, skopeo and
# docker-registry.
set -euo pipefail
cd "$(dirname "$0")/.."

layers=${LAYERS:-5}
layer_mib=${LAYER_MIB:-122}
runs=${RUNS:-5}
port=${DISTRIBUTION_PORT:-5103}
work=$(mktemp -d "${WORK_PARENT:-$PWD}/.bench-client-XXXXXX")
cleanup() {
    [ -f "$work/registry.pid" ] && kill "$(cat "$work/registry.pid")" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

swift build -c release --product wharf >/dev/null
wharf="$(swift build -c release --show-bin-path)/wharf"

echo "== building a ${layers} x ${layer_mib} MiB OCI layout"
python3 Benchmarks/make-layout.py "$work/layout" "$layers" "$layer_mib"
du -sh "$work/layout"

cat >"$work/registry.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/root
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
echo $! >"$work/registry.pid"
until curl -sf -o /dev/null "http://127.0.0.1:$port/v2/"; do sleep 0.05; done

reset_registry="sync; rm -rf $work/root/docker /var/lib/containers/cache/blob-info-cache-v1* \${XDG_DATA_HOME:-\$HOME/.local/share}/containers/cache/blob-info-cache-v1*"
echo "== push: layout -> registry (each run into an empty repository root)"
hyperfine --runs "$runs" --export-markdown "$work/push.md" \
    --prepare "$reset_registry" \
    -n "wharf copy" "$wharf copy -q oci:$work/layout:bench 127.0.0.1:$port/bench/app:v1" \
    -n "skopeo copy" "skopeo copy --quiet --dest-tls-verify=false oci:$work/layout:bench docker://127.0.0.1:$port/bench/app:v1"
cat "$work/push.md"

echo "== pull: registry -> empty layout"
"$wharf" copy -q "oci:$work/layout:bench" "127.0.0.1:$port/bench/app:v1" >/dev/null
hyperfine --runs "$runs" --export-markdown "$work/pull.md" \
    --prepare "rm -rf $work/out /var/lib/containers/cache/blob-info-cache-v1*; sync" \
    -n "wharf copy" "$wharf copy -q 127.0.0.1:$port/bench/app:v1 oci:$work/out:bench" \
    -n "skopeo copy" "skopeo copy --quiet --src-tls-verify=false docker://127.0.0.1:$port/bench/app:v1 oci:$work/out:bench"
cat "$work/pull.md"
