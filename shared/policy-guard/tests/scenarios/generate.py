#!/usr/bin/env python3
"""Writes the scenario corpus from the hand-written table below.

Every expected decision here was reasoned from AWS's documentation (the page named in each
case's `source`), never produced by running the evaluator. Run from this directory:
`python3 generate.py` rewrites every <family>/<case>.json.
"""
import json, os, shutil

A = "111122223333"   # the account of most principals and resources
B = "444455556666"   # another account
USER = f"arn:aws:iam::{A}:user/alice"
ROLE = f"arn:aws:iam::{A}:role/app"
SESSION = f"arn:aws:sts::{A}:assumed-role/app/s1"
FED = f"arn:aws:sts::{A}:federated-user/bob"
ROOT = f"arn:aws:iam::{A}:root"
B_USER = f"arn:aws:iam::{B}:user/carol"
B_SESSION = f"arn:aws:sts::{B}:assumed-role/auditor/s2"
B_ROLE = f"arn:aws:iam::{B}:role/auditor"
BUCKET = "arn:aws:s3:::example-bucket"
OBJ = "arn:aws:s3:::example-bucket/report.csv"
QUEUE = f"arn:aws:sqs:us-east-1:{A}:orders"
KEY = f"arn:aws:kms:us-east-1:{A}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
TARGET_ROLE = f"arn:aws:iam::{A}:role/target"
SLR = f"arn:aws:iam::{A}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing"

EVAL = "Policy evaluation logic"
DENYALLOW = "How AWS enforcement code logic evaluates requests to allow or deny access"
SINGLE = "Policy evaluation for requests within a single account"
CROSS = "Cross-account policy evaluation logic"
BOUND = "Permissions boundaries for IAM entities"
SCP = "Service control policies (SCPs)"
SCPEVAL = "SCP evaluation"
RCP = "Resource control policies (RCPs)"
RCPEVAL = "RCP evaluation"
SESSIONP = "Session policies (IAM User Guide, Policies and permissions in AWS Identity and Access Management)"
VPCE = "Control access to VPC endpoints using endpoint policies"
PRINCIPAL = "AWS JSON policy elements: Principal"
NOTPRINCIPAL = "AWS JSON policy elements: NotPrincipal"
NOTACTION = "IAM JSON policy elements: NotAction"
NOTRESOURCE = "IAM JSON policy elements: NotResource"
COND = "IAM JSON policy elements: Condition operators"
MULTI = "Set operators for multivalued context keys"
VARS = "IAM policy elements: Variables and tags"
ROLES = "Methods to assume a role (IAM roles terms and concepts: role trust policy)"
KMS = "Key policies in AWS KMS"
ACTIONS = "IAM JSON policy elements: Resource (actions that do not support resource-level permissions)"
KEYS = "AWS global condition context keys"
COND_EL = "IAM JSON policy elements: Condition"

def pol(*stmts):
    return {"Version": "2012-10-17", "Statement": list(stmts)}

def st(effect, action, resource="*", sid=None, condition=None, principal=None,
       not_principal=None, not_action=False, not_resource=False, no_resource=False):
    s = {}
    if sid:
        s["Sid"] = sid
    s["Effect"] = effect
    if principal is not None:
        s["Principal"] = principal
    if not_principal is not None:
        s["NotPrincipal"] = not_principal
    s["NotAction" if not_action else "Action"] = action
    if not no_resource:
        s["NotResource" if not_resource else "Resource"] = resource
    if condition:
        s["Condition"] = condition
    return s

def allow(action, resource="*", **kw):
    return st("Allow", action, resource, **kw)

def deny(action, resource="*", **kw):
    return st("Deny", action, resource, **kw)

FULL = pol(allow("*"))                       # FullAWSAccess / RCPFullAWSAccess
RCP_FULL = pol(allow("*", principal="*"))

CASES = []

def case(family, name, principal, action, resource, decision, why, source,
         context=None, resource_account=None, allowed_by=None, blocked_by=None,
         missing=None, req=None, **policies):
    request = {"principal": principal, "action": action}
    if resource is not None:
        request["resource"] = resource
    if resource_account:
        request["resource_account"] = resource_account
    if req:
        request.update(req)
    if context is not None:
        request["context"] = context
    doc = {"why": why, "source": source, "request": request}
    for k, v in policies.items():
        doc[k] = v
    exp = {"decision": decision}
    if allowed_by is not None:
        exp["allowed_by"] = allowed_by
    if blocked_by is not None:
        exp["blocked_by"] = blocked_by
    if missing is not None:
        exp["missing_context_keys"] = missing
    doc["expected"] = exp
    CASES.append((family, name, doc))

OK, IMP, EXP = "Allowed", "ImplicitlyDenied", "ExplicitlyDenied"

# ---------------------------------------------------------------- basics: allow, implicit deny
F = "basics"
case(F, "no-policy-is-implicit-deny", USER, "s3:GetObject", OBJ, IMP,
     "With no policy allowing it, every request is implicitly denied.", DENYALLOW,
     resource_account=A, blocked_by=["identity"])
case(F, "identity-allow", USER, "s3:GetObject", OBJ, OK,
     "An identity-based policy allows the action on the resource, nothing denies.", SINGLE,
     resource_account=A, allowed_by=["identity"],
     identity_policies=[pol(allow("s3:GetObject", "arn:aws:s3:::example-bucket/*"))])
case(F, "identity-allow-other-action", USER, "s3:PutObject", OBJ, IMP,
     "The identity policy allows only s3:GetObject; s3:PutObject is not allowed anywhere.", SINGLE,
     resource_account=A, identity_policies=[pol(allow("s3:GetObject", "*"))])
case(F, "identity-allow-other-resource", USER, "s3:GetObject", OBJ, IMP,
     "The Allow names another bucket; the request's resource is not covered.", SINGLE,
     resource_account=A, identity_policies=[pol(allow("s3:GetObject", "arn:aws:s3:::other-bucket/*"))])
case(F, "action-case-insensitive", USER, "s3:getobject", OBJ, OK,
     "Action names are not case sensitive: S3:GETOBJECT in the policy covers s3:getobject.", "IAM JSON policy elements: Action",
     resource_account=A, identity_policies=[pol(allow("S3:GETOBJECT", "*"))])
case(F, "resource-case-sensitive", USER, "s3:GetObject", OBJ, IMP,
     "Resource ARNs are case sensitive: Example-Bucket does not cover example-bucket.", "IAM JSON policy elements: Resource",
     resource_account=A, identity_policies=[pol(allow("s3:GetObject", "arn:aws:s3:::Example-Bucket/*"))])
case(F, "action-wildcard-prefix", USER, "s3:GetObjectTagging", OBJ, OK,
     "s3:Get* covers every S3 action whose name starts with Get.", "IAM JSON policy elements: Action",
     resource_account=A, identity_policies=[pol(allow("s3:Get*", "*"))])
case(F, "action-wildcard-other-service", USER, "ec2:GetConsoleOutput", f"arn:aws:ec2:us-east-1:{A}:instance/i-1", IMP,
     "s3:Get* covers only the s3 service's actions.", "IAM JSON policy elements: Action",
     identity_policies=[pol(allow("s3:Get*", "*"))])
case(F, "resource-question-mark", USER, "s3:GetObject", "arn:aws:s3:::example-bucket/a1", OK,
     "`?` in a resource ARN matches exactly one character.", "IAM JSON policy elements: Resource",
     resource_account=A, identity_policies=[pol(allow("s3:GetObject", "arn:aws:s3:::example-bucket/a?"))])
case(F, "resource-question-mark-too-long", USER, "s3:GetObject", "arn:aws:s3:::example-bucket/a12", IMP,
     "`?` matches one character only, so a? does not cover a12.", "IAM JSON policy elements: Resource",
     resource_account=A, identity_policies=[pol(allow("s3:GetObject", "arn:aws:s3:::example-bucket/a?"))])
case(F, "allow-in-second-policy", USER, "sqs:SendMessage", QUEUE, OK,
     "All identity policies of the principal are evaluated together: one Allow in any of them is enough.", SINGLE,
     identity_policies=[pol(allow("s3:GetObject", "*")), pol(allow("sqs:SendMessage", QUEUE))])
case(F, "resource-list-any-entry", USER, "sqs:SendMessage", QUEUE, OK,
     "A statement's Resource list covers the request when any entry matches.", "IAM JSON policy elements: Resource",
     identity_policies=[pol(allow("sqs:SendMessage", [f"arn:aws:sqs:us-east-1:{A}:other", QUEUE]))])
case(F, "action-list-any-entry", USER, "sqs:SendMessage", QUEUE, OK,
     "A statement's Action list covers the request when any entry matches.", "IAM JSON policy elements: Action",
     identity_policies=[pol(allow(["sqs:ReceiveMessage", "sqs:SendMessage"], QUEUE))])
case(F, "region-wildcard", USER, "sqs:SendMessage", QUEUE, OK,
     "`*` in the region field of an ARN pattern matches any region.", "IAM JSON policy elements: Resource",
     identity_policies=[pol(allow("sqs:SendMessage", f"arn:aws:sqs:*:{A}:orders"))])
case(F, "account-field-mismatch", USER, "sqs:SendMessage", QUEUE, IMP,
     "The Allow names the queue in another account; the request's queue ARN differs.", "IAM JSON policy elements: Resource",
     identity_policies=[pol(allow("sqs:SendMessage", f"arn:aws:sqs:us-east-1:{B}:orders"))])

# ---------------------------------------------------------------- explicit deny
F = "explicit-deny"
for i, (where, kind, extra) in enumerate([
    ("identity", "identity", {"identity_policies": [pol(allow("s3:*"), deny("s3:GetObject"))]}),
    ("second-identity-policy", "identity", {"identity_policies": [pol(allow("s3:*")), pol(deny("s3:GetObject"))]}),
    ("boundary", "permissions-boundary", {"identity_policies": [pol(allow("s3:*"))], "permissions_boundaries": [pol(allow("*"), deny("s3:GetObject"))]}),
    ("scp", "scp", {"identity_policies": [pol(allow("s3:*"))], "scps": [[FULL], [pol(deny("s3:GetObject"))]]}),
    ("rcp", "rcp", {"identity_policies": [pol(allow("s3:*"))], "rcps": [[RCP_FULL, pol(deny("s3:GetObject", principal="*"))]]}),
    ("resource-policy", "resource", {"identity_policies": [pol(allow("s3:*"))], "resource_policy": pol(deny("s3:GetObject", OBJ, principal={"AWS": USER}))}),
    ("vpc-endpoint", "vpc-endpoint", {"identity_policies": [pol(allow("s3:*"))], "vpc_endpoint_policies": [pol(allow("*", principal="*"), deny("s3:GetObject", principal="*"))]}),
]):
    case(F, f"deny-in-{where}", USER, "s3:GetObject", OBJ, EXP,
         f"An explicit Deny in the {kind} policy overrides every Allow.", DENYALLOW,
         resource_account=A, blocked_by=[kind], **extra)
case(F, "deny-in-session-policy", SESSION, "s3:GetObject", OBJ, EXP,
     "An explicit Deny in the session policy overrides the role's Allow.", DENYALLOW,
     resource_account=A, blocked_by=["session"],
     identity_policies=[pol(allow("s3:*"))], session_policy=pol(allow("*"), deny("s3:GetObject")))
case(F, "deny-beats-resource-grant", USER, "s3:GetObject", OBJ, EXP,
     "A resource policy Allow naming the user cannot override a Deny in the user's identity policy.", DENYALLOW,
     resource_account=A, identity_policies=[pol(deny("s3:*"))],
     resource_policy=pol(allow("s3:GetObject", OBJ, principal={"AWS": USER})))
case(F, "deny-wildcard-action", USER, "iam:CreateUser", "arn:aws:iam::111122223333:user/x", EXP,
     "Deny with Action * covers every action.", DENYALLOW,
     identity_policies=[pol(allow("*"), deny("*"))])
case(F, "deny-other-action-no-effect", USER, "s3:GetObject", OBJ, OK,
     "A Deny that does not match the action has no effect; the Allow stands.", DENYALLOW,
     resource_account=A, identity_policies=[pol(allow("s3:*"), deny("s3:DeleteObject"))])
case(F, "deny-other-resource-no-effect", USER, "s3:GetObject", OBJ, OK,
     "A Deny on another resource has no effect on this request.", DENYALLOW,
     resource_account=A, identity_policies=[pol(allow("s3:*"), deny("s3:*", "arn:aws:s3:::secret/*"))])
case(F, "deny-condition-true", USER, "s3:GetObject", OBJ, EXP,
     "A Deny whose condition holds (the request is not over TLS) applies.", COND,
     resource_account=A, context={"aws:SecureTransport": "false"},
     identity_policies=[pol(allow("s3:*"), deny("s3:*", condition={"Bool": {"aws:SecureTransport": "false"}}))])
case(F, "deny-condition-false", USER, "s3:GetObject", OBJ, OK,
     "A Deny whose condition does not hold (the request is over TLS) does not apply.", COND,
     resource_account=A, context={"aws:SecureTransport": "true"},
     identity_policies=[pol(allow("s3:*"), deny("s3:*", condition={"Bool": {"aws:SecureTransport": "false"}}))])
case(F, "deny-without-allow", USER, "s3:GetObject", OBJ, EXP,
     "A matching Deny gives an explicit deny even when nothing allows.", DENYALLOW,
     resource_account=A, identity_policies=[pol(deny("s3:GetObject"))])
case(F, "cross-account-resource-deny", B_USER, "s3:GetObject", OBJ, EXP,
     "The bucket owner's Deny for the other account overrides that account's Allow.", CROSS,
     resource_account=A, identity_policies=[pol(allow("s3:*"))],
     resource_policy=pol(allow("s3:GetObject", OBJ, principal={"AWS": B}), deny("s3:GetObject", OBJ, principal={"AWS": B_USER})))
case(F, "deny-in-scp-for-root-user", ROOT, "s3:DeleteBucket", BUCKET, EXP,
     "SCPs affect the root user of a member account: its Deny applies to the root user.", SCP,
     resource_account=A, scps=[[FULL, pol(deny("s3:DeleteBucket"))]])

# ---------------------------------------------------------------- same account: resource-based policies
F = "same-account-resource-policy"
RP_USER = pol(allow("s3:GetObject", OBJ, principal={"AWS": USER}))
RP_ROLE = pol(allow("s3:GetObject", OBJ, principal={"AWS": ROLE}))
RP_SESSION = pol(allow("s3:GetObject", OBJ, principal={"AWS": SESSION}))
RP_ACCOUNT = pol(allow("s3:GetObject", OBJ, principal={"AWS": A}))
RP_ROOT = pol(allow("s3:GetObject", OBJ, principal={"AWS": ROOT}))
RP_FED = pol(allow("s3:GetObject", OBJ, principal={"AWS": FED}))
NARROW = pol(allow("sqs:*"))   # a boundary / session policy that does not allow s3
case(F, "user-named-no-identity-policy", USER, "s3:GetObject", OBJ, OK,
     "Within one account, an Allow in a resource-based policy naming the user is enough; no identity policy is needed.", SINGLE,
     resource_account=A, allowed_by=["resource"], resource_policy=RP_USER)
