# Sourced by the compare-*.sh scripts: manifest GET by tag with wrk against two servers,
# "off" and "on", in interleaved rounds in a fresh random order each, summarised by
# median with the median of per-round on/off ratios. Uses $rounds and $seconds.
#   compare_by_wrk FEATURE OFF_PORT ON_PORT PATH
compare_by_wrk() {
    local feature=$1 off_port=$2 on_port=$3 path=$4
    local accept="Accept: application/vnd.oci.image.manifest.v1+json"
    echo "== manifest GET by tag, wrk ${seconds}s, 1 thread, 16 connections, $rounds interleaved rounds"
    for round in $(seq "$rounds"); do
        for side in $(printf "off\non\n" | shuf); do
            local port=$off_port
            [ "$side" = on ] && port=$on_port
            local rate
            rate=$(wrk -t 1 -c 16 -d "${seconds}s" -H "$accept" "http://127.0.0.1:$port$path" |
                awk '/Requests\/sec/ {print $2}')
            echo "$round $side $rate"
        done
    done | FEATURE="$feature" python3 -c '
import os, statistics, sys
feature = os.environ["FEATURE"]
rates = {}
for line in sys.stdin:
    _, side, rate = line.split()
    rates.setdefault(side, []).append(float(rate))
print("| server | median req/s | min | max |")
print("|---|---:|---:|---:|")
for side in ("off", "on"):
    values = rates[side]
    print(f"| {feature} {side} | {statistics.median(values):,.0f} | {min(values):,.0f} | {max(values):,.0f} |")
ratios = [on / off for on, off in zip(rates["on"], rates["off"])]
print()
print(f"{feature} on / off, median of per-round ratios: {statistics.median(ratios):.3f} (cost {100 * (1 - statistics.median(ratios)):.1f}%)")
'
}
