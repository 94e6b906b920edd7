#!/usr/bin/env python3
"""Checks that every public top-level symbol of each module appears in a Topics group of
its DocC catalog (as ``Name`` or ``name(label:)``), so nothing lands in an automatic
"Structures" heap. Arguments: the symbol-graph directory, then the catalogs."""
import json
import pathlib
import re
import sys

graphs = pathlib.Path(sys.argv[1])
missing = []
for catalog in map(pathlib.Path, sys.argv[2:]):
    module = catalog.name.removesuffix(".docc")
    graph = json.loads((graphs / f"{module}.symbols.json").read_text())
    text = "\n".join(page.read_text() for page in catalog.glob("*.md"))
    text = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)  # code samples
    curated = set(re.findall(r"``([^`]+)``", text))
    for symbol in graph["symbols"]:
        path = symbol["pathComponents"]
        if len(path) != 1 or symbol["accessLevel"] != "public":
            continue
        name = path[0]
        if name not in curated and not any(entry.split("(")[0] == name.split("(")[0] for entry in curated):
            missing.append(f"{module}: {name} ({symbol['kind']['displayName']})")
for line in sorted(set(missing)):
    print("not in a Topics group:", line)
sys.exit(1 if missing else 0)