case(F, "identity-only-resource-silent", USER, "s3:GetObject", OBJ, OK,
     "Within one account, either the identity policy or the resource policy allowing is enough.", SINGLE,
     resource_account=A, allowed_by=["identity"],
     identity_policies=[pol(allow("s3:GetObject"))], resource_policy=pol(allow("s3:GetObject", OBJ, principal={"AWS": B_USER})))
case(F, "both-allow", USER, "s3:GetObject", OBJ, OK,
     "Identity and resource policy both allow; the union of permissions applies.", EVAL,
     resource_account=A, allowed_by=["identity", "resource"],
     identity_policies=[pol(allow("s3:GetObject"))], resource_policy=RP_USER)
case(F, "other-user-named", USER, "s3:GetObject", OBJ, IMP,
     "The bucket policy names another user and the user's identity policies allow nothing.", PRINCIPAL,
     resource_account=A, resource_policy=pol(allow("s3:GetObject", OBJ, principal={"AWS": f"arn:aws:iam::{A}:user/mallory"})))
case(F, "user-named-boundary-silent", USER, "s3:GetObject", OBJ, OK,
     "Resource-based policies that grant permissions to an IAM user ARN are not limited by an implicit deny in a permissions boundary.", BOUND,
     resource_account=A, allowed_by=["resource"], permissions_boundaries=[NARROW], resource_policy=RP_USER)
case(F, "user-named-boundary-denies", USER, "s3:GetObject", OBJ, EXP,
     "An explicit Deny in the boundary still overrides the resource policy's Allow.", BOUND,
     resource_account=A, permissions_boundaries=[pol(allow("*"), deny("s3:GetObject"))], resource_policy=RP_USER)
case(F, "session-named-no-identity", SESSION, "s3:GetObject", OBJ, OK,
     "A resource policy naming the role session ARN grants directly to the session.", BOUND,
     resource_account=A, allowed_by=["resource"], resource_policy=RP_SESSION)
case(F, "session-named-boundary-silent", SESSION, "s3:GetObject", OBJ, OK,
     "Permissions granted directly to a role session are not limited by an implicit deny in a permissions boundary.", BOUND,
     resource_account=A, allowed_by=["resource"], permissions_boundaries=[NARROW], resource_policy=RP_SESSION)
case(F, "session-named-session-policy-silent", SESSION, "s3:GetObject", OBJ, OK,
     "Permissions granted directly to a role session are not limited by an implicit deny in a session policy.", BOUND,
     resource_account=A, allowed_by=["resource"], session_policy=NARROW, resource_policy=RP_SESSION)
case(F, "role-named-no-boundary", SESSION, "s3:GetObject", OBJ, OK,
     "A resource policy naming the role ARN grants to its sessions within the account; no boundary or session policy caps it here.", BOUND,
     resource_account=A, allowed_by=["resource"], resource_policy=RP_ROLE)
case(F, "role-named-boundary-silent", SESSION, "s3:GetObject", OBJ, IMP,
     "Resource-based policies that grant permissions to an IAM role ARN are limited by an implicit deny in a permissions boundary.", BOUND,
     resource_account=A, blocked_by=["permissions-boundary"], permissions_boundaries=[NARROW], resource_policy=RP_ROLE)
case(F, "role-named-boundary-allows", SESSION, "s3:GetObject", OBJ, OK,
     "The role-ARN grant is capped by the boundary, which allows s3 here; no identity policy is needed.", BOUND,
     resource_account=A, allowed_by=["permissions-boundary", "resource"],
     permissions_boundaries=[pol(allow("s3:*"))], resource_policy=RP_ROLE)
case(F, "role-named-session-policy-silent", SESSION, "s3:GetObject", OBJ, IMP,
     "Resource-based policies that grant permissions to an IAM role ARN are limited by an implicit deny in a session policy.", BOUND,
     resource_account=A, blocked_by=["session"], session_policy=NARROW, resource_policy=RP_ROLE)
case(F, "role-named-session-policy-allows", SESSION, "s3:GetObject", OBJ, OK,
     "The session policy allows s3, so the role-ARN grant stands.", BOUND,
     resource_account=A, session_policy=pol(allow("s3:GetObject")), resource_policy=RP_ROLE)
case(F, "account-named-no-identity", USER, "s3:GetObject", OBJ, IMP,
     "Naming the account delegates to the account's identity policies; the user's allow nothing.", PRINCIPAL,
     resource_account=A, resource_policy=RP_ACCOUNT)
case(F, "account-root-named-no-identity", SESSION, "s3:GetObject", OBJ, IMP,
     "arn:aws:iam::ACCOUNT:root in Principal names the account, not a user: identity policies must allow.", PRINCIPAL,
     resource_account=A, resource_policy=RP_ROOT)
case(F, "account-named-identity-allows", USER, "s3:GetObject", OBJ, OK,
     "The account is named and the user's identity policy allows.", PRINCIPAL,
     resource_account=A, identity_policies=[pol(allow("s3:GetObject"))], resource_policy=RP_ACCOUNT)
case(F, "account-named-boundary-caps", USER, "s3:GetObject", OBJ, IMP,
     "With the account named, the identity-policy path applies and the boundary caps it.", BOUND,
     resource_account=A, identity_policies=[pol(allow("s3:GetObject"))], permissions_boundaries=[NARROW], resource_policy=RP_ACCOUNT)
case(F, "federated-user-named", FED, "s3:GetObject", OBJ, OK,
     "Resource-based policies that grant permissions to a federated user session ARN grant directly to the session.", BOUND,
     resource_account=A, allowed_by=["resource"], resource_policy=RP_FED)
case(F, "federated-user-named-session-policy-silent", FED, "s3:GetObject", OBJ, OK,
     "Permissions granted directly to a federated user session are not limited by an implicit deny in the session policy.", BOUND,
     resource_account=A, session_policy=NARROW, resource_policy=RP_FED)
case(F, "wildcard-principal-same-account", USER, "s3:GetObject", OBJ, OK,
     "Principal * grants to everyone, including the user, whose identity policy is then not needed.", PRINCIPAL,
     resource_account=A, resource_policy=pol(allow("s3:GetObject", OBJ, principal="*")))
case(F, "resource-policy-other-action", USER, "s3:PutObject", OBJ, IMP,
     "The resource policy names the user but only for s3:GetObject.", SINGLE,
     resource_account=A, resource_policy=RP_USER)
case(F, "session-named-other-session", f"arn:aws:sts::{A}:assumed-role/app/other", "s3:GetObject", OBJ, IMP,
     "The resource policy names session s1; a session with another name is a different principal.", PRINCIPAL,
     resource_account=A, resource_policy=RP_SESSION)
case(F, "identity-allows-session-policy-silent", SESSION, "s3:GetObject", OBJ, IMP,
     "A role session's identity-based permissions are the intersection with the session policy.", SESSIONP,
     resource_account=A, blocked_by=["session"], identity_policies=[pol(allow("s3:*"))], session_policy=NARROW)
case(F, "sqs-queue-policy-user", USER, "sqs:SendMessage", QUEUE, OK,
     "A queue policy naming the user allows within the account without an identity policy.", SINGLE,
     allowed_by=["resource"], resource_policy=pol(allow("sqs:SendMessage", QUEUE, principal={"AWS": USER})))
case(F, "carlos-example-either-allows", USER, "s3:PutObject", "arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar-logs/log.txt", OK,
     "The documentation's example: the bucket policy allows s3:PutObject for the user while the identity policy does not; either allowing is enough.", SINGLE,
     resource_account=A,
     identity_policies=[pol(allow(["s3:GetBucketLocation", "s3:ListAllMyBuckets"], "*"))],
     resource_policy=pol(allow("s3:*", "arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar-logs/*", principal={"AWS": USER})))

# ---------------------------------------------------------------- cross account
F = "cross-account"
RP_B = pol(allow("s3:GetObject", OBJ, principal={"AWS": B}))
RP_BUSER = pol(allow("s3:GetObject", OBJ, principal={"AWS": B_USER}))
IDB = [pol(allow("s3:GetObject", OBJ))]
case(F, "both-allow", B_USER, "s3:GetObject", OBJ, OK,
     "Across accounts, the identity policy in the trusted account and the resource policy in the trusting account must both allow.", CROSS,
     resource_account=A, allowed_by=["identity", "resource"], identity_policies=IDB, resource_policy=RP_BUSER)
case(F, "resource-only", B_USER, "s3:GetObject", OBJ, IMP,
     "The bucket policy names the user of the other account, but that user's identity policies allow nothing.", CROSS,
     resource_account=A, blocked_by=["identity"], resource_policy=RP_BUSER)
case(F, "identity-only", B_USER, "s3:GetObject", OBJ, IMP,
     "The identity policy allows, but the resource in the other account has no policy allowing the principal.", CROSS,
     resource_account=A, blocked_by=["resource"], identity_policies=IDB)
case(F, "identity-only-resource-names-other", B_USER, "s3:GetObject", OBJ, IMP,
     "The resource policy names a third account, not the caller's.", CROSS,
     resource_account=A, identity_policies=IDB, resource_policy=pol(allow("s3:GetObject", OBJ, principal={"AWS": "777788889999"})))
case(F, "account-named", B_USER, "s3:GetObject", OBJ, OK,
     "The bucket policy names the caller's account; the account's administrator delegates with an identity policy.", CROSS,
     resource_account=A, identity_policies=IDB, resource_policy=RP_B)
case(F, "account-root-arn-named", B_SESSION, "s3:GetObject", OBJ, OK,
     "arn:aws:iam::B:root names account B; the session's identity policy allows.", CROSS,
     resource_account=A, identity_policies=IDB, resource_policy=pol(allow("s3:GetObject", OBJ, principal={"AWS": f"arn:aws:iam::{B}:root"})))
case(F, "role-named-session-calls", B_SESSION, "s3:GetObject", OBJ, OK,
     "The bucket policy names the role; its session calls with an identity policy allowing.", CROSS,
     resource_account=A, identity_policies=IDB, resource_policy=pol(allow("s3:GetObject", OBJ, principal={"AWS": B_ROLE})))
case(F, "boundary-caps", B_USER, "s3:GetObject", OBJ, IMP,
     "The permissions boundary of the calling user caps cross-account access too.", CROSS,
     resource_account=A, blocked_by=["permissions-boundary"], identity_policies=IDB, permissions_boundaries=[NARROW], resource_policy=RP_BUSER)
case(F, "session-policy-caps", B_SESSION, "s3:GetObject", OBJ, IMP,
     "The session policy caps the role session's identity-side permissions across accounts.", CROSS,
     resource_account=A, identity_policies=IDB, session_policy=NARROW,
     resource_policy=pol(allow("s3:GetObject", OBJ, principal={"AWS": B_SESSION})))
case(F, "session-named-still-needs-identity", B_SESSION, "s3:GetObject", OBJ, IMP,
     "Across accounts, naming the session in the resource policy does not replace the identity policy.", CROSS,
     resource_account=A, resource_policy=pol(allow("s3:GetObject", OBJ, principal={"AWS": B_SESSION})))
case(F, "scp-of-principal-account-blocks", B_USER, "s3:GetObject", OBJ, IMP,
     "The SCPs of the caller's account must allow; this one allows only ec2.", CROSS,
     resource_account=A, blocked_by=["scp"], identity_policies=IDB, resource_policy=RP_BUSER, scps=[[pol(allow("ec2:*"))]])
case(F, "scp-allows", B_USER, "s3:GetObject", OBJ, OK,
     "The caller account's SCP allows, identity and resource policies allow.", CROSS,
     resource_account=A, allowed_by=["identity", "resource", "scp"], identity_policies=IDB, resource_policy=RP_BUSER, scps=[[FULL]])
case(F, "rcp-of-resource-account-blocks", B_USER, "s3:GetObject", OBJ, EXP,
     "An RCP on the resource's account denies principals outside the organization.", RCP,
     resource_account=A, context={"aws:PrincipalOrgID": "o-other"}, identity_policies=IDB, resource_policy=RP_BUSER,
     rcps=[[RCP_FULL, pol(deny("s3:*", principal="*", condition={"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-example"}}))]])
case(F, "rcp-same-org-allows", B_USER, "s3:GetObject", OBJ, OK,
     "The caller is in the organization, so the RCP's Deny does not apply.", RCP,
     resource_account=A, context={"aws:PrincipalOrgID": "o-example"}, identity_policies=IDB, resource_policy=RP_BUSER,
     rcps=[[RCP_FULL, pol(deny("s3:*", principal="*", condition={"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-example"}}))]])
case(F, "identity-denies", B_USER, "s3:GetObject", OBJ, EXP,
     "The caller's own Deny overrides the bucket policy's Allow.", CROSS,
     resource_account=A, identity_policies=[pol(deny("s3:*"))], resource_policy=RP_BUSER)
case(F, "resource-account-from-arn", B_USER, "sqs:SendMessage", QUEUE, OK,
     "The queue ARN names its account; both sides allow.", CROSS,
     identity_policies=[pol(allow("sqs:SendMessage"))], resource_policy=pol(allow("sqs:SendMessage", QUEUE, principal={"AWS": B})))
case(F, "queue-no-policy", B_USER, "sqs:SendMessage", QUEUE, IMP,
     "A queue in another account with no queue policy cannot be reached.", CROSS,
     identity_policies=[pol(allow("sqs:SendMessage"))])
case(F, "resource-policy-other-action", B_USER, "sqs:DeleteQueue", QUEUE, IMP,
     "The queue policy grants the account only SendMessage.", CROSS,
     identity_policies=[pol(allow("sqs:*"))], resource_policy=pol(allow("sqs:SendMessage", QUEUE, principal={"AWS": B})))
case(F, "root-of-other-account", f"arn:aws:iam::{B}:root", "s3:GetObject", OBJ, OK,
     "The other account's root user has its account's full permissions; the bucket policy names that account.", CROSS,
     resource_account=A, resource_policy=RP_B)
case(F, "root-of-other-account-not-named", f"arn:aws:iam::{B}:root", "s3:GetObject", OBJ, IMP,
     "The root user of another account still needs the resource policy to allow.", CROSS,
     resource_account=A, resource_policy=pol(allow("s3:GetObject", OBJ, principal={"AWS": "777788889999"})))

# ---------------------------------------------------------------- role trust policies
F = "trust-policy"
def trust(*principals_and_conditions, action="sts:AssumeRole"):
    return pol(*[st("Allow", action, principal=p, condition=c, no_resource=True) for p, c in principals_and_conditions])
