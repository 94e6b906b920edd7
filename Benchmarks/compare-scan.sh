#!/usr/bin/env bash
# Scan time and peak memory of a real Debian image (debootstrap minbase bookworm, packed
# by umoci) against generated OSV databases of 20,000 and 200,000 advisories, side by side
# in one run:
#   - `wharf scan --db all.zip`: the zip is read and indexed in memory (cost follows the
#     number of advisories);
#   - `wharf scan --db FILE` where FILE came from `wharf db build`: mapped and read in
#     place (cost follows the number of packages);
#   - `wharf sbom`: the same image with no database at all, the floor.
# Needs debootstrap, umoci, hyperfine and GNU time (apt-get install debootstrap umoci
# hyperfine time) and network access to deb.debian.org; run as root (debootstrap).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-5}
work=$(mktemp -d "${WORK_PARENT:-$PWD}/.bench-scan-XXXXXX")
trap 'rm -rf "$work"' EXIT

swift build -c release --product wharf >/dev/null
wharf="$(swift build -c release --show-bin-path)/wharf"

echo "== Debian image"
debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1
umoci init --layout "$work/image"
umoci new --image "$work/image:bookworm"
umoci unpack --rootless --image "$work/image:bookworm" "$work/bundle" >/dev/null
rm -rf "$work/bundle/rootfs" && mv "$work/rootfs" "$work/bundle/rootfs"
umoci repack --image "$work/image:bookworm" "$work/bundle" >/dev/null
dpkg-query --admindir "$work/bundle/rootfs/var/lib/dpkg" -W -f '${source:Package}\t${source:Version}\n' |
    sort -u >"$work/sources.tsv"
echo "$(dpkg-query --admindir "$work/bundle/rootfs/var/lib/dpkg" -W | wc -l) packages," \
    "$(wc -l <"$work/sources.tsv") source packages"

for count in 20000 200000; do
    python3 Benchmarks/make-osv.py "$count" "$work/osv-$count.zip" "$work/sources.tsv"
    echo "== build the $count-advisory database ($(du -h "$work/osv-$count.zip" | cut -f1) zip)"
    /usr/bin/time -f "build: %e s, peak RSS %M KiB" "$wharf" db build -q "$work/osv-$count.zip" -o "$work/osv-$count.wharfdb"
    ls -l "$work/osv-$count.wharfdb" | awk '{print "compiled file: " $5 " bytes"}'
done

scan() { "$wharf" scan "oci:$work/image:bookworm" --format json --db "$1"; }
echo "== findings (must agree between the forms of one database)"
for db in osv-20000.zip osv-20000.wharfdb osv-200000.zip osv-200000.wharfdb; do
    echo "$db: $(scan "$work/$db" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))') findings"
done

echo "== peak memory"
/usr/bin/time -f "sbom (no database): %e s, peak RSS %M KiB" "$wharf" sbom "oci:$work/image:bookworm" >/dev/null
for db in osv-20000.zip osv-200000.zip osv-20000.wharfdb osv-200000.wharfdb; do
    /usr/bin/time -f "scan --db $db: %e s, peak RSS %M KiB" "$wharf" scan "oci:$work/image:bookworm" --format json --db "$work/$db" >/dev/null
done

echo "== time"
hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/scan.md" \
    -n "sbom (no database)" "$wharf sbom oci:$work/image:bookworm > /dev/null" \
    -n "scan, 20k zip" "$wharf scan oci:$work/image:bookworm --format json --db $work/osv-20000.zip > /dev/null" \
    -n "scan, 200k zip" "$wharf scan oci:$work/image:bookworm --format json --db $work/osv-200000.zip > /dev/null" \
    -n "scan, 20k compiled" "$wharf scan oci:$work/image:bookworm --format json --db $work/osv-20000.wharfdb > /dev/null" \
    -n "scan, 200k compiled" "$wharf scan oci:$work/image:bookworm --format json --db $work/osv-200000.wharfdb > /dev/null"
cat "$work/scan.md"
