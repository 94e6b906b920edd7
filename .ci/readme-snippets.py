#!/usr/bin/env python3
"""Turns the README's Swift code blocks into files of Examples/Sources/ReadmeSnippets, one
file per block (each with its own imports, so that MemberImportVisibility checks each
block's imports alone), so that building Examples/ proves they compile as written.

A block's statements become the body of an `async throws` function; its imports stay at the
top of its file. Blocks that are package manifests (`// swift-tools-version`) are skipped.
"""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
readme = (root / "README.md").read_text(encoding="utf-8")
target = root / "Examples" / "Sources" / "ReadmeSnippets"
for old in target.glob("Snippet*.swift"):
    old.unlink()

count = 0
for block in re.findall(r"^```swift\n(.*?)^```", readme, re.S | re.M):
    if block.lstrip().startswith("// swift-tools-version"):
        continue
    lines = block.splitlines()
    imports = [line for line in lines if line.startswith("import ")]
    body = [line for line in lines if not line.startswith("import ")]
    count += 1
    text = "// Generated from README.md by .ci/readme-snippets.py; do not edit.\n"
    text += "\n".join(imports) + "\n\n"
    text += f"func readmeSnippet{count}() async throws {{\n"
    text += "\n".join(("    " + line) if line else "" for line in body).rstrip() + "\n}\n"
    (target / f"Snippet{count}.swift").write_text(text, encoding="utf-8")

if count == 0:
    sys.exit("no Swift code blocks found in README.md")
print(f"{count} README code blocks written to {target.relative_to(root)}")
