"""Writes every IAM policy document in a `terraform show -json` plan to its own file.

Covers identity policies, trust policies and resource policies (KMS key, SNS topic, SQS queue),
wherever they sit in the module tree, so each can be judged on its own.

Usage: extract_policies.py <plan.json> <out-dir>; prints the number of documents written.
"""

import json
import re
import sys
from pathlib import Path

# resource type -> attributes holding a JSON policy document
POLICY_ATTRS = {
    "aws_iam_role": ["assume_role_policy"],
    "aws_iam_role_policy": ["policy"],
    "aws_iam_policy": ["policy"],
    "aws_iam_user_policy": ["policy"],
    "aws_iam_group_policy": ["policy"],
    "aws_kms_key": ["policy"],
    "aws_sns_topic_policy": ["policy"],
    "aws_sns_topic": ["policy"],
    "aws_sqs_queue": ["policy"],
    "aws_sqs_queue_policy": ["policy"],
    "aws_cloudwatch_event_bus_policy": ["policy"],
}


def walk(module):
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from walk(child)


def main():
    plan = json.loads(Path(sys.argv[1]).read_text())
    out = Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.json"):
        old.unlink()
    written = 0
    unknown = []
    for res in walk(plan.get("planned_values", {}).get("root_module", {})):
        if res.get("mode") != "managed":
            continue
        for attr in POLICY_ATTRS.get(res["type"], []):
            doc = res.get("values", {}).get(attr)
            if doc is None:
                continue
            if doc == "":
                continue
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{res['address']}.{attr}").strip("_")
            (out / f"{name}.json").write_text(json.dumps(json.loads(doc), indent=2) + "\n")
            written += 1
    # A policy still unknown at plan time cannot be judged: report it rather than skip silently.
    for rc in plan.get("resource_changes", []):
        for attr in POLICY_ATTRS.get(rc["type"], []):
            if (rc.get("change", {}).get("after_unknown") or {}).get(attr) is True:
                unknown.append(f"{rc['address']}.{attr}")
    for u in unknown:
        print(f"unknown at plan time: {u}", file=sys.stderr)
    print(written)
    return 1 if unknown or written == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
