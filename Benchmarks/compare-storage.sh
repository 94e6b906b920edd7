#!/usr/bin/env bash
# Blob write and read through FileSystemDriver vs plain cp/cat, side by side in one run.
#   write: `wharf blob put` as one append, like one PUT or PATCH of the whole blob (read file,
#          hash while writing, fsync, atomic rename into the
#          blob store) vs `cp` and vs `cp` followed by `sync FILE` (the same durability)
#   read:  `wharf blob get` (streams and verifies the digest) vs `cat`
# All on the same disk, page cache warm. Needs hyperfine (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."

size_mib=${SIZE_MIB:-1024}
runs=${RUNS:-5}
work=$(mktemp -d "${WORK_PARENT:-$PWD}/.bench-storage-XXXXXX")
trap 'rm -rf "$work"' EXIT
file="$work/blob"

swift build -c release --product wharf >/dev/null
wharf="$(swift build -c release --show-bin-path)/wharf"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom >"$file"
digest="sha256:$(sha256sum "$file" | cut -d' ' -f1)"
echo "== ${size_mib} MiB blob $digest, work dir $work ($(df -T "$work" | awk 'NR==2 {print $2}'))"

echo "== write"
hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/write.md" \
    --prepare "rm -rf $work/root $work/copy; sync" \
    -n "wharf blob put" "$wharf blob put --root $work/root --chunk-size $((size_mib * 1024 * 1024)) --digest $digest bench/blob $file" \
    -n "cp" "cp $file $work/copy" \
    -n "cp + sync" "cp $file $work/copy && sync $work/copy"
cat "$work/write.md"

echo "== read"
"$wharf" blob put --root "$work/root" --digest "$digest" bench/blob "$file" >/dev/null
hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/read.md" \
    -n "wharf blob get" "$wharf blob get --root $work/root bench/blob $digest > /dev/null" \
    -n "cat" "cat $file > /dev/null"
cat "$work/read.md"
