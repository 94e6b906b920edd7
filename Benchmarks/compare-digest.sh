#!/usr/bin/env bash
# Side-by-side digest speed on this machine, in one run:
#   1. `openssl speed -evp sha256 -bytes 1048576`  (the ceiling: OpenSSL's hash, no I/O)
#   2. `wharf digest FILE` vs `openssl dgst -sha256 FILE` on the same 1 GiB file (hyperfine)
# The in-process streaming benchmark is `swift package --package-path Benchmarks benchmark`.
# Needs: openssl, hyperfine (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."

size_mib=${SIZE_MIB:-1024}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
file="$work/blob"

swift build -c release --product wharf >/dev/null
wharf="$(swift build -c release --show-bin-path)/wharf"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom >"$file"

echo "== openssl speed -evp sha256 -bytes 1048576 (1000s of bytes per second)"
openssl speed -evp sha256 -bytes 1048576 -seconds 5 2>/dev/null | tail -1

echo "== same digest from both?"
ours=$("$wharf" digest "$file")
theirs="sha256:$(openssl dgst -sha256 -r "$file" | cut -d' ' -f1)"
[ "$ours" = "$theirs" ] && echo "yes: $ours" || { echo "MISMATCH: $ours vs $theirs"; exit 1; }

echo "== wharf digest vs openssl dgst on ${size_mib} MiB (page cache warm)"
hyperfine --warmup 2 --runs "${RUNS:-10}" --export-markdown "$work/digest.md" \
    "$wharf digest $file" "openssl dgst -sha256 $file"
cat "$work/digest.md"