ID_ASSUME = [pol(allow("sts:AssumeRole", TARGET_ROLE))]
case(F, "identity-allows-no-trust", USER, "sts:AssumeRole", TARGET_ROLE, IMP,
     "Role trust policies must explicitly allow the principal; an identity policy alone is not enough.", DENYALLOW,
     blocked_by=["resource"], identity_policies=ID_ASSUME)
case(F, "identity-allows-trust-names-other", USER, "sts:AssumeRole", TARGET_ROLE, IMP,
     "The trust policy names another user, so the identity policy's Allow is not enough.", DENYALLOW,
     identity_policies=ID_ASSUME, resource_policy=trust(({"AWS": f"arn:aws:iam::{A}:user/mallory"}, None)))
case(F, "trust-names-account-identity-allows", USER, "sts:AssumeRole", TARGET_ROLE, OK,
     "The trust policy trusts the account, and the user's identity policy allows sts:AssumeRole on the role.", ROLES,
     identity_policies=ID_ASSUME, resource_policy=trust(({"AWS": ROOT}, None)))
case(F, "trust-names-account-no-identity", USER, "sts:AssumeRole", TARGET_ROLE, IMP,
     "Trusting the account delegates to the account's identity policies; this user has none allowing AssumeRole.", ROLES,
     resource_policy=trust(({"AWS": A}, None)))
case(F, "trust-names-user-same-account", USER, "sts:AssumeRole", TARGET_ROLE, OK,
     "Within one account, a trust policy naming the user grants directly, like any resource-based policy naming the user.", DENYALLOW,
     resource_policy=trust(({"AWS": USER}, None)))
case(F, "trust-names-user-both", USER, "sts:AssumeRole", TARGET_ROLE, OK,
     "Trust policy and identity policy both allow.", ROLES,
     identity_policies=ID_ASSUME, resource_policy=trust(({"AWS": USER}, None)))
case(F, "cross-account-trust-account", B_USER, "sts:AssumeRole", TARGET_ROLE, OK,
     "The role in account A trusts account B; account B's identity policy lets the user assume it.", CROSS,
     identity_policies=ID_ASSUME, resource_policy=trust(({"AWS": B}, None)))
case(F, "cross-account-trust-no-identity", B_USER, "sts:AssumeRole", TARGET_ROLE, IMP,
     "Account B is trusted but its user has no identity policy allowing sts:AssumeRole.", CROSS,
     blocked_by=["identity"], resource_policy=trust(({"AWS": B}, None)))
case(F, "cross-account-trust-session", B_SESSION, "sts:AssumeRole", TARGET_ROLE, OK,
     "Role chaining across accounts: the session's role allows AssumeRole and the trust policy names the session's role.", CROSS,
     identity_policies=ID_ASSUME, resource_policy=trust(({"AWS": B_ROLE}, None)))
case(F, "service-trust", "ec2.amazonaws.com", "sts:AssumeRole", TARGET_ROLE, OK,
     "A service principal has no identity policy; the trust policy naming the service allows it.", ROLES,
     allowed_by=["resource"], resource_policy=trust(({"Service": "ec2.amazonaws.com"}, None)))
case(F, "service-not-trusted", "lambda.amazonaws.com", "sts:AssumeRole", TARGET_ROLE, IMP,
     "The trust policy names EC2, not Lambda.", ROLES,
     resource_policy=trust(({"Service": "ec2.amazonaws.com"}, None)))
