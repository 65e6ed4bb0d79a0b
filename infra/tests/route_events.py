"""Replays the sample CloudTrail events through the patterns of the deployed EventBridge rules.

moto matches PutEvents against rule patterns for real (prefix matching included) but fails a
PutEvents whose matching rule targets a Lambda function, so every deployed rule's pattern is read
back with DescribeRule and copied to a rule on a private test bus whose target is an SQS queue.
Each rule must deliver exactly the events its guard handles (events/expected.json).

Usage: route_events.py <endpoint> <terraform-output.json> <events-dir>
Prints one `PASS <what>` or `FAIL <what>: <why>` line per check; exit status 1 if any failed.
"""

import json
import sys
import time
from pathlib import Path

import boto3


def client(service, region, endpoint):
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def load_events(events_dir):
    manifest = json.loads((events_dir / "expected.json").read_text())["expected"]
    events = {}
    for name, guard in manifest.items():
        body = json.loads((events_dir / name).read_text())
        events[name] = (body, guard)
    return events


def drain(sqs, queue_url, want):
    """Receives until `want` messages arrived and the queue then stays empty for a moment."""
    got = []
    deadline = time.time() + 15
    empty_polls = 0
    while time.time() < deadline:
        resp = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        msgs = resp.get("Messages", [])
        if not msgs:
            empty_polls += 1
            if len(got) >= want and empty_polls >= 3:
                break
            time.sleep(0.2)
            continue
        empty_polls = 0
        for m in msgs:
            got.append(json.loads(m["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])
    return got


def check_rule(key, rule, events, endpoint, guard_bus_arns, function_arns):
    results = []
    region = rule["region"]
    events_api = client("events", region, endpoint)
    sqs = client("sqs", region, endpoint)

    deployed = events_api.describe_rule(Name=rule["name"])
    pattern = deployed["EventPattern"]

    targets = events_api.list_targets_by_rule(Rule=rule["name"])["Targets"]
    if rule["kind"] == "invoke":
        want = function_arns[rule["guard"]]
        ok = [t["Arn"] for t in targets] == [want]
        why = f"targets {[t['Arn'] for t in targets]}, want [{want}]"
    else:
        ok = len(targets) == 1 and targets[0]["Arn"] in guard_bus_arns and targets[0].get("RoleArn")
        why = f"targets {targets}, want one target on the guard's bus with a role"
    results.append((ok, f"{key}: target", why))

    safe = key.replace("_", "-")
    bus = f"pg-test-{safe}"
    events_api.create_event_bus(Name=bus)
    queue_url = sqs.create_queue(QueueName=f"pg-test-{safe}")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events_api.put_rule(Name=f"copy-{safe}", EventBusName=bus, EventPattern=pattern)
    events_api.put_targets(Rule=f"copy-{safe}", EventBusName=bus, Targets=[{"Id": "queue", "Arn": queue_arn}])

    entries = [
        {
            "Source": body["source"],
            "DetailType": body["detail-type"],
            "Detail": json.dumps(body["detail"]),
            "Resources": body["resources"],
            "EventBusName": bus,
        }
        for body, _ in events.values()
    ]
    for i in range(0, len(entries), 10):
        resp = events_api.put_events(Entries=entries[i : i + 10])
        if resp.get("FailedEntryCount"):
            results.append((False, f"{key}: put_events", json.dumps(resp["Entries"])))
            return results

    expected = {body["detail"]["eventID"]: name for name, (body, guard) in events.items() if guard == rule["guard"]}
    received = drain(sqs, queue_url, len(expected))
    got_ids = [m["detail"]["eventID"] for m in received]
    by_id = {body["detail"]["eventID"]: name for name, (body, _) in events.items()}
    missing = sorted(expected[i] for i in set(expected) - set(got_ids))
    extra = sorted(by_id.get(i, i) for i in set(got_ids) - set(expected))
    dupes = len(got_ids) - len(set(got_ids))
    ok = not missing and not extra and not dupes
    why = f"missing {missing}, unexpected {extra}, duplicates {dupes}"
    results.append((ok, f"{key}: routes exactly its {len(expected)} events ({rule['name']} in {region})", why))
    return results


def main():
    endpoint, outputs_path, events_dir = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    outputs = json.loads(outputs_path.read_text())
    rules = outputs["event_rules"]["value"]
    function_names = outputs["function_names"]["value"]
    events = load_events(events_dir)

    invoke_region = next(r["region"] for r in rules.values() if r["kind"] == "invoke")
    lam = client("lambda", invoke_region, endpoint)
    function_arns = {k: lam.get_function(FunctionName=n)["Configuration"]["FunctionArn"] for k, n in function_names.items()}
    guard_bus_arns = {client("events", invoke_region, endpoint).describe_event_bus(Name="default")["Arn"]}

    guards_seen = {r["guard"] for r in rules.values()}
    failed = 0
    for guard in ("iam-guard", "lambda-guard"):
        if guard not in guards_seen:
            print(f"FAIL {guard}: no deployed rule carries its events")
            failed += 1
    if not any(r["region"] == "us-east-1" and r["guard"] == "iam-guard" for r in rules.values()):
        print("FAIL iam-guard: no rule in us-east-1, where IAM events are delivered")
        failed += 1

    for key, rule in sorted(rules.items()):
        for ok, what, why in check_rule(key, rule, events, endpoint, guard_bus_arns, function_arns):
            if ok:
                print(f"PASS {what}")
            else:
                print(f"FAIL {what}: {why}")
                failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
