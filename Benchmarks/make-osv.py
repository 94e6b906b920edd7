#!/usr/bin/env python3
"""Writes COUNT OSV advisories shaped like the public dumps into a zip (all.zip form).

Usage: make-osv.py COUNT OUT.zip [SOURCES.tsv [RELEVANT]]
SOURCES.tsv lists `source-package<TAB>source-version` of a Debian image: RELEVANT (default
2,000) advisories are filed against them (half already fixed, half not), whatever COUNT is,
and the rest against invented packages of Debian, Alpine, PyPI, npm and Go. Databases of
different sizes thus hold the same advisories for the image: what grows is everything else.
"""
import json
import random
import sys
import zipfile

count, out = int(sys.argv[1]), sys.argv[2]
sources = []
relevant = int(sys.argv[4]) if len(sys.argv) > 4 else 2000
if len(sys.argv) > 3:
    with open(sys.argv[3]) as handle:
        sources = [line.rstrip("\n").split("\t") for line in handle if "\t" in line]
rng = random.Random(42)
ecosystems = ["Debian:12", "Alpine:v3.19", "PyPI", "npm", "Go"]
vectors = [
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:U/C:L/I:N/A:N",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:L/I:L/A:N",
]
details = "A flaw was found in the parsing of crafted input that may lead to memory corruption. " * 5

with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
    for number in range(count):
        if sources and number < relevant:
            name, version = rng.choice(sources)
            ecosystem = "Debian:12"
            fixed = version if rng.random() < 0.5 else version + "+deb12u99"
            prefix = "DEBIAN-CVE"
        else:
            ecosystem = rng.choice(ecosystems)
            name = "pkg-%d" % rng.randrange(count // 3 + 1)
            fixed = "1.%d.%d" % (rng.randrange(30), rng.randrange(10))
            prefix = {"Debian:12": "DEBIAN-CVE", "Alpine:v3.19": "ALPINE-CVE"}.get(ecosystem, "GHSA")
        advisory = {
            "schema_version": "1.6.0",
            "id": "%s-%07d" % (prefix, number),
            "modified": "2026-01-01T00:00:00Z",
            "aliases": ["CVE-2026-%05d" % number],
            "summary": "Memory corruption in %s" % name,
            "details": details,
            "severity": [{"type": "CVSS_V3", "score": rng.choice(vectors)}],
            "affected": [{
                "package": {"ecosystem": ecosystem, "name": name},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}],
            }],
        }
        archive.writestr("%s.json" % advisory["id"], json.dumps(advisory))
