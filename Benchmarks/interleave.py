#!/usr/bin/env python3
"""Times shell commands side by side, interleaved: every round runs each command once, in
a fresh random order, after the prepare command. On a shared, noisy machine a disturbance
then hits all commands alike instead of one command's block of runs, as it can when a
tool runs all runs of one command before the next.

usage: interleave.py [--rounds N] [--warmup N] [--prepare CMD] [--baseline NAME] NAME=CMD...

The prepare command runs untimed before every command; `{name}` in it becomes the name of
the command about to run (to restart the right server, say).

Prints mean, median, minimum and standard deviation per command, in milliseconds, and
each command's speed relative to the baseline (its median over the command's median).
"""
import argparse, random, statistics, subprocess, time

parser = argparse.ArgumentParser()
parser.add_argument("--rounds", type=int, default=10)
parser.add_argument("--warmup", type=int, default=1)
parser.add_argument("--prepare", default="true")
parser.add_argument("--baseline")
parser.add_argument("commands", nargs="+", metavar="NAME=CMD")
args = parser.parse_args()
commands = dict(item.split("=", 1) for item in args.commands)
times = {name: [] for name in commands}
for round_index in range(args.warmup + args.rounds):
    order = list(commands.items())
    random.shuffle(order)
    for name, command in order:
        subprocess.run(args.prepare.replace("{name}", name), shell=True, check=True)
        start = time.perf_counter()
        subprocess.run(command, shell=True, check=True, stdout=subprocess.DEVNULL)
        elapsed = (time.perf_counter() - start) * 1000
        if round_index >= args.warmup:
            times[name].append(elapsed)
baseline = args.baseline or next(iter(commands))
print(f"{args.rounds} interleaved rounds (+{args.warmup} warm-up); speed relative to `{baseline}` by median")
print()
print("| command | mean [ms] | median [ms] | min [ms] | σ [ms] | speed vs baseline |")
print("|---|---:|---:|---:|---:|---:|")
for name, values in times.items():
    median = statistics.median(values)
    ratio = statistics.median(times[baseline]) / median
    print(
        f"| `{name}` | {statistics.mean(values):.1f} | {median:.1f} | {min(values):.1f} "
        f"| {statistics.stdev(values):.1f} | {ratio:.2f} |"
    )
