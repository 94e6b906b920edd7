#!/usr/bin/env python3
"""An independent model of Wharf's retention, written as the plainest possible filter.

Reads a JSON document from the file its argument names:
  {"now": <unix seconds>,
   "artifacts": [{"repository", "digest", "tags": [...], "pushedAt": s, "lastPulledAt": s|null}],
   "rules": [{"repositories", "tags": [...], "excludedTags": [...], "untagged": bool,
              "template": id, "parameter": n|null}],
   "lifecyclePolicies": [{"repositories", "policy": <ECR lifecycle policy JSON>}],
   "immutable": [{"repositories", "tags": [...], "exclude": [...]}]}
and prints the digests that go, one "repository@digest" per line, sorted.

Harbor (goharbor/harbor src/pkg/retention): per repository, the rules whose repository
pattern matches; an artifact survives if any keeps it. ECR (the lifecycle policy evaluation
rules of the AWS documentation): rules by ascending priority; an image a rule selected is
never expired by a later rule; counts consider every selected image.
"""
import fnmatch
import json
import re
import sys

DAY = 86400


def glob(pattern, name):
    """Doublestar: * within a path component, ** across, ? one character but /."""
    regex = ""
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**", i):
            regex += ".*"
            i += 2
            continue
        regex += "[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c)
        i += 1
    return re.fullmatch(regex, name) is not None


def glob_any(patterns, name):
    return any(glob(p, name) for p in patterns)


def harbor_selects(rule, artifact):
    tags = artifact["tags"]
    if not tags:
        return rule["untagged"]
    matched = not rule["tags"] or any(glob(p, t) for t in tags for p in rule["tags"])
    not_excluded = not rule["excludedTags"] or any(
        not any(glob(p, t) for p in rule["excludedTags"]) for t in tags)
    return matched and not_excluded


def harbor_kept(rule, artifacts, now):
    chosen = [a for a in artifacts if harbor_selects(rule, a)]
    template, n = rule["template"], rule.get("parameter")
    if template == "always":
        return chosen
    if template == "latestPushedK":
        return sorted(chosen, key=lambda a: (-a["pushedAt"], a["digest"]))[:n]
    if template == "latestPulledN":
        never = float("-inf")
        return sorted(chosen, key=lambda a: (-(a.get("lastPulledAt") if a.get("lastPulledAt") is not None else never),
                                             a["digest"]))[:n]
    if template == "nDaysSinceLastPush":
        return [a for a in chosen if a["pushedAt"] >= now - n * DAY]
    if template == "nDaysSinceLastPull":
        return [a for a in chosen if a.get("lastPulledAt") is not None and a.get("lastPulledAt") >= now - n * DAY]
    raise ValueError(template)


def ecr_selects(selection, image):
    status = selection["tagStatus"]
    if status == "any":
        return True
    if status == "untagged":
        return not image["tags"]
    if "tagPrefixList" in selection:
        return all(any(t.startswith(p) for t in image["tags"]) for p in selection["tagPrefixList"])
    # ECR patterns: only * is special; fnmatch's other metacharacters are escaped.
    def ecr_match(pattern, tag):
        escaped = "".join("*" if c == "*" else "[" + c + "]" if c in "?[]" else c for c in pattern)
        return fnmatch.fnmatchcase(tag, escaped)
    return all(any(ecr_match(p, t) for t in image["tags"]) for p in selection["tagPatternList"])


def ecr_expired(policy, images, now):
    expired = set()
    seen = set()
    for rule in sorted(policy["rules"], key=lambda r: r["rulePriority"]):
        s = rule["selection"]
        selected = [i for i in images if ecr_selects(s, i)]
        if s["countType"] == "imageCountMoreThan":
            candidates = sorted(selected, key=lambda i: (-i["pushedAt"], i["digest"]))[s["countNumber"]:]
        elif s["countType"] == "sinceImagePushed":
            candidates = [i for i in selected if i["pushedAt"] < now - s["countNumber"] * DAY]
        else:
            candidates = [i for i in selected
                          if (i.get("lastPulledAt") if i.get("lastPulledAt") is not None else i["pushedAt"])
                          < now - s["countNumber"] * DAY]
        for image in candidates:
            if image["digest"] not in seen:
                expired.add(image["digest"])
        seen.update(i["digest"] for i in selected)
    return expired


def main():
    with open(sys.argv[1]) as file:
        document = json.load(file)
    now = document["now"]
    by_repository = {}
    for artifact in document["artifacts"]:
        by_repository.setdefault(artifact["repository"], []).append(artifact)
    gone = []
    for repository, artifacts in by_repository.items():
        scoped = [p for p in document.get("lifecyclePolicies", []) if glob(p["repositories"], repository)]
        if scoped:
            for digest in ecr_expired(scoped[0]["policy"], artifacts, now):
                gone.append(repository + "@" + digest)
            continue
        rules = [r for r in document.get("rules", []) if glob(r["repositories"], repository)]
        if not rules:
            continue
        kept = set()
        for rule in rules:
            kept.update(a["digest"] for a in harbor_kept(rule, artifacts, now))
        gone.extend(repository + "@" + a["digest"] for a in artifacts if a["digest"] not in kept)
    # Never removed: an artifact holding a tag an immutability rule protects.
    tags = {a["repository"] + "@" + a["digest"]: a["tags"] for a in document["artifacts"]}
    def immutable(key):
        repository = key.split("@")[0]
        return any(glob(rule["repositories"], repository) and glob_any(rule["tags"], tag)
                   and not glob_any(rule.get("exclude", []), tag)
                   for rule in document.get("immutable", []) for tag in tags[key])
    gone = [key for key in gone if not immutable(key)]
    for line in sorted(gone):
        print(line)


if __name__ == "__main__":
    main()