case(F, "service-trust-list", "lambda.amazonaws.com", "sts:AssumeRole", TARGET_ROLE, OK,
     "A Service list names Lambda among others.", PRINCIPAL,
     resource_policy=trust(({"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]}, None)))
case(F, "service-trust-source-account-match", "lambda.amazonaws.com", "sts:AssumeRole", TARGET_ROLE, OK,
     "The confused-deputy condition aws:SourceAccount matches the calling account.", KEYS,
     context={"aws:SourceAccount": A},
     resource_policy=trust(({"Service": "lambda.amazonaws.com"}, {"StringEquals": {"aws:SourceAccount": A}})))
case(F, "service-trust-source-account-mismatch", "lambda.amazonaws.com", "sts:AssumeRole", TARGET_ROLE, IMP,
     "aws:SourceAccount is another account, so the trust statement does not apply.", KEYS,
     context={"aws:SourceAccount": B},
     resource_policy=trust(({"Service": "lambda.amazonaws.com"}, {"StringEquals": {"aws:SourceAccount": A}})))
case(F, "web-identity-cognito", "cognito-identity.amazonaws.com", "sts:AssumeRoleWithWebIdentity", TARGET_ROLE, OK,
     "A Cognito identity assumes the role when the trust policy names the provider and its aud condition matches.", ROLES,
     context={"cognito-identity.amazonaws.com:aud": "us-east-1:pool"},
     resource_policy=trust(({"Federated": "cognito-identity.amazonaws.com"}, {"StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:pool"}}), action="sts:AssumeRoleWithWebIdentity"))
case(F, "web-identity-wrong-aud", "cognito-identity.amazonaws.com", "sts:AssumeRoleWithWebIdentity", TARGET_ROLE, IMP,
     "The aud condition does not match the identity pool.", ROLES,
     context={"cognito-identity.amazonaws.com:aud": "us-east-1:other"},
     resource_policy=trust(({"Federated": "cognito-identity.amazonaws.com"}, {"StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:pool"}}), action="sts:AssumeRoleWithWebIdentity"))
case(F, "saml-provider", f"arn:aws:iam::{A}:saml-provider/corp", "sts:AssumeRoleWithSAML", TARGET_ROLE, OK,
     "A SAML provider named in the trust policy lets its users assume the role.", ROLES,
     context={"SAML:aud": "https://signin.aws.amazon.com/saml"},
     resource_policy=trust(({"Federated": f"arn:aws:iam::{A}:saml-provider/corp"}, {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}), action="sts:AssumeRoleWithSAML"))
case(F, "trust-wrong-action", USER, "sts:AssumeRole", TARGET_ROLE, IMP,
     "The trust statement allows sts:AssumeRoleWithSAML only; sts:AssumeRole is not allowed by the trust policy.", ROLES,
     identity_policies=ID_ASSUME, resource_policy=trust(({"AWS": USER}, None), action="sts:AssumeRoleWithSAML"))
case(F, "trust-deny", USER, "sts:AssumeRole", TARGET_ROLE, EXP,
     "A Deny in the trust policy overrides the Allow.", DENYALLOW,
     identity_policies=ID_ASSUME,
     resource_policy=pol(st("Allow", "sts:AssumeRole", principal={"AWS": A}, no_resource=True),
                         st("Deny", "sts:AssumeRole", principal={"AWS": USER}, no_resource=True)))
case(F, "trust-mfa-condition-missing", USER, "sts:AssumeRole", TARGET_ROLE, IMP,
     "The trust policy requires MFA and the request does not say whether MFA was used: not allowed, and the key is reported.", COND,
     missing=["aws:MultiFactorAuthPresent"], identity_policies=ID_ASSUME,
     resource_policy=trust(({"AWS": A}, {"Bool": {"aws:MultiFactorAuthPresent": "true"}})))
case(F, "trust-mfa-condition-met", USER, "sts:AssumeRole", TARGET_ROLE, OK,
     "The trust policy requires MFA and the request used MFA.", COND,
     context={"aws:MultiFactorAuthPresent": "true"}, identity_policies=ID_ASSUME,
     resource_policy=trust(({"AWS": A}, {"Bool": {"aws:MultiFactorAuthPresent": "true"}})))
case(F, "scp-blocks-assume-role", USER, "sts:AssumeRole", TARGET_ROLE, EXP,
     "The SCP denies sts:AssumeRole for the account's principals.", SCP,
     identity_policies=ID_ASSUME, resource_policy=trust(({"AWS": USER}, None)), scps=[[FULL, pol(deny("sts:AssumeRole"))]])

# ---------------------------------------------------------------- KMS key policies
F = "kms-key-policy"
def keypol(*stmts):
    return pol(*stmts)
ID_KMS = [pol(allow("kms:Decrypt", KEY))]
ENABLE_IAM = st("Allow", "kms:*", "*", sid="Enable IAM policies", principal={"AWS": ROOT})
case(F, "identity-only-no-key-policy-grant", USER, "kms:Decrypt", KEY, IMP,
     "KMS key policies must allow the access; an identity policy alone is not enough.", DENYALLOW,
     identity_policies=ID_KMS, resource_policy=keypol(st("Allow", "kms:*", principal={"AWS": f"arn:aws:iam::{A}:user/admin"})))
case(F, "identity-no-key-policy-at-all", USER, "kms:Decrypt", KEY, IMP,
     "Without a key policy allowing, IAM policies are not enough for KMS.", KMS,
     identity_policies=ID_KMS)
case(F, "key-policy-enables-iam", USER, "kms:Decrypt", KEY, OK,
     "The default key policy statement gives the account access, enabling IAM policies; the identity policy allows.", KMS,
     identity_policies=ID_KMS, resource_policy=keypol(ENABLE_IAM))
case(F, "key-policy-enables-iam-no-identity", USER, "kms:Decrypt", KEY, IMP,
     "The key policy enables IAM policies for the account, but no IAM policy allows this user.", KMS,
     resource_policy=keypol(ENABLE_IAM))
case(F, "key-policy-names-user", USER, "kms:Decrypt", KEY, OK,
     "The key policy names the user directly.", KMS,
     allowed_by=["resource"], resource_policy=keypol(st("Allow", "kms:Decrypt", principal={"AWS": USER})))
case(F, "key-policy-names-role", SESSION, "kms:Decrypt", KEY, OK,
     "The key policy names the role; its session decrypts.", KMS,
     resource_policy=keypol(st("Allow", ["kms:Decrypt", "kms:Encrypt"], principal={"AWS": ROLE})))
case(F, "key-policy-names-role-boundary-silent", SESSION, "kms:Decrypt", KEY, IMP,
     "A grant to the role ARN is capped by the role's permissions boundary, which does not allow KMS.", BOUND,
     permissions_boundaries=[NARROW], resource_policy=keypol(st("Allow", "kms:Decrypt", principal={"AWS": ROLE})))
case(F, "key-policy-other-action", USER, "kms:ScheduleKeyDeletion", KEY, IMP,
     "The key policy grants the user Decrypt only.", KMS,
     identity_policies=[pol(allow("kms:*"))], resource_policy=keypol(st("Allow", "kms:Decrypt", principal={"AWS": USER})))
case(F, "key-policy-deny", USER, "kms:Decrypt", KEY, EXP,
     "An explicit Deny in the key policy wins.", KMS,
     identity_policies=ID_KMS, resource_policy=keypol(ENABLE_IAM, st("Deny", "kms:Decrypt", principal="*")))
case(F, "cross-account-key", B_USER, "kms:Decrypt", KEY, OK,
     "Cross-account KMS use: the key policy names account B and B's identity policy allows.", KMS,
     identity_policies=ID_KMS, resource_policy=keypol(ENABLE_IAM, st("Allow", "kms:Decrypt", principal={"AWS": B})))
case(F, "cross-account-key-no-identity", B_USER, "kms:Decrypt", KEY, IMP,
     "The key policy names account B, but B's user has no identity policy allowing kms:Decrypt.", KMS,
     resource_policy=keypol(ENABLE_IAM, st("Allow", "kms:Decrypt", principal={"AWS": B})))
case(F, "via-service-condition-met", USER, "kms:Decrypt", KEY, OK,
     "The key policy allows decrypt only via S3 in us-east-1, and the request comes through S3.", KMS,
     context={"kms:ViaService": "s3.us-east-1.amazonaws.com"},
     resource_policy=keypol(st("Allow", "kms:Decrypt", principal={"AWS": USER}, condition={"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}})))
case(F, "via-service-condition-unknown", USER, "kms:Decrypt", KEY, IMP,
     "The request does not say which service calls KMS: the grant cannot be assumed; kms:ViaService is reported.", COND,
     missing=["kms:ViaService"],
     resource_policy=keypol(st("Allow", "kms:Decrypt", principal={"AWS": USER}, condition={"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}})))

case("kms-key-policy", "create-key-identity-only", USER, "kms:CreateKey", "*", OK,
     "kms:CreateKey is not an action on an existing key: no key policy is involved and the identity policy is enough.", KMS,
     resource_account=A, identity_policies=[pol(allow("kms:CreateKey"))])
case("kms-key-policy", "list-keys-identity-only", USER, "kms:ListKeys", "*", OK,
     "kms:ListKeys is authorized by IAM policies alone.", KMS,
     resource_account=A, identity_policies=[pol(allow("kms:List*"))])
case("trust-policy", "tag-session-needs-trust", USER, "sts:TagSession", TARGET_ROLE, IMP,
     "Passing session tags needs sts:TagSession in the role trust policy; this trust policy allows only sts:AssumeRole.", "Passing session tags in AWS STS",
     identity_policies=[pol(allow(["sts:AssumeRole", "sts:TagSession"], TARGET_ROLE))], resource_policy=trust(({"AWS": A}, None)))
case("trust-policy", "tag-session-allowed", USER, "sts:TagSession", TARGET_ROLE, OK,
     "The trust policy allows sts:TagSession for the account and the identity policy allows it.", "Passing session tags in AWS STS",
     identity_policies=[pol(allow(["sts:AssumeRole", "sts:TagSession"], TARGET_ROLE))],
     resource_policy=pol(st("Allow", ["sts:AssumeRole", "sts:TagSession"], principal={"AWS": A}, no_resource=True)))

# ---------------------------------------------------------------- SCPs
F = "scp"
ID_S3 = [pol(allow("s3:*"))]
case(F, "full-access-every-level", USER, "s3:GetObject", OBJ, OK,
     "FullAWSAccess at the root, the OU and the account: the SCPs allow, the identity policy grants.", SCPEVAL,
     resource_account=A, allowed_by=["identity", "scp"], identity_policies=ID_S3, scps=[[FULL], [FULL], [FULL]])
case(F, "missing-at-ou", USER, "s3:GetObject", OBJ, IMP,
     "An SCP must allow at every level from the root to the account; the OU level allows only EC2.", SCPEVAL,
     resource_account=A, blocked_by=["scp"], identity_policies=ID_S3, scps=[[FULL], [pol(allow("ec2:*"))], [FULL]])
case(F, "missing-at-account", USER, "s3:GetObject", OBJ, IMP,
     "The account level's allow list lacks S3, so the request is implicitly denied.", SCPEVAL,
     resource_account=A, blocked_by=["scp"], identity_policies=ID_S3, scps=[[FULL], [FULL], [pol(allow("ec2:*"))]])
case(F, "missing-at-root", USER, "s3:GetObject", OBJ, IMP,
     "The root level allows only EC2; lower levels cannot widen it.", SCPEVAL,
     resource_account=A, identity_policies=ID_S3, scps=[[pol(allow("ec2:*"))], [FULL], [FULL]])
case(F, "allow-list-at-every-level", USER, "s3:GetObject", OBJ, OK,
     "Each level's allow list includes S3 (written differently at each level).", SCPEVAL,
     resource_account=A, identity_policies=ID_S3, scps=[[pol(allow("s3:*"))], [pol(allow(["s3:Get*", "ec2:*"]))], [pol(allow("s3:GetObject"))]])
case(F, "two-policies-one-level", USER, "s3:GetObject", OBJ, OK,
     "At one level, an Allow in any of the attached SCPs is enough.", SCPEVAL,
     resource_account=A, identity_policies=ID_S3, scps=[[FULL], [pol(allow("ec2:*")), pol(allow("s3:*"))]])
case(F, "scp-does-not-grant", USER, "s3:GetObject", OBJ, IMP,
     "SCPs never grant permissions: with FullAWSAccess and no identity policy the request is denied.", SCP,
     resource_account=A, blocked_by=["identity"], scps=[[FULL]])
case(F, "deny-at-ou", USER, "s3:DeleteBucket", BUCKET, EXP,
     "A Deny in an OU's SCP applies to every account below it.", SCPEVAL,
     resource_account=A, blocked_by=["scp"], identity_policies=ID_S3, scps=[[FULL], [FULL, pol(deny("s3:DeleteBucket"))], [FULL]])
case(F, "management-account-exempt", USER, "s3:GetObject", OBJ, OK,
     "SCPs do not affect users or roles in the management account.", SCP,
     resource_account=A, req={"principal_in_management_account": True}, allowed_by=["identity"],
     identity_policies=ID_S3, scps=[[pol(allow("ec2:*"))]])
case(F, "management-account-deny-exempt", USER, "s3:DeleteBucket", BUCKET, OK,
     "Even an SCP Deny does not affect the management account's principals.", SCP,
     resource_account=A, req={"principal_in_management_account": True}, identity_policies=ID_S3, scps=[[FULL, pol(deny("s3:*"))]])
case(F, "service-linked-role-exempt", SLR, "ec2:DescribeInstances", "*", OK,
     "SCPs do not affect service-linked roles.", SCP,
     identity_policies=[pol(allow("ec2:Describe*"))], scps=[[pol(deny("*"))]], req={"principal_account": A}, resource_account=A)
case(F, "service-linked-role-session-exempt", f"arn:aws:sts::{A}:assumed-role/AWSServiceRoleForElasticLoadBalancing/elb", "ec2:DescribeInstances", "*", OK,
     "A session of a service-linked role is not affected by SCPs either.", SCP,
     resource_account=A, req={"service_linked_role": True}, identity_policies=[pol(allow("ec2:Describe*"))], scps=[[pol(deny("*"))]])
case(F, "service-principal-not-affected", "lambda.amazonaws.com", "sqs:SendMessage", QUEUE, OK,
     "SCPs restrict the account's IAM principals, not AWS service principals acting through a resource policy.", SCP,
     resource_policy=pol(allow("sqs:SendMessage", QUEUE, principal={"Service": "lambda.amazonaws.com"})), scps=[[pol(deny("*"))]])
case(F, "root-user-affected", ROOT, "ec2:TerminateInstances", f"arn:aws:ec2:us-east-1:{A}:instance/i-1", IMP,
     "SCPs restrict the root user of member accounts: the allow list lacks EC2.", SCP,
     scps=[[pol(allow("s3:*"))]])
case(F, "root-user-allowed", ROOT, "s3:GetObject", OBJ, OK,
     "The root user has full access to its account's resources unless something denies; the SCP allows S3.", DENYALLOW,
     resource_account=A, scps=[[FULL]])
case(F, "resource-grant-still-needs-scp", USER, "s3:GetObject", OBJ, IMP,
     "SCPs are evaluated before resource-based policies: a same-account bucket policy naming the user does not get around an SCP that does not allow.", DENYALLOW,
     resource_account=A, blocked_by=["scp"], resource_policy=RP_USER, scps=[[pol(allow("ec2:*"))]])
case(F, "region-deny-outside", USER, "ec2:RunInstances", f"arn:aws:ec2:eu-west-1:{A}:instance/*", EXP,
     "The region-restriction SCP denies requests outside us-east-1.", "Example service control policies",
     context={"aws:RequestedRegion": "eu-west-1"}, identity_policies=[pol(allow("ec2:*"))],
     scps=[[FULL, pol(deny("*", condition={"StringNotEquals": {"aws:RequestedRegion": ["us-east-1"]}}))]])
case(F, "region-deny-inside", USER, "ec2:RunInstances", f"arn:aws:ec2:us-east-1:{A}:instance/*", OK,
     "The region-restriction SCP does not apply to us-east-1.", "Example service control policies",
     context={"aws:RequestedRegion": "us-east-1"}, identity_policies=[pol(allow("ec2:*"))],
     scps=[[FULL, pol(deny("*", condition={"StringNotEquals": {"aws:RequestedRegion": ["us-east-1"]}}))]])
case(F, "region-deny-unknown", USER, "ec2:RunInstances", f"arn:aws:ec2:us-east-1:{A}:instance/*", EXP,
     "The request does not say its region: the region Deny might apply, so it is reported as denied with the key listed.", COND,
     missing=["aws:RequestedRegion"], identity_policies=[pol(allow("ec2:*"))],
     scps=[[FULL, pol(deny("*", condition={"StringNotEquals": {"aws:RequestedRegion": ["us-east-1"]}}))]])
case(F, "not-action-deny-exempts-iam", USER, "iam:CreateRole", f"arn:aws:iam::{A}:role/x", OK,
     "Deny with NotAction iam:* outside us-east-1 does not cover IAM actions.", NOTACTION,
     context={"aws:RequestedRegion": "eu-west-1"}, identity_policies=[pol(allow("iam:*"))],
     scps=[[FULL, pol(deny(["iam:*", "sts:*"], not_action=True, condition={"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}))]])
case(F, "not-action-deny-covers-s3", USER, "s3:GetObject", OBJ, EXP,
     "Deny with NotAction iam:* covers every non-IAM action, so S3 outside us-east-1 is denied.", NOTACTION,
     resource_account=A, context={"aws:RequestedRegion": "eu-west-1"}, identity_policies=ID_S3,
     scps=[[FULL, pol(deny(["iam:*", "sts:*"], not_action=True, condition={"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}))]])
case(F, "empty-level", USER, "s3:GetObject", OBJ, IMP,
     "A level with no SCP allowing anything allows nothing (FullAWSAccess detached, nothing else).", SCPEVAL,
     resource_account=A, identity_policies=ID_S3, scps=[[FULL], []])
case(F, "deny-tag-protect", USER, "ec2:DeleteTags", f"arn:aws:ec2:us-east-1:{A}:instance/i-1", EXP,
     "An SCP denies changing tags unless the principal is the admin role (aws:PrincipalArn derives from the caller).", "Example service control policies",
     identity_policies=[pol(allow("ec2:*"))],
     scps=[[FULL, pol(deny("ec2:DeleteTags", condition={"ArnNotLike": {"aws:PrincipalArn": f"arn:aws:iam::*:role/admin"}}))]])
case(F, "deny-tag-protect-admin", f"arn:aws:sts::{A}:assumed-role/admin/ops", "ec2:DeleteTags", f"arn:aws:ec2:us-east-1:{A}:instance/i-1", OK,
     "aws:PrincipalArn of a role session is the role's ARN, which matches the exemption.", KEYS,
     identity_policies=[pol(allow("ec2:*"))],
     scps=[[FULL, pol(deny("ec2:DeleteTags", condition={"ArnNotLike": {"aws:PrincipalArn": f"arn:aws:iam::*:role/admin"}}))]])
case(F, "cross-account-caller-scp-applies", B_USER, "sqs:SendMessage", QUEUE, IMP,
     "The caller's account SCP applies even to a resource in another account.", SCP,
     identity_policies=[pol(allow("sqs:*"))], resource_policy=pol(allow("sqs:SendMessage", QUEUE, principal={"AWS": B})),
     scps=[[pol(allow("s3:*"))]])

# ---------------------------------------------------------------- RCPs
F = "rcp"
ORG_DENY = pol(deny("s3:*", principal="*", condition={"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-example"}, "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}))
case(F, "full-access", USER, "s3:GetObject", OBJ, OK,
     "RCPFullAWSAccess at every level allows; the identity policy grants.", RCPEVAL,
     resource_account=A, allowed_by=["identity", "rcp"], identity_policies=ID_S3, rcps=[[RCP_FULL], [RCP_FULL]])
case(F, "rcp-does-not-grant", USER, "s3:GetObject", OBJ, IMP,
     "RCPs never grant: with RCPFullAWSAccess and no identity or resource policy the request is denied.", RCP,
     resource_account=A, blocked_by=["identity"], rcps=[[RCP_FULL]])
case(F, "missing-allow-at-level", USER, "s3:GetObject", OBJ, IMP,
     "Every level must have an RCP allowing; this level's only RCP allows SQS.", RCPEVAL,
     resource_account=A, blocked_by=["rcp"], identity_policies=ID_S3, rcps=[[RCP_FULL], [pol(allow("sqs:*", principal="*"))]])
case(F, "external-principal-denied", B_USER, "s3:GetObject", OBJ, EXP,
     "The data-perimeter RCP denies principals outside the organization even though the bucket policy allows them.", RCP,
     resource_account=A, context={"aws:PrincipalOrgID": "o-other"}, identity_policies=IDB,
     resource_policy=RP_BUSER, rcps=[[RCP_FULL, ORG_DENY]])
case(F, "internal-principal-allowed", B_USER, "s3:GetObject", OBJ, OK,
     "The caller is in the organization, so the perimeter Deny does not apply.", RCP,
     resource_account=A, context={"aws:PrincipalOrgID": "o-example"}, identity_policies=IDB,
     resource_policy=RP_BUSER, rcps=[[RCP_FULL, ORG_DENY]])
case(F, "org-id-unknown", B_USER, "s3:GetObject", OBJ, EXP,
     "The request does not give aws:PrincipalOrgID; the perimeter Deny might apply, reported as denied with the key.", COND,
     resource_account=A, missing=["aws:PrincipalOrgID"], identity_policies=IDB,
     resource_policy=RP_BUSER, rcps=[[RCP_FULL, ORG_DENY]])
case(F, "org-id-absent-ifexists", B_USER, "s3:GetObject", OBJ, EXP,
     "aws:PrincipalOrgID is known to be absent (a principal outside any organization): ...IfExists is true when the key is absent, so the perimeter Deny applies.", COND,
     resource_account=A, context={"aws:PrincipalOrgID": None}, identity_policies=IDB,
     resource_policy=RP_BUSER, rcps=[[RCP_FULL, ORG_DENY]])
case(F, "service-principal-not-affected", "cloudtrail.amazonaws.com", "s3:PutObject", OBJ, OK,
     "RCPs do not restrict requests made by AWS service principals.", RCP,
     resource_account=A, resource_policy=pol(allow("s3:PutObject", OBJ, principal={"Service": "cloudtrail.amazonaws.com"})),
     rcps=[[RCP_FULL, pol(deny("s3:*", principal="*"))]])
case(F, "service-linked-role-not-affected", SLR, "s3:GetObject", OBJ, OK,
     "RCPs do not restrict service-linked roles.", RCP,
     resource_account=A, identity_policies=ID_S3, rcps=[[RCP_FULL, pol(deny("s3:*", principal="*"))]])
case(F, "management-account-resource-not-affected", USER, "s3:GetObject", OBJ, OK,
     "RCPs do not affect resources in the management account.", RCP,
     resource_account=A, req={"resource_in_management_account": True}, identity_policies=ID_S3,
     rcps=[[pol(deny("s3:*", principal="*"))]])
case(F, "member-account-resource-affected", USER, "s3:GetObject", OBJ, EXP,
     "The same RCP Deny applies to a member account's resource.", RCP,
     resource_account=A, identity_policies=ID_S3, rcps=[[RCP_FULL, pol(deny("s3:*", principal="*"))]])
case(F, "anonymous-affected", "anonymous", "s3:GetObject", OBJ, EXP,
     "An RCP denying unencrypted transport applies to anonymous requests to a public bucket too.", RCP,
     resource_account=A, context={"aws:SecureTransport": "false"},
     resource_policy=pol(allow("s3:GetObject", OBJ, principal="*")),
     rcps=[[RCP_FULL, pol(deny("s3:*", principal="*", condition={"BoolIfExists": {"aws:SecureTransport": "false"}}))]])
case(F, "anonymous-tls-allowed", "anonymous", "s3:GetObject", OBJ, OK,
     "Over TLS the RCP's Deny does not apply; the public bucket policy allows.", RCP,
     resource_account=A, context={"aws:SecureTransport": "true"},
     resource_policy=pol(allow("s3:GetObject", OBJ, principal="*")),
     rcps=[[RCP_FULL, pol(deny("s3:*", principal="*", condition={"BoolIfExists": {"aws:SecureTransport": "false"}}))]])
case(F, "rcp-same-account-resource-grant", USER, "s3:GetObject", OBJ, IMP,
     "RCPs are evaluated before resource-based policies; an RCP level without an allow blocks even a direct bucket-policy grant.", DENYALLOW,
     resource_account=A, blocked_by=["rcp"], resource_policy=RP_USER, rcps=[[pol(allow("sqs:*", principal="*"))]])
case(F, "rcp-other-service-deny-no-effect", USER, "s3:GetObject", OBJ, OK,
     "An RCP denying SQS actions does not affect S3 requests.", RCP,
     resource_account=A, identity_policies=ID_S3, rcps=[[RCP_FULL, pol(deny("sqs:*", principal="*"))]])
case(F, "rcp-and-scp-both-allow", USER, "s3:GetObject", OBJ, OK,
     "The effective permissions are the intersection of what RCPs, SCPs and identity policies allow.", RCP,
     resource_account=A, allowed_by=["identity", "rcp", "scp"], identity_policies=ID_S3, rcps=[[RCP_FULL]], scps=[[FULL]])
case(F, "rcp-resource-account-variable", B_USER, "s3:GetObject", OBJ, EXP,
     "An RCP denies callers whose account is not the resource's (${aws:ResourceAccount} as a policy variable; both keys derive from the request).", VARS,
     resource_account=A, identity_policies=ID_S3, resource_policy=pol(allow("s3:GetObject", OBJ, principal="*")),
     rcps=[[RCP_FULL, pol(deny("s3:*", principal="*", condition={"StringNotEquals": {"aws:PrincipalAccount": "${aws:ResourceAccount}"}}))]])
case(F, "rcp-resource-account-variable-same", USER, "s3:GetObject", OBJ, OK,
     "The same RCP lets a caller from the resource's own account through.", VARS,
     resource_account=A, identity_policies=ID_S3,
     rcps=[[RCP_FULL, pol(deny("s3:*", principal="*", condition={"StringNotEquals": {"aws:PrincipalAccount": "${aws:ResourceAccount}"}}))]])

# ---------------------------------------------------------------- permissions boundaries
F = "permissions-boundary"
case(F, "both-allow", USER, "s3:GetObject", OBJ, OK,
     "Effective permissions are what both the identity policy and the boundary allow.", BOUND,
     resource_account=A, allowed_by=["identity", "permissions-boundary"], identity_policies=ID_S3, permissions_boundaries=[pol(allow("s3:*"))])
case(F, "boundary-silent", USER, "s3:GetObject", OBJ, IMP,
     "The boundary does not allow S3: implicit deny even though the identity policy allows.", BOUND,
     resource_account=A, blocked_by=["permissions-boundary"], identity_policies=ID_S3, permissions_boundaries=[NARROW])
case(F, "boundary-does-not-grant", USER, "s3:GetObject", OBJ, IMP,
     "A boundary never grants: it allows S3 but no identity policy does.", BOUND,
     resource_account=A, blocked_by=["identity"], permissions_boundaries=[pol(allow("s3:*"))])
case(F, "shirley-example-create-user", USER, "iam:CreateUser", f"arn:aws:iam::{A}:user/new", IMP,
     "The documentation's example: the boundary allows only S3, CloudWatch and EC2, so iam:CreateUser allowed by the identity policy is denied.", BOUND,
     identity_policies=[pol(allow("iam:CreateUser"))],
     permissions_boundaries=[pol(allow(["s3:*", "cloudwatch:*", "ec2:*"]))])
case(F, "shirley-example-s3", USER, "s3:ListBucket", BUCKET, OK,
     "Within that boundary, an identity policy allowing S3 is effective.", BOUND,
     resource_account=A, identity_policies=[pol(allow("s3:*"))],
     permissions_boundaries=[pol(allow(["s3:*", "cloudwatch:*", "ec2:*"]))])
case(F, "boundary-deny", USER, "s3:DeleteBucket", BUCKET, EXP,
     "An explicit Deny in the boundary overrides the identity policy.", BOUND,
     resource_account=A, identity_policies=ID_S3, permissions_boundaries=[pol(allow("*"), deny("s3:Delete*"))])
case(F, "boundary-resource-scoped", USER, "s3:GetObject", "arn:aws:s3:::other-bucket/x", IMP,
     "The boundary allows S3 only on example-bucket.", BOUND,
     resource_account=A, identity_policies=ID_S3, permissions_boundaries=[pol(allow("s3:*", ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"]))])
case(F, "boundary-resource-scoped-in", USER, "s3:GetObject", OBJ, OK,
     "The object is inside the boundary's bucket.", BOUND,
     resource_account=A, identity_policies=ID_S3, permissions_boundaries=[pol(allow("s3:*", ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"]))])
case(F, "boundary-not-action", USER, "iam:CreateUser", f"arn:aws:iam::{A}:user/x", IMP,
     "A boundary of Allow NotAction iam:* allows everything but IAM.", NOTACTION,
     identity_policies=[pol(allow("*"))], permissions_boundaries=[pol(allow("iam:*", not_action=True))])
case(F, "boundary-not-action-other", USER, "s3:GetObject", OBJ, OK,
     "The same NotAction boundary allows S3.", NOTACTION,
     resource_account=A, identity_policies=[pol(allow("*"))], permissions_boundaries=[pol(allow("iam:*", not_action=True))])
case(F, "boundary-condition-met", USER, "ec2:RunInstances", f"arn:aws:ec2:us-east-1:{A}:instance/*", OK,
     "The boundary allows EC2 in us-east-1 and the request is there.", BOUND,
     context={"aws:RequestedRegion": "us-east-1"}, identity_policies=[pol(allow("ec2:*"))],
     permissions_boundaries=[pol(allow("ec2:*", condition={"StringEquals": {"aws:RequestedRegion": "us-east-1"}}))])
case(F, "boundary-condition-not-met", USER, "ec2:RunInstances", f"arn:aws:ec2:eu-west-1:{A}:instance/*", IMP,
     "The boundary's condition does not hold in eu-west-1.", BOUND,
     context={"aws:RequestedRegion": "eu-west-1"}, identity_policies=[pol(allow("ec2:*"))],
     permissions_boundaries=[pol(allow("ec2:*", condition={"StringEquals": {"aws:RequestedRegion": "us-east-1"}}))])
case(F, "role-session-boundary", SESSION, "s3:GetObject", OBJ, IMP,
     "A role's boundary caps its sessions' identity-based permissions.", BOUND,
     resource_account=A, identity_policies=ID_S3, permissions_boundaries=[NARROW])
case(F, "not-principal-deny-with-boundary", USER, "s3:GetObject", OBJ, EXP,
     "A resource policy Deny with NotPrincipal always denies a principal with a permissions boundary, even one listed in NotPrincipal.", NOTPRINCIPAL,
     resource_account=A, identity_policies=ID_S3, permissions_boundaries=[pol(allow("*"))],
     resource_policy=pol(st("Deny", "s3:*", [BUCKET, "arn:aws:s3:::example-bucket/*"], not_principal={"AWS": [USER, ROOT]})))
case(F, "not-principal-deny-without-boundary", USER, "s3:GetObject", OBJ, OK,
     "Without a boundary, the user and its account listed in NotPrincipal are exempt from the Deny.", NOTPRINCIPAL,
     resource_account=A, identity_policies=ID_S3,
     resource_policy=pol(st("Deny", "s3:*", [BUCKET, "arn:aws:s3:::example-bucket/*"], not_principal={"AWS": [USER, ROOT]})))

# ---------------------------------------------------------------- session policies
F = "session-policy"
case(F, "both-allow", SESSION, "s3:GetObject", OBJ, OK,
     "A session's permissions are the intersection of the role's identity policies and the session policy.", SESSIONP,
     resource_account=A, allowed_by=["identity", "session"], identity_policies=ID_S3, session_policy=pol(allow("s3:GetObject")))
case(F, "session-does-not-grant", SESSION, "s3:GetObject", OBJ, IMP,
     "A session policy cannot grant more than the role's identity policies allow.", SESSIONP,
     resource_account=A, blocked_by=["identity"], identity_policies=[NARROW], session_policy=pol(allow("*")))
case(F, "session-narrows", SESSION, "s3:PutObject", OBJ, IMP,
     "The session policy allows only GetObject.", SESSIONP,
     resource_account=A, blocked_by=["session"], identity_policies=ID_S3, session_policy=pol(allow("s3:GetObject")))
case(F, "session-deny", SESSION, "s3:GetObject", OBJ, EXP,
     "An explicit Deny in the session policy wins.", SESSIONP,
     resource_account=A, identity_policies=ID_S3, session_policy=pol(allow("*"), deny("s3:*")))
case(F, "federated-user-session", FED, "s3:GetObject", OBJ, OK,
     "A GetFederationToken session: the user's identity policies intersected with the session policy.", SESSIONP,
     resource_account=A, identity_policies=ID_S3, session_policy=pol(allow("s3:Get*")))
case(F, "federated-user-session-narrows", FED, "s3:DeleteObject", OBJ, IMP,
     "The session policy does not allow deletes.", SESSIONP,
     resource_account=A, identity_policies=ID_S3, session_policy=pol(allow("s3:Get*")))
case(F, "session-and-boundary", SESSION, "s3:GetObject", OBJ, OK,
     "Identity policy, boundary and session policy all allow.", EVAL,
     resource_account=A, allowed_by=["identity", "permissions-boundary", "session"], identity_policies=ID_S3,
     permissions_boundaries=[pol(allow("s3:*"))], session_policy=pol(allow("s3:*")))
case(F, "session-and-boundary-boundary-silent", SESSION, "s3:GetObject", OBJ, IMP,
     "The boundary does not allow, whatever the session policy says.", EVAL,
     resource_account=A, identity_policies=ID_S3, permissions_boundaries=[NARROW], session_policy=pol(allow("s3:*")))
case(F, "session-resource-scoped", SESSION, "s3:GetObject", "arn:aws:s3:::other-bucket/x", IMP,
     "The session policy is scoped to example-bucket.", SESSIONP,
     resource_account=A, identity_policies=ID_S3, session_policy=pol(allow("s3:*", "arn:aws:s3:::example-bucket/*")))
case(F, "session-cross-account-resource-grant", SESSION, "sqs:SendMessage", f"arn:aws:sqs:us-east-1:{B}:inbox", IMP,
     "Across accounts the identity side (role policy and session policy) must allow; the session policy does not.", CROSS,
     identity_policies=[pol(allow("sqs:*"))], session_policy=pol(allow("s3:*")),
     resource_policy=pol(allow("sqs:SendMessage", f"arn:aws:sqs:us-east-1:{B}:inbox", principal={"AWS": SESSION})))

# ---------------------------------------------------------------- VPC endpoint policies
F = "vpc-endpoint"
case(F, "endpoint-allows", USER, "s3:GetObject", OBJ, OK,
     "The endpoint policy allows; it does not grant by itself, the identity policy does.", VPCE,
     resource_account=A, allowed_by=["identity", "vpc-endpoint"], identity_policies=ID_S3, vpc_endpoint_policies=[pol(allow("s3:GetObject", principal="*"))])
case(F, "endpoint-silent", USER, "s3:PutObject", OBJ, IMP,
     "The endpoint policy allows only GetObject; PutObject through the endpoint is denied.", VPCE,
     resource_account=A, blocked_by=["vpc-endpoint"], identity_policies=ID_S3, vpc_endpoint_policies=[pol(allow("s3:GetObject", principal="*"))])
case(F, "endpoint-does-not-grant", USER, "s3:GetObject", OBJ, IMP,
     "An endpoint policy does not grant: the full-access default endpoint policy with no identity policy.", VPCE,
     resource_account=A, blocked_by=["identity"], vpc_endpoint_policies=[pol(allow("*", principal="*"))])
case(F, "endpoint-deny", USER, "s3:DeleteObject", OBJ, EXP,
     "A Deny in the endpoint policy wins.", VPCE,
     resource_account=A, identity_policies=ID_S3, vpc_endpoint_policies=[pol(allow("*", principal="*"), deny("s3:Delete*", principal="*"))])
case(F, "endpoint-bucket-scope", USER, "s3:GetObject", "arn:aws:s3:::other-bucket/x", IMP,
     "The endpoint policy allows only example-bucket.", VPCE,
     resource_account=A, identity_policies=ID_S3, vpc_endpoint_policies=[pol(allow("s3:*", "arn:aws:s3:::example-bucket/*", principal="*"))])
case(F, "endpoint-principal-scope", USER, "s3:GetObject", OBJ, OK,
     "The endpoint policy allows the caller's account.", VPCE,
     resource_account=A, identity_policies=ID_S3, vpc_endpoint_policies=[pol(allow("s3:*", principal={"AWS": A}))])
case(F, "endpoint-principal-other", B_USER, "s3:GetObject", OBJ, IMP,
     "The endpoint policy allows only account A's principals; B's user is refused even with the bucket policy allowing.", VPCE,
     resource_account=A, identity_policies=IDB, resource_policy=RP_BUSER, vpc_endpoint_policies=[pol(allow("s3:*", principal={"AWS": A}))])
case(F, "endpoint-resource-grant", USER, "s3:GetObject", OBJ, IMP,
     "A same-account bucket policy naming the user is still filtered by the endpoint policy.", VPCE,
     resource_account=A, resource_policy=RP_USER, vpc_endpoint_policies=[pol(allow("sqs:*", principal="*"))])
case(F, "endpoint-org-condition", USER, "s3:GetObject", OBJ, OK,
     "The endpoint policy allows principals of the organization; the caller is in it.", VPCE,
     resource_account=A, context={"aws:PrincipalOrgID": "o-example"}, identity_policies=ID_S3,
     vpc_endpoint_policies=[pol(allow("*", principal="*", condition={"StringEquals": {"aws:PrincipalOrgID": "o-example"}}))])
case(F, "endpoint-org-condition-unknown", USER, "s3:GetObject", OBJ, IMP,
     "The organization is not given: the endpoint policy's allow cannot be assumed.", COND,
     resource_account=A, missing=["aws:PrincipalOrgID"], identity_policies=ID_S3,
     vpc_endpoint_policies=[pol(allow("*", principal="*", condition={"StringEquals": {"aws:PrincipalOrgID": "o-example"}}))])
case(F, "two-endpoints-both-must-allow", USER, "s3:GetObject", OBJ, IMP,
     "Each endpoint policy on the path must allow; the second allows SQS only.", VPCE,
     resource_account=A, identity_policies=ID_S3,
     vpc_endpoint_policies=[pol(allow("*", principal="*")), pol(allow("sqs:*", principal="*"))])
case(F, "no-endpoint", USER, "s3:GetObject", OBJ, OK,
     "A request that does not go through an endpoint is not subject to endpoint policies.", VPCE,
     resource_account=A, allowed_by=["identity"], identity_policies=ID_S3)

# ---------------------------------------------------------------- principals
F = "principals"
PUBLIC = pol(allow("s3:GetObject", "arn:aws:s3:::example-bucket/*", principal="*"))
case(F, "anonymous-public-bucket", "anonymous", "s3:GetObject", OBJ, OK,
     "Principal * includes anonymous users: a public-read bucket policy allows them.", PRINCIPAL,
     resource_account=A, allowed_by=["resource"], resource_policy=PUBLIC)
case(F, "anonymous-aws-star", "anonymous", "s3:GetObject", OBJ, OK,
     "{\"AWS\": \"*\"} is equivalent to \"*\" for anonymous access.", PRINCIPAL,
     resource_account=A, resource_policy=pol(allow("s3:GetObject", OBJ, principal={"AWS": "*"})))
case(F, "anonymous-no-policy", "anonymous", "s3:GetObject", OBJ, IMP,
     "Anonymous users have no identity policies; without a resource policy nothing allows.", PRINCIPAL,
     resource_account=A, blocked_by=["resource"])
case(F, "anonymous-account-named", "anonymous", "s3:GetObject", OBJ, IMP,
     "A resource policy naming an account does not cover anonymous callers.", PRINCIPAL,
     resource_account=A, resource_policy=RP_ACCOUNT)
case(F, "anonymous-identity-policies-ignored", "anonymous", "s3:GetObject", OBJ, IMP,
     "Identity policies belong to IAM identities; they cannot apply to an anonymous caller.", PRINCIPAL,
     resource_account=A, identity_policies=ID_S3)
case(F, "anonymous-public-with-ip", "anonymous", "s3:GetObject", OBJ, OK,
     "A public bucket policy restricted to a source range, and the caller is in it.", COND,
     resource_account=A, context={"aws:SourceIp": "192.0.2.10"},
     resource_policy=pol(allow("s3:GetObject", "arn:aws:s3:::example-bucket/*", principal="*", condition={"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}})))
case(F, "anonymous-public-with-ip-outside", "anonymous", "s3:GetObject", OBJ, IMP,
     "The caller's address is outside the allowed range.", COND,
     resource_account=A, context={"aws:SourceIp": "198.51.100.1"},
     resource_policy=pol(allow("s3:GetObject", "arn:aws:s3:::example-bucket/*", principal="*", condition={"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}})))
case(F, "service-principal-allowed", "sns.amazonaws.com", "sqs:SendMessage", QUEUE, OK,
     "A queue policy naming the SNS service principal allows SNS to deliver.", PRINCIPAL,
     allowed_by=["resource"], resource_policy=pol(allow("sqs:SendMessage", QUEUE, principal={"Service": "sns.amazonaws.com"})))
case(F, "service-principal-source-arn", "sns.amazonaws.com", "sqs:SendMessage", QUEUE, IMP,
     "The queue policy requires the topic's ARN as aws:SourceArn; another topic is refused.", KEYS,
     context={"aws:SourceArn": f"arn:aws:sns:us-east-1:{A}:other"},
     resource_policy=pol(allow("sqs:SendMessage", QUEUE, principal={"Service": "sns.amazonaws.com"}, condition={"ArnEquals": {"aws:SourceArn": f"arn:aws:sns:us-east-1:{A}:alerts"}})))
case(F, "service-principal-source-arn-ok", "sns.amazonaws.com", "sqs:SendMessage", QUEUE, OK,
     "The topic matches aws:SourceArn.", KEYS,
     context={"aws:SourceArn": f"arn:aws:sns:us-east-1:{A}:alerts"},
     resource_policy=pol(allow("sqs:SendMessage", QUEUE, principal={"Service": "sns.amazonaws.com"}, condition={"ArnEquals": {"aws:SourceArn": f"arn:aws:sns:us-east-1:{A}:alerts"}})))
case(F, "service-principal-not-an-aws-principal", "sns.amazonaws.com", "sqs:SendMessage", QUEUE, IMP,
     "A policy naming an AWS account does not cover a service principal.", PRINCIPAL,
     resource_policy=pol(allow("sqs:SendMessage", QUEUE, principal={"AWS": A})))
case(F, "service-principal-wildcard", "sns.amazonaws.com", "sqs:SendMessage", QUEUE, OK,
     "Principal * covers service principals too.", PRINCIPAL,
     resource_policy=pol(allow("sqs:SendMessage", QUEUE, principal="*")))
case(F, "root-user-no-policies", ROOT, "s3:GetObject", OBJ, OK,
     "The account root user has full access to its account's resources without any policy.", DENYALLOW,
     resource_account=A)
case(F, "root-user-resource-deny", ROOT, "s3:GetObject", OBJ, EXP,
     "An explicit Deny in the bucket policy applies to the root user too.", DENYALLOW,
     resource_account=A, resource_policy=pol(deny("s3:*", [BUCKET, "arn:aws:s3:::example-bucket/*"], principal="*")))
case(F, "user-in-path", f"arn:aws:iam::{A}:user/division/alice", "s3:GetObject", OBJ, OK,
     "A user with a path is named by its full ARN, path included.", PRINCIPAL,
     resource_account=A, resource_policy=pol(allow("s3:GetObject", OBJ, principal={"AWS": f"arn:aws:iam::{A}:user/division/alice"})))
case(F, "user-in-path-named-without", f"arn:aws:iam::{A}:user/division/alice", "s3:GetObject", OBJ, IMP,
     "The ARN without the path is a different user's ARN.", PRINCIPAL,
     resource_account=A, resource_policy=pol(allow("s3:GetObject", OBJ, principal={"AWS": f"arn:aws:iam::{A}:user/alice"})))
case(F, "principal-list-any", USER, "s3:GetObject", OBJ, OK,
     "A Principal list names the user among others.", PRINCIPAL,
     resource_account=A, resource_policy=pol(allow("s3:GetObject", OBJ, principal={"AWS": [B_USER, USER]})))
case(F, "not-principal-user-and-account-exempt", USER, "s3:GetObject", OBJ, OK,
     "NotPrincipal Deny listing the user and its account exempts the user.", NOTPRINCIPAL,
     resource_account=A, identity_policies=ID_S3,
     resource_policy=pol(st("Deny", "s3:*", "*", not_principal={"AWS": [USER, A]})))
case(F, "not-principal-user-only", USER, "s3:GetObject", OBJ, EXP,
     "NotPrincipal must also list the account of the exempted user; otherwise the account, and so the user, is denied.", NOTPRINCIPAL,
     resource_account=A, identity_policies=ID_S3,
     resource_policy=pol(st("Deny", "s3:*", "*", not_principal={"AWS": [USER]})))
case(F, "not-principal-session-full-chain", SESSION, "s3:GetObject", OBJ, OK,
     "For an assumed role, AWS checks the account, the role, then the session: all three listed exempt the session.", NOTPRINCIPAL,
     resource_account=A, identity_policies=ID_S3,
     resource_policy=pol(st("Deny", "s3:*", "*", not_principal={"AWS": [SESSION, ROLE, ROOT]})))
case(F, "not-principal-session-without-role", SESSION, "s3:GetObject", OBJ, EXP,
     "Listing the session and the account but not the role leaves the role denied.", NOTPRINCIPAL,
     resource_account=A, identity_policies=ID_S3,
     resource_policy=pol(st("Deny", "s3:*", "*", not_principal={"AWS": [SESSION, ROOT]})))
case(F, "not-principal-other-user", USER, "s3:GetObject", OBJ, EXP,
     "The NotPrincipal Deny exempts someone else; the caller is denied.", NOTPRINCIPAL,
     resource_account=A, identity_policies=ID_S3,
     resource_policy=pol(st("Deny", "s3:*", "*", not_principal={"AWS": [B_USER, B]})))
case(F, "not-principal-service", "cloudtrail.amazonaws.com", "s3:PutObject", OBJ, OK,
     "A NotPrincipal Deny exempting the CloudTrail service principal leaves its Allow in force.", NOTPRINCIPAL,
     resource_account=A,
     resource_policy=pol(allow("s3:PutObject", OBJ, principal={"Service": "cloudtrail.amazonaws.com"}),
                         st("Deny", "s3:*", "*", not_principal={"Service": "cloudtrail.amazonaws.com"})))
case(F, "canonical-user-not-iam", USER, "s3:GetObject", OBJ, IMP,
     "A CanonicalUser principal names an S3 canonical ID, not this IAM user.", PRINCIPAL,
     resource_account=A, resource_policy=pol(allow("s3:GetObject", OBJ, principal={"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"})))

# ---------------------------------------------------------------- NotAction / NotResource
F = "not-action-not-resource"
case(F, "allow-not-action-covers", USER, "s3:GetObject", OBJ, OK,
     "Allow with NotAction iam:* allows every action outside IAM.", NOTACTION,
     resource_account=A, identity_policies=[pol(allow("iam:*", not_action=True))])
case(F, "allow-not-action-excludes", USER, "iam:CreateUser", f"arn:aws:iam::{A}:user/x", IMP,
     "Allow with NotAction iam:* does not allow IAM actions; nothing else allows it.", NOTACTION,
     identity_policies=[pol(allow("iam:*", not_action=True))])
case(F, "allow-not-action-list", USER, "s3:DeleteBucket", BUCKET, IMP,
     "NotAction with a list excludes each listed action.", NOTACTION,
     resource_account=A, identity_policies=[pol(allow(["iam:*", "s3:DeleteBucket"], not_action=True))])
case(F, "deny-not-action-mfa", USER, "ec2:RunInstances", f"arn:aws:ec2:us-east-1:{A}:instance/*", EXP,
     "The documented pattern: deny everything except IAM self-management without MFA.", NOTACTION,
     context={"aws:MultiFactorAuthPresent": "false"}, identity_policies=[pol(allow("*"), deny(["iam:*"], not_action=True, condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}))])
case(F, "deny-not-action-mfa-present", USER, "ec2:RunInstances", f"arn:aws:ec2:us-east-1:{A}:instance/*", OK,
     "With MFA the Deny does not apply.", NOTACTION,
     context={"aws:MultiFactorAuthPresent": "true"}, identity_policies=[pol(allow("*"), deny(["iam:*"], not_action=True, condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}))])
case(F, "deny-not-action-mfa-absent-key", USER, "ec2:RunInstances", f"arn:aws:ec2:us-east-1:{A}:instance/*", EXP,
     "With long-term access keys aws:MultiFactorAuthPresent is absent: BoolIfExists is then true and the Deny applies.", COND,
     context={"aws:MultiFactorAuthPresent": None}, identity_policies=[pol(allow("*"), deny(["iam:*"], not_action=True, condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}))])
case(F, "deny-not-action-iam-exempt", USER, "iam:ChangePassword", f"arn:aws:iam::{A}:user/alice", OK,
     "IAM actions are outside the NotAction Deny.", NOTACTION,
     context={"aws:MultiFactorAuthPresent": "false"}, identity_policies=[pol(allow("*"), deny(["iam:*"], not_action=True, condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}))])
case(F, "allow-not-resource-covers", USER, "s3:GetObject", "arn:aws:s3:::open-bucket/x", OK,
     "Allow with NotResource allows every resource but the excluded ones.", NOTRESOURCE,
     resource_account=A, identity_policies=[pol(allow("s3:*", "arn:aws:s3:::secret-bucket/*", not_resource=True))])
case(F, "allow-not-resource-excludes", USER, "s3:GetObject", "arn:aws:s3:::secret-bucket/x", IMP,
     "The excluded bucket is not allowed.", NOTRESOURCE,
     resource_account=A, identity_policies=[pol(allow("s3:*", "arn:aws:s3:::secret-bucket/*", not_resource=True))])
case(F, "deny-not-resource", USER, "s3:GetObject", "arn:aws:s3:::other-bucket/x", EXP,
     "Deny with NotResource denies everything outside the listed bucket.", NOTRESOURCE,
     resource_account=A, identity_policies=[pol(allow("s3:*"), deny("s3:*", ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"], not_resource=True))])
case(F, "deny-not-resource-inside", USER, "s3:GetObject", OBJ, OK,
     "Inside the listed bucket the NotResource Deny does not apply.", NOTRESOURCE,
     resource_account=A, identity_policies=[pol(allow("s3:*"), deny("s3:*", ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"], not_resource=True))])
case(F, "not-action-and-not-resource", USER, "sqs:SendMessage", QUEUE, OK,
     "NotAction and NotResource together: an action outside IAM on a resource outside the excluded bucket.", NOTRESOURCE,
     identity_policies=[pol(allow("iam:*", "arn:aws:s3:::secret-bucket/*", not_action=True, not_resource=True))])
case(F, "not-action-wildcard-name", USER, "s3:PutObject", OBJ, IMP,
     "NotAction s3:Put* excludes s3:PutObject.", NOTACTION,
     resource_account=A, identity_policies=[pol(allow("s3:Put*", not_action=True))])

# ---------------------------------------------------------------- condition operators
# (name, operator, key, policy values, context value (MISSING = not given, None = known absent),
#  whether the condition holds: True / False / "unknown", why, page)
MISSING = object()
T, Fa, U = True, False, "unknown"
NOW = "2026-12-01T12:00:00Z"
SNS = f"arn:aws:sns:us-east-1:{A}:alerts"
CONDS = [
    ("string-equals", "StringEquals", "aws:PrincipalTag/team", "blue", "blue", T, "StringEquals: exact match.", COND),
    ("string-equals-case", "StringEquals", "aws:PrincipalTag/team", "blue", "Blue", Fa, "StringEquals is case sensitive.", COND),
    ("string-equals-ignore-case", "StringEqualsIgnoreCase", "aws:PrincipalTag/team", "blue", "BLUE", T, "StringEqualsIgnoreCase ignores case.", COND),
    ("string-not-equals", "StringNotEquals", "aws:PrincipalTag/team", "blue", "red", T, "StringNotEquals: the value differs.", COND),
    ("string-not-equals-same", "StringNotEquals", "aws:PrincipalTag/team", "blue", "blue", Fa, "StringNotEquals: the value is the same.", COND),
    ("string-not-equals-ignore-case", "StringNotEqualsIgnoreCase", "aws:PrincipalTag/team", "blue", "BLUE", Fa, "StringNotEqualsIgnoreCase: equal ignoring case, so false.", COND),
    ("string-like", "StringLike", "aws:PrincipalTag/team", "team-*", "team-a", T, "StringLike: * matches any run of characters.", COND),
    ("string-like-question", "StringLike", "aws:PrincipalTag/team", "team-?", "team-ab", Fa, "StringLike: ? matches exactly one character.", COND),
    ("string-like-case", "StringLike", "aws:PrincipalTag/team", "Team-*", "team-a", Fa, "StringLike is case sensitive.", COND),
    ("string-not-like", "StringNotLike", "aws:PrincipalTag/team", "team-*", "ops", T, "StringNotLike: no match, so true.", COND),
    ("string-values-or", "StringEquals", "aws:PrincipalTag/team", ["red", "blue"], "blue", T, "Several values for one key are ORed.", COND_EL),
    ("string-absent", "StringEquals", "aws:PrincipalTag/team", "blue", None, Fa, "A key absent from the request context makes the condition false.", COND),
    ("string-not-equals-absent", "StringNotEquals", "aws:PrincipalTag/team", "blue", None, T, "A negated operator on a key absent from the request context is true.", COND),
    ("string-not-like-absent", "StringNotLike", "aws:PrincipalTag/team", "team-*", None, T, "StringNotLike on an absent key is true.", COND),
    ("if-exists-absent", "StringEqualsIfExists", "ec2:InstanceType", "t3.micro", None, T, "...IfExists: when the key is not present the condition is true.", COND),
    ("if-exists-present-mismatch", "StringEqualsIfExists", "ec2:InstanceType", "t3.micro", "m5.large", Fa, "...IfExists: when the key is present it is evaluated as written.", COND),
    ("if-exists-present-match", "StringLikeIfExists", "ec2:InstanceType", "t3.*", "t3.micro", T, "...IfExists with a present, matching key.", COND),
    ("string-missing", "StringEquals", "aws:PrincipalTag/team", "blue", MISSING, U, "The request does not say: unknown, never taken as met.", COND),
    ("if-exists-missing", "StringEqualsIfExists", "ec2:InstanceType", "t3.micro", MISSING, U, "Not given is not the same as absent: unknown.", COND),
    ("key-case-insensitive", "StringEquals", "AWS:PRINCIPALTAG/TEAM", "blue", "blue", T, "Condition key names are not case sensitive.", COND_EL),
    ("numeric-less", "NumericLessThan", "s3:max-keys", "10", "5", T, "NumericLessThan: 5 < 10.", COND),
    ("numeric-less-equal-bound", "NumericLessThan", "s3:max-keys", "10", "10", Fa, "NumericLessThan: 10 is not < 10.", COND),
    ("numeric-less-equals", "NumericLessThanEquals", "s3:max-keys", "10", "10", T, "NumericLessThanEquals: 10 <= 10.", COND),
    ("numeric-greater", "NumericGreaterThan", "s3:max-keys", "10", "11", T, "NumericGreaterThan: 11 > 10.", COND),
    ("numeric-greater-equals-below", "NumericGreaterThanEquals", "s3:max-keys", "10", "9", Fa, "NumericGreaterThanEquals: 9 is below 10.", COND),
    ("numeric-equals", "NumericEquals", "s3:max-keys", "10", "10", T, "NumericEquals: equal numbers.", COND),
    ("numeric-not-equals", "NumericNotEquals", "s3:max-keys", "10", "3", T, "NumericNotEquals: different numbers.", COND),
    ("date-less", "DateLessThan", "aws:CurrentTime", "2030-01-01T00:00:00Z", NOW, T, "DateLessThan: now is before 2030.", COND),
    ("date-greater", "DateGreaterThan", "aws:CurrentTime", "2030-01-01T00:00:00Z", NOW, Fa, "DateGreaterThan: now is not after 2030.", COND),
    ("date-greater-equals-same", "DateGreaterThanEquals", "aws:CurrentTime", NOW, NOW, T, "DateGreaterThanEquals: the same instant.", COND),
    ("date-equals", "DateEquals", "aws:CurrentTime", NOW, NOW, T, "DateEquals: the same instant.", COND),
    ("date-not-equals", "DateNotEquals", "aws:CurrentTime", "2020-01-01T00:00:00Z", NOW, T, "DateNotEquals: different instants.", COND),
    ("bool-true", "Bool", "aws:SecureTransport", "true", "true", T, "Bool: true matches true.", COND),
    ("bool-false", "Bool", "aws:SecureTransport", "true", "false", Fa, "Bool: false does not match true.", COND),
    ("bool-if-exists-absent", "BoolIfExists", "aws:MultiFactorAuthPresent", "true", None, T, "BoolIfExists: absent key, true.", COND),
    ("bool-absent", "Bool", "aws:MultiFactorAuthPresent", "true", None, Fa, "Bool on an absent key is false.", COND),
    ("ip-in", "IpAddress", "aws:SourceIp", "203.0.113.0/24", "203.0.113.7", T, "IpAddress: inside the CIDR.", COND),
    ("ip-out", "IpAddress", "aws:SourceIp", "203.0.113.0/24", "198.51.100.7", Fa, "IpAddress: outside the CIDR.", COND),
    ("not-ip-out", "NotIpAddress", "aws:SourceIp", "203.0.113.0/24", "198.51.100.7", T, "NotIpAddress: outside the CIDR, true.", COND),
    ("not-ip-in", "NotIpAddress", "aws:SourceIp", "203.0.113.0/24", "203.0.113.7", Fa, "NotIpAddress: inside the CIDR, false.", COND),
    ("ipv6", "IpAddress", "aws:SourceIp", "2001:DB8:1234:5678::/64", "2001:db8:1234:5678::1", T, "IPv6 CIDR, written in upper case.", COND),
    ("ip-single", "IpAddress", "aws:SourceIp", "203.0.113.7/32", "203.0.113.7", T, "A /32 names a single address.", COND),
    ("ip-list", "IpAddress", "aws:SourceIp", ["192.0.2.0/24", "203.0.113.0/24"], "203.0.113.7", T, "Several ranges are ORed.", COND),
    ("arn-equals", "ArnEquals", "aws:SourceArn", SNS, SNS, T, "ArnEquals: the same ARN.", COND),
    ("arn-like", "ArnLike", "aws:SourceArn", f"arn:aws:sns:*:{A}:*", SNS, T, "ArnLike with wildcards in region and resource.", COND),
    ("arn-not-like-match", "ArnNotLike", "aws:SourceArn", f"arn:aws:sns:*:{A}:*", SNS, Fa, "ArnNotLike: it matches, so false.", COND),
    ("arn-not-equals", "ArnNotEquals", "aws:SourceArn", SNS, f"arn:aws:sns:us-east-1:{A}:other", T, "ArnNotEquals: a different topic.", COND),
    ("arn-absent", "ArnLike", "aws:SourceArn", SNS, None, Fa, "ArnLike on an absent key is false.", COND),
    ("like-literal-star-variable-no-match", "StringLike", "s3:prefix", "home/${*}", "home/alice", Fa, "${*} in a StringLike pattern is a literal *, not a wildcard: 'home/alice' does not match 'home/*' as text.", VARS),
    ("like-literal-star-variable-match", "StringLike", "s3:prefix", "home/${*}", "home/*", T, "${*} stands for the character * itself: the request's literal 'home/*' matches.", VARS),
    ("not-like-literal-question-variable", "StringNotLike", "s3:prefix", "report${?}", "report1", T, "${?} is a literal ?: 'report1' is not the text 'report?', so StringNotLike holds.", VARS),
    ("arn-like-star-stays-in-component", "ArnLike", "aws:SourceArn", f"arn:aws:sns:*:{A}:topic", f"arn:aws:sns:us-east-1:{B}:x:{A}:topic", Fa, "ArnLike checks each of the six colon-delimited components separately: the region's * cannot take 'us-east-1:<other account>:x', so the account component differs.", COND),
    ("arn-like-resource-keeps-colons", "ArnLike", "aws:SourceArn", f"arn:aws:logs:*:{A}:log-group:/aws/*", f"arn:aws:logs:eu-west-1:{A}:log-group:/aws/lambda/f", T, "ArnLike: the sixth component is the rest of the ARN, colons included, and its * matches within it.", COND),
    ("arn-equals-wildcard-account", "ArnEquals", "aws:SourceArn", "arn:aws:sns:us-east-1:*:alerts", f"arn:aws:sns:us-east-1:{B}:alerts", T, "ArnEquals also takes * and ? in each component (the operators differ only in name).", COND),
    ("arn-equals-question-mark", "ArnEquals", "aws:SourceArn", f"arn:aws:sns:us-east-?:{A}:alerts", f"arn:aws:sns:us-east-12:{A}:alerts", Fa, "ArnEquals: ? matches exactly one character of its component.", COND),
    ("null-true-absent", "Null", "aws:TokenIssueTime", "true", None, T, "Null true: the key is absent (long-term credentials).", COND),
    ("null-true-present", "Null", "aws:TokenIssueTime", "true", "2026-12-01T11:00:00Z", Fa, "Null true: the key is present, so false.", COND),
    ("null-false-present", "Null", "aws:TokenIssueTime", "false", "2026-12-01T11:00:00Z", T, "Null false: the key is present.", COND),
    ("null-false-absent", "Null", "aws:TokenIssueTime", "false", None, Fa, "Null false: the key is absent, so false.", COND),
    ("null-missing", "Null", "aws:TokenIssueTime", "true", MISSING, U, "Whether the key exists is not given: unknown.", COND),
    ("for-all-subset", "ForAllValues:StringEquals", "aws:TagKeys", ["env", "team"], ["env", "team"], T, "ForAllValues: every request value is in the policy's set.", MULTI),
    ("for-all-extra", "ForAllValues:StringEquals", "aws:TagKeys", ["env", "team"], ["env", "cost"], Fa, "ForAllValues: cost is not in the set.", MULTI),
    ("for-all-empty", "ForAllValues:StringEquals", "aws:TagKeys", ["env", "team"], [], T, "ForAllValues on an empty set is true.", MULTI),
    ("for-all-absent", "ForAllValues:StringEquals", "aws:TagKeys", ["env"], None, T, "ForAllValues on an absent key is true.", MULTI),
    ("for-any-one", "ForAnyValue:StringEquals", "aws:TagKeys", ["env", "team"], ["cost", "env"], T, "ForAnyValue: env is in the set.", MULTI),
    ("for-any-none", "ForAnyValue:StringEquals", "aws:TagKeys", ["env"], ["cost"], Fa, "ForAnyValue: no request value is in the set.", MULTI),
    ("for-any-empty", "ForAnyValue:StringEquals", "aws:TagKeys", ["env"], [], Fa, "ForAnyValue on an empty set is false.", MULTI),
    ("for-any-absent", "ForAnyValue:StringEquals", "aws:TagKeys", ["env"], None, Fa, "ForAnyValue on an absent key is false.", MULTI),
    ("for-all-like", "ForAllValues:StringLike", "aws:TagKeys", ["team-*"], ["team-a", "team-b"], T, "ForAllValues:StringLike: every value matches the pattern.", MULTI),
    ("for-any-not-equals", "ForAnyValue:StringNotEquals", "aws:TagKeys", ["env"], ["env", "team"], T, "ForAnyValue:StringNotEquals: team differs from env.", MULTI),
    ("for-all-not-equals", "ForAllValues:StringNotEquals", "aws:TagKeys", ["env"], ["cost", "team"], T, "ForAllValues:StringNotEquals: no value is env.", MULTI),
    ("for-all-not-equals-hit", "ForAllValues:StringNotEquals", "aws:TagKeys", ["env"], ["env"], Fa, "ForAllValues:StringNotEquals: env is a value.", MULTI),
    ("for-all-ignore-case", "ForAllValues:StringEqualsIgnoreCase", "aws:TagKeys", ["ENV"], ["env"], T, "ForAllValues:StringEqualsIgnoreCase ignores case.", MULTI),
    ("for-any-missing", "ForAnyValue:StringEquals", "aws:TagKeys", ["env"], MISSING, U, "The tag keys are not given: unknown.", MULTI),
    ("for-all-missing", "ForAllValues:StringEquals", "aws:TagKeys", ["env"], MISSING, U, "Not given is not known to be empty: unknown.", MULTI),
]

def ctx_for(key, value):
    if value is MISSING:
        return None
    return {key: value}

for (name, op, key, values, value, holds, why, page) in CONDS:
    condition = {op: {key: values}}
    context = ctx_for(key, value)
    decision = {True: OK, False: IMP, U: IMP}[holds]
    missing = [key] if holds == U else None
    case("conditions", f"allow-{name}", USER, "s3:GetObject", OBJ, decision,
         f"Allow whose condition is {'unknown' if holds == U else str(holds).lower()}. {why}", page,
         resource_account=A, context=context, missing=missing,
         identity_policies=[pol(allow("s3:GetObject", condition=condition))])

DENY_ROWS = {"string-equals", "string-not-equals-same", "string-not-equals-absent", "if-exists-absent",
             "string-missing", "if-exists-missing", "numeric-less", "date-greater", "bool-absent",
             "bool-if-exists-absent", "ip-out", "not-ip-out", "arn-not-like-match", "null-true-absent",
             "null-missing", "for-all-empty", "for-any-empty", "for-any-absent", "for-all-extra",
             "for-any-missing", "key-case-insensitive", "string-like-case"}
for (name, op, key, values, value, holds, why, page) in CONDS:
    if name not in DENY_ROWS:
        continue
    condition = {op: {key: values}}
    context = ctx_for(key, value)
    decision = {True: EXP, False: OK, U: EXP}[holds]
    missing = [key] if holds == U else None
    extra = " The Deny might apply: the least permissive outcome is reported with the key." if holds == U else ""
    case("conditions-deny", f"deny-{name}", USER, "s3:GetObject", OBJ, decision,
         f"Deny whose condition is {'unknown' if holds == U else str(holds).lower()}, beside an unconditional Allow. {why}{extra}", page,
         resource_account=A, context=context, missing=missing,
         identity_policies=[pol(allow("s3:*"), deny("s3:GetObject", condition=condition))])

F = "conditions-combined"
case(F, "two-operators-both-true", USER, "s3:GetObject", OBJ, OK,
     "Different operators in one Condition block are ANDed: both hold.", COND_EL,
     resource_account=A, context={"aws:SecureTransport": "true", "aws:SourceIp": "203.0.113.7"},
     identity_policies=[pol(allow("s3:GetObject", condition={"Bool": {"aws:SecureTransport": "true"}, "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}))])
case(F, "two-operators-one-false", USER, "s3:GetObject", OBJ, IMP,
     "Different operators are ANDed: the IP condition fails.", COND_EL,
     resource_account=A, context={"aws:SecureTransport": "true", "aws:SourceIp": "198.51.100.1"},
     identity_policies=[pol(allow("s3:GetObject", condition={"Bool": {"aws:SecureTransport": "true"}, "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}))])
case(F, "two-keys-one-operator-one-false", USER, "s3:GetObject", OBJ, IMP,
     "Several keys under one operator are ANDed.", COND_EL,
     resource_account=A, context={"aws:PrincipalTag/team": "blue", "aws:PrincipalTag/env": "dev"},
     identity_policies=[pol(allow("s3:GetObject", condition={"StringEquals": {"aws:PrincipalTag/team": "blue", "aws:PrincipalTag/env": "prod"}}))])
case(F, "two-keys-one-operator-both", USER, "s3:GetObject", OBJ, OK,
     "Both keys match.", COND_EL,
     resource_account=A, context={"aws:PrincipalTag/team": "blue", "aws:PrincipalTag/env": "prod"},
     identity_policies=[pol(allow("s3:GetObject", condition={"StringEquals": {"aws:PrincipalTag/team": "blue", "aws:PrincipalTag/env": "prod"}}))])
case(F, "false-beats-unknown", USER, "s3:GetObject", OBJ, IMP,
     "One condition is false and another unknown: the statement cannot apply, so no key is needed.", COND_EL,
     resource_account=A, missing=[], context={"aws:SecureTransport": "false"},
     identity_policies=[pol(allow("s3:GetObject", condition={"Bool": {"aws:SecureTransport": "true"}, "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}))])
case(F, "unconditional-allow-makes-unknown-irrelevant", USER, "s3:GetObject", OBJ, OK,
     "An unconditional Allow decides; the other statement's unknown condition does not matter, so no key is listed.", EVAL,
     resource_account=A, missing=[],
     identity_policies=[pol(allow("s3:GetObject"), allow("s3:GetObject", condition={"StringEquals": {"aws:PrincipalTag/team": "blue"}}))])
case(F, "explicit-deny-makes-unknown-allow-irrelevant", USER, "s3:GetObject", OBJ, EXP,
     "An unconditional Deny decides whatever the unknown Allow condition would be.", EVAL,
     resource_account=A, missing=[],
     identity_policies=[pol(deny("s3:GetObject"), allow("s3:GetObject", condition={"StringEquals": {"aws:PrincipalTag/team": "blue"}}))])
case(F, "unknown-deny-no-allow", USER, "s3:GetObject", OBJ, EXP,
     "Nothing allows and a Deny depends on an unknown key: denied either way; the least permissive outcome (explicit) is reported with the key.", EVAL,
     resource_account=A, missing=["aws:PrincipalTag/team"],
     identity_policies=[pol(deny("s3:GetObject", condition={"StringEquals": {"aws:PrincipalTag/team": "blue"}}))])
case(F, "context-multi-value-for-any-ip", USER, "s3:GetObject", OBJ, OK,
     "Multivalued key with numbers written as JSON numbers in the context: s3:max-keys 5 < 10.", COND,
     resource_account=A, context={"s3:max-keys": 5},
     identity_policies=[pol(allow("s3:GetObject", condition={"NumericLessThan": {"s3:max-keys": "10"}}))])
case(F, "bool-context-json-boolean", USER, "s3:GetObject", OBJ, OK,
     "A JSON boolean in the context is the string true.", COND,
     resource_account=A, context={"aws:SecureTransport": True},
     identity_policies=[pol(allow("s3:GetObject", condition={"Bool": {"aws:SecureTransport": "true"}}))])

# ---------------------------------------------------------------- policy variables
F = "policy-variables"
HOME = pol(allow("s3:GetObject", "arn:aws:s3:::home-bucket/${aws:username}/*"))
case(F, "username-own-folder", USER, "s3:GetObject", "arn:aws:s3:::home-bucket/alice/notes.txt", OK,
     "${aws:username} is replaced by the caller's user name (derived from the user ARN).", VARS,
     resource_account=A, identity_policies=[HOME])
case(F, "username-other-folder", USER, "s3:GetObject", "arn:aws:s3:::home-bucket/bob/notes.txt", IMP,
     "Another user's folder is not covered.", VARS,
     resource_account=A, identity_policies=[HOME])
case(F, "username-explicit-context", f"arn:aws:iam::{A}:user/team/alice", "s3:GetObject", "arn:aws:s3:::home-bucket/alice/x", OK,
     "aws:username is the user's friendly name, without the path.", VARS,
     resource_account=A, identity_policies=[HOME])
case(F, "username-role-session-absent", SESSION, "s3:GetObject", "arn:aws:s3:::home-bucket/s1/x", IMP,
     "aws:username is present only for IAM users; for a role session the variable has no value and the element does not match.", VARS,
     resource_account=A, context={"aws:username": None}, identity_policies=[HOME])
case(F, "old-version-no-substitution", USER, "s3:GetObject", "arn:aws:s3:::home-bucket/alice/x", IMP,
     "Without Version 2012-10-17 policy variables are literal text, so ${aws:username} matches nothing real.", VARS,
     resource_account=A, identity_policies=[{"Version": "2008-10-17", "Statement": [allow("s3:GetObject", "arn:aws:s3:::home-bucket/${aws:username}/*")]}])
case(F, "no-version-no-substitution", USER, "s3:GetObject", "arn:aws:s3:::home-bucket/alice/x", IMP,
     "With no Version element IAM assumes 2008-10-17: no substitution.", VARS,
     resource_account=A, identity_policies=[{"Statement": [allow("s3:GetObject", "arn:aws:s3:::home-bucket/${aws:username}/*")]}])
case(F, "principal-tag-in-resource", USER, "s3:GetObject", "arn:aws:s3:::team-bucket/blue/x", OK,
     "${aws:PrincipalTag/team} is replaced by the caller's tag value.", VARS,
     resource_account=A, context={"aws:PrincipalTag/team": "blue"},
     identity_policies=[pol(allow("s3:GetObject", "arn:aws:s3:::team-bucket/${aws:PrincipalTag/team}/*"))])
case(F, "principal-tag-other-team", USER, "s3:GetObject", "arn:aws:s3:::team-bucket/red/x", IMP,
     "The tag value is blue; the red prefix is not covered.", VARS,
     resource_account=A, context={"aws:PrincipalTag/team": "blue"},
     identity_policies=[pol(allow("s3:GetObject", "arn:aws:s3:::team-bucket/${aws:PrincipalTag/team}/*"))])
case(F, "principal-tag-missing", USER, "s3:GetObject", "arn:aws:s3:::team-bucket/blue/x", IMP,
     "The tag is not given: the resource match is unknown and the key is reported.", VARS,
     resource_account=A, missing=["aws:PrincipalTag/team"],
     identity_policies=[pol(allow("s3:GetObject", "arn:aws:s3:::team-bucket/${aws:PrincipalTag/team}/*"))])
case(F, "default-value-used", USER, "s3:GetObject", "arn:aws:s3:::team-bucket/shared/x", OK,
     "${aws:PrincipalTag/team, 'shared'}: the key is absent, so the default applies.", VARS,
     resource_account=A, context={"aws:PrincipalTag/team": None},
     identity_policies=[pol(allow("s3:GetObject", "arn:aws:s3:::team-bucket/${aws:PrincipalTag/team, 'shared'}/*"))])
case(F, "default-value-not-used", USER, "s3:GetObject", "arn:aws:s3:::team-bucket/shared/x", IMP,
     "The key is present (blue), so the default does not apply.", VARS,
     resource_account=A, context={"aws:PrincipalTag/team": "blue"},
     identity_policies=[pol(allow("s3:GetObject", "arn:aws:s3:::team-bucket/${aws:PrincipalTag/team, 'shared'}/*"))])
case(F, "literal-star", USER, "s3:GetObject", "arn:aws:s3:::lit-bucket/a*b", OK,
     "${*} is a literal asterisk.", VARS,
     resource_account=A, identity_policies=[pol(allow("s3:GetObject", "arn:aws:s3:::lit-bucket/a${*}b"))])
case(F, "literal-star-not-wildcard", USER, "s3:GetObject", "arn:aws:s3:::lit-bucket/axxb", IMP,
     "${*} is literal, not a wildcard: a*b does not cover axxb.", VARS,
     resource_account=A, identity_policies=[pol(allow("s3:GetObject", "arn:aws:s3:::lit-bucket/a${*}b"))])
case(F, "literal-question", USER, "s3:GetObject", "arn:aws:s3:::lit-bucket/a?", OK,
     "${?} is a literal question mark.", VARS,
     resource_account=A, identity_policies=[pol(allow("s3:GetObject", "arn:aws:s3:::lit-bucket/a${?}"))])
case(F, "literal-question-not-wildcard", USER, "s3:GetObject", "arn:aws:s3:::lit-bucket/ab", IMP,
     "${?} does not match any character, only ?.", VARS,
     resource_account=A, identity_policies=[pol(allow("s3:GetObject", "arn:aws:s3:::lit-bucket/a${?}"))])
case(F, "literal-dollar", USER, "s3:GetObject", "arn:aws:s3:::lit-bucket/$x", OK,
     "${$} is a literal dollar sign.", VARS,
     resource_account=A, identity_policies=[pol(allow("s3:GetObject", "arn:aws:s3:::lit-bucket/${$}x"))])
case(F, "variable-in-condition", USER, "s3:ListBucket", "arn:aws:s3:::home-bucket", OK,
     "The documented home-folder pattern: s3:prefix must start with the user's name.", VARS,
     resource_account=A, context={"s3:prefix": "alice/docs"},
     identity_policies=[pol(allow("s3:ListBucket", "arn:aws:s3:::home-bucket", condition={"StringLike": {"s3:prefix": ["${aws:username}/*"]}}))])
case(F, "variable-in-condition-other", USER, "s3:ListBucket", "arn:aws:s3:::home-bucket", IMP,
     "Another user's prefix does not match.", VARS,
     resource_account=A, context={"s3:prefix": "bob/docs"},
     identity_policies=[pol(allow("s3:ListBucket", "arn:aws:s3:::home-bucket", condition={"StringLike": {"s3:prefix": ["${aws:username}/*"]}}))])
case(F, "tag-match-resource-tag", USER, "ec2:StartInstances", f"arn:aws:ec2:us-east-1:{A}:instance/i-1", OK,
     "ABAC: the resource's team tag equals the principal's (aws:ResourceTag/team = ${aws:PrincipalTag/team}).", VARS,
     context={"aws:PrincipalTag/team": "blue", "aws:ResourceTag/team": "blue"},
     identity_policies=[pol(allow("ec2:StartInstances", condition={"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}))])
case(F, "tag-match-resource-tag-differs", USER, "ec2:StartInstances", f"arn:aws:ec2:us-east-1:{A}:instance/i-1", IMP,
     "ABAC: the tags differ.", VARS,
     context={"aws:PrincipalTag/team": "blue", "aws:ResourceTag/team": "red"},
     identity_policies=[pol(allow("ec2:StartInstances", condition={"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}))])

# ---------------------------------------------------------------- actions that take only "*"
F = "wildcard-only-actions"
case(F, "list-all-buckets-star", USER, "s3:ListAllMyBuckets", "*", OK,
     "s3:ListAllMyBuckets does not support resource-level permissions: Resource * allows it.", ACTIONS,
     resource_account=A, identity_policies=[pol(allow("s3:ListAllMyBuckets", "*"))])
case(F, "list-all-buckets-arn", USER, "s3:ListAllMyBuckets", "*", IMP,
     "A specific ARN cannot grant an action that supports only *.", ACTIONS,
     resource_account=A, identity_policies=[pol(allow("s3:ListAllMyBuckets", "arn:aws:s3:::example-bucket"))])
case(F, "list-all-buckets-arn-wildcard", USER, "s3:ListAllMyBuckets", "*", IMP,
     "arn:aws:s3:::* is an ARN pattern, not *; it does not cover the request's * resource.", ACTIONS,
     resource_account=A, identity_policies=[pol(allow("s3:ListAllMyBuckets", "arn:aws:s3:::*"))])
case(F, "describe-instances-star", USER, "ec2:DescribeInstances", "*", OK,
     "ec2:DescribeInstances takes only *.", ACTIONS,
     resource_account=A, identity_policies=[pol(allow("ec2:Describe*", "*"))])
case(F, "describe-instances-arn", USER, "ec2:DescribeInstances", "*", IMP,
     "An instance ARN does not grant a Describe action that takes only *.", ACTIONS,
     resource_account=A, identity_policies=[pol(allow("ec2:DescribeInstances", f"arn:aws:ec2:us-east-1:{A}:instance/*"))])
case(F, "resource-given-is-ignored", USER, "s3:ListAllMyBuckets", "arn:aws:s3:::example-bucket", IMP,
     "The action is authorized against *, whatever resource the request names, so an Allow on the bucket ARN does not grant it.", ACTIONS,
     resource_account=A, identity_policies=[pol(allow("s3:ListAllMyBuckets", "arn:aws:s3:::example-bucket"))])
case(F, "get-caller-identity", USER, "sts:GetCallerIdentity", "*", OK,
     "sts:GetCallerIdentity takes only *; an Allow * grants it.", ACTIONS,
     resource_account=A, identity_policies=[pol(allow("sts:GetCallerIdentity", "*"))])
case(F, "deny-arn-does-not-cover", USER, "s3:ListAllMyBuckets", "*", OK,
     "A Deny naming a bucket ARN does not cover an action authorized against *.", ACTIONS,
     resource_account=A, identity_policies=[pol(allow("s3:*"), deny("s3:*", "arn:aws:s3:::example-bucket"))])

# ---------------------------------------------------------------- missing context
F = "missing-context"
case(F, "allow-unknown-org", USER, "s3:GetObject", OBJ, IMP,
     "The only Allow needs aws:PrincipalOrgID, which the request does not give: implicitly denied, key reported.", COND,
     resource_account=A, missing=["aws:PrincipalOrgID"],
     identity_policies=[pol(allow("s3:GetObject", condition={"StringEquals": {"aws:PrincipalOrgID": "o-example"}}))])
case(F, "allow-two-unknown-keys", USER, "s3:GetObject", OBJ, IMP,
     "Two unknown keys, both reported.", COND,
     resource_account=A, missing=["aws:SourceIp", "aws:SecureTransport"],
     identity_policies=[pol(allow("s3:GetObject", condition={"Bool": {"aws:SecureTransport": "true"}, "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}))])
case(F, "deny-unknown-with-allow", USER, "s3:GetObject", OBJ, EXP,
     "An Allow and a Deny that needs an unknown key: the Deny must not be ignored; reported as an explicit deny with the key.", COND,
     resource_account=A, missing=["aws:SourceVpce"],
     identity_policies=[pol(allow("s3:GetObject"), deny("s3:*", condition={"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}))])
case(F, "deny-unknown-given", USER, "s3:GetObject", OBJ, OK,
     "The same policies with the endpoint given: the Deny does not apply.", COND,
     resource_account=A, missing=[], context={"aws:SourceVpce": "vpce-1a2b3c4d"},
     identity_policies=[pol(allow("s3:GetObject"), deny("s3:*", condition={"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}))])
case(F, "scp-allow-unknown", USER, "s3:GetObject", OBJ, IMP,
     "The SCP's only Allow is conditional on an unknown key: the SCP might not allow.", COND,
     resource_account=A, missing=["aws:RequestedRegion"], identity_policies=ID_S3,
     scps=[[pol(allow("*", condition={"StringEquals": {"aws:RequestedRegion": "us-east-1"}}))]])
case(F, "boundary-allow-unknown", USER, "s3:GetObject", OBJ, IMP,
     "The boundary's Allow needs an unknown key.", COND,
     resource_account=A, missing=["aws:RequestedRegion"], identity_policies=ID_S3,
     permissions_boundaries=[pol(allow("*", condition={"StringEquals": {"aws:RequestedRegion": "us-east-1"}}))])
case(F, "resource-allow-unknown", "anonymous", "s3:GetObject", OBJ, IMP,
     "The public Allow needs aws:SourceIp, which is not given.", COND,
     resource_account=A, missing=["aws:SourceIp"],
     resource_policy=pol(allow("s3:GetObject", OBJ, principal="*", condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})))
case(F, "derived-principal-account", B_USER, "s3:GetObject", OBJ, OK,
     "aws:PrincipalAccount derives from the caller's ARN; the bucket policy's condition on it holds.", KEYS,
     resource_account=A, missing=[], identity_policies=IDB,
     resource_policy=pol(allow("s3:GetObject", OBJ, principal="*", condition={"StringEquals": {"aws:PrincipalAccount": B}})))
case(F, "derived-principal-type", SESSION, "s3:GetObject", OBJ, EXP,
     "aws:PrincipalType is AssumedRole for a role session; a Deny for that type applies.", KEYS,
     resource_account=A, identity_policies=ID_S3, resource_policy=pol(deny("s3:*", "*", principal="*", condition={"StringEquals": {"aws:PrincipalType": "AssumedRole"}})))
case(F, "derived-principal-is-service", "sns.amazonaws.com", "sqs:SendMessage", QUEUE, OK,
     "aws:PrincipalIsAWSService is true for a service principal: the BoolIfExists false Deny does not apply.", KEYS,
     resource_policy=pol(allow("sqs:SendMessage", QUEUE, principal={"Service": "sns.amazonaws.com"}),
                         deny("sqs:*", QUEUE, principal="*", condition={"BoolIfExists": {"aws:PrincipalIsAWSService": "false"}, "StringNotEqualsIfExists": {"aws:PrincipalAccount": A}})))

# ---------------------------------------------------------------- write
if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    for entry in os.listdir(here):
        if os.path.isdir(os.path.join(here, entry)):
            shutil.rmtree(os.path.join(here, entry))
    seen = set()
    for family, name, doc in CASES:
        assert (family, name) not in seen, (family, name)
        seen.add((family, name))
        os.makedirs(os.path.join(here, family), exist_ok=True)
        with open(os.path.join(here, family, name + ".json"), "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
    print(len(CASES), "cases")
