#!/usr/bin/env bash
# Blob write and read through FileSystemDriver vs plain cp/cat, side by side in one run.
#   write: `wharf blob put` as one append, like one PUT or PATCH of the whole blob (read file,
#          hash while writing, fsync, atomic rename into the
#          blob store) vs `cp` and vs `cp` followed by `sync FILE` (the same durability)
#   read:  `wharf blob get` (streams and verifies the digest) vs `cat`
# All on the same disk, page cache warm. Needs hyperfine (apt-get install hyperfine) and
# python3. Writes use direct I/O where the file system has it (FileSystemDriver.directIO).
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
# Interleaved (see interleave.py): the disk is shared, and its hiccups should hit all three.
python3 Benchmarks/interleave.py --rounds "$runs" --warmup 1 --baseline "cp + sync" \
    --prepare "rm -rf $work/root $work/copy; sync" \
    "wharf blob put=$wharf blob put --root $work/root --chunk-size $((size_mib * 1024 * 1024)) --digest $digest bench/blob $file" \
    "cp=cp $file $work/copy" \
    "cp + sync=cp $file $work/copy && sync $work/copy"

echo "== read"
"$wharf" blob put --root "$work/root" --digest "$digest" bench/blob "$file" >/dev/null
hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/read.md" \
    -n "wharf blob get" "$wharf blob get --root $work/root bench/blob $digest > /dev/null" \
    -n "cat" "cat $file > /dev/null"
cat "$work/read.md"
