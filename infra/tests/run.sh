#!/usr/bin/env bash
# Tests the Terraform module in infra/ for real: fmt, validate, checkov, a real apply and destroy
# of infra/examples/complete against moto server, the sample CloudTrail events replayed through
# the deployed EventBridge patterns, the module's refusals of wrong input, and the self-audit of
# every IAM policy in the plan. Ends with one line `infra: N passed, N failed`.
#
# Works offline when a provider mirror is present: TF_PLUGIN_MIRROR, else /opt/tf-plugins.
# TERRAFORM overrides the terraform binary. Logs of every step: target/infra-test/logs/.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
infra="$root/infra"
work="$root/target/infra-test"
logs="$work/logs"
example="$infra/examples/complete"
fixture="$infra/tests/fixtures/guard-in-us-east-1"
forwarder="$infra/modules/event-forwarder"
tools_python="$root/.venv/tools/bin/python"
moto_server="$root/.venv/tools/bin/moto_server"
checkov="$root/.venv/checkov/bin/checkov"
plan_json="$root/target/infra-plan.json"
policies_dir="$root/target/infra-policies"

passed=0
failed=0
moto_pid=""
checkov_pid=""

pass() { echo "  ok    $1"; passed=$((passed + 1)); }
fail() { echo "  FAIL  $1" >&2; failed=$((failed + 1)); }
note() { echo "infra: $*"; }

# run NAME CMD...: one counted check, output kept in its log and shown on failure.
run() {
  local name=$1 log="$logs/$1.log" start=$SECONDS
  shift
  if "$@" >"$log" 2>&1; then
    pass "$name ($((SECONDS - start))s)"
  else
    fail "$name (log: ${log#"$root"/})"
    tail -n 25 "$log" | sed 's/^/        /' >&2
    return 1
  fi
}

cleanup() {
  if [ -n "$checkov_pid" ]; then kill "$checkov_pid" 2>/dev/null || true; fi
  if [ -n "$moto_pid" ]; then
    kill "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$work" "$policies_dir"
mkdir -p "$logs" "$work/tfdata" "$work/zips"

# --- tools -------------------------------------------------------------------------------------
tf=${TERRAFORM:-/usr/local/bin/terraform}
[ -x "$tf" ] || tf=$(command -v terraform || true)
if [ -z "$tf" ]; then
  echo "infra: terraform not found (set TERRAFORM or install terraform >= 1.5)" >&2
  echo "infra: 0 passed, 1 failed"
  exit 1
fi

# The environment may point TF_CLI_CONFIG_FILE at a file that does not exist, which makes every
# terraform command warn; the test needs no CLI configuration beyond what it passes explicitly.
export TF_CLI_CONFIG_FILE=/dev/null
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1

mirror=${TF_PLUGIN_MIRROR:-}
if [ -z "$mirror" ] && [ -d /opt/tf-plugins/registry.terraform.io/hashicorp/aws ]; then
  mirror=/opt/tf-plugins
fi
if [ -n "$mirror" ]; then
  note "$("$tf" version | head -n1), providers from the local mirror $mirror"
  init_args=(-plugin-dir="$mirror")
else
  note "$("$tf" version | head -n1), no local provider mirror (TF_PLUGIN_MIRROR): terraform init downloads from the registry"
  export TF_PLUGIN_CACHE_DIR="$root/.cache/terraform-plugins"
  mkdir -p "$TF_PLUGIN_CACHE_DIR"
  init_args=()
fi

# tfx NAME DIR ARGS...: terraform in DIR with a data dir of its own under target/.
tfx() {
  local name=$1 dir=$2
  shift 2
  TF_DATA_DIR="$work/tfdata/$name" "$tf" -chdir="$dir" "$@"
}

for tool in "$moto_server" "$tools_python"; do
  if [ ! -x "$tool" ]; then
    note "bootstrapping the tools venv (scripts/bootstrap tools)"
    "$root/scripts/bootstrap" tools >"$logs/bootstrap-tools.log" 2>&1
    break
  fi
done
if [ ! -x "$checkov" ]; then
  note "bootstrapping the checkov venv (scripts/bootstrap checkov)"
  "$root/scripts/bootstrap" checkov >"$logs/bootstrap-checkov.log" 2>&1 || true
fi

# --- static checks -----------------------------------------------------------------------------
echo "static checks"
# checkov is the slowest step and needs nothing else: run it while terraform works.
if [ -x "$checkov" ]; then
  "$checkov" -d "$infra" --quiet --compact --framework terraform >"$logs/checkov.log" 2>&1 &
  checkov_pid=$!
fi

run fmt "$tf" fmt -check -recursive -diff "$infra" || true

init_ok=1
for cfg in example:"$example" fixture:"$fixture" forwarder:"$forwarder"; do
  name=${cfg%%:*} dir=${cfg#*:}
  tfx "$name" "$dir" init -backend=false -input=false -no-color "${init_args[@]}" >"$logs/init-$name.log" 2>&1 || {
    fail "init $name (log: ${logs#"$root"/}/init-$name.log)"
    tail -n 25 "$logs/init-$name.log" >&2
    init_ok=0
  }
done
if [ "$init_ok" = 1 ]; then
  # The module root declares configuration_aliases, which `terraform validate` cannot satisfy on
  # its own; the fixture validates it through a caller, the example through another.
  run validate-module tfx fixture "$fixture" validate -no-color || true
  run validate-example tfx example "$example" validate -no-color || true
  run validate-event-forwarder tfx forwarder "$forwarder" validate -no-color || true
fi

# --- emulated AWS ------------------------------------------------------------------------------
echo "apply against moto"
zip_dir="$root/target/lambda"
iam_zip="$zip_dir/iam-guard/bootstrap.zip"
lambda_zip="$zip_dir/lambda-guard/bootstrap.zip"
if [ ! -f "$iam_zip" ] || [ ! -f "$lambda_zip" ]; then
  # moto stores the code without running it, so any zip holding a `bootstrap` will do.
  note "target/lambda/*/bootstrap.zip not built (make package): deploying a placeholder zip"
  "$tools_python" - "$work/zips/bootstrap.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    info = zipfile.ZipInfo("bootstrap")
    info.external_attr = 0o755 << 16
    z.writestr(info, "#!/bin/sh\nexit 0\n")
PY
  [ -f "$iam_zip" ] || iam_zip="$work/zips/bootstrap.zip"
  [ -f "$lambda_zip" ] || lambda_zip="$work/zips/bootstrap.zip"
fi

port=$("$tools_python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
endpoint="http://127.0.0.1:$port"
"$moto_server" -H 127.0.0.1 -p "$port" >"$logs/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 1 50); do
  curl -fsS -o /dev/null "$endpoint/moto-api/" 2>/dev/null && break
  sleep 0.2
done
if ! curl -fsS -o /dev/null "$endpoint/moto-api/" 2>/dev/null; then
  fail "moto server did not start on $endpoint (log: ${logs#"$root"/}/moto.log)"
  echo "infra: $passed passed, $failed failed"
  exit 1
fi
note "moto server on $endpoint"

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE 2>/dev/null || true
export AWS_EC2_METADATA_DISABLED=true

state="$work/complete.tfstate"
ex_vars=(-var "aws_endpoint=$endpoint" -var "iam_guard_zip_path=$iam_zip" -var "lambda_guard_zip_path=$lambda_zip")

# The refusals and the same-region variant plan against the same moto while the example applies.
fixture_checks() {
  local fx_vars=(-var "aws_endpoint=$endpoint" -var "zip_path=$work/zips/fixture.zip")
  cp "${iam_zip}" "$work/zips/fixture.zip"
  local log="$logs/plan-guard-in-us-east-1.log"
  if tfx fixture "$fixture" plan -no-color -input=false -lock=false -state="$work/fixture.tfstate" "${fx_vars[@]}" >"$log" 2>&1; then
    # In us-east-1 the IAM rule invokes the function directly: no forwarder, no forwarding role.
    if grep -q 'aws_cloudwatch_event_rule.guard\["iam-guard"\] will be created' "$log" &&
      grep -q 'aws_cloudwatch_event_rule.guard\["lambda-guard"\] will be created' "$log" &&
      ! grep -qE '(forward).* will be created' "$log"; then
      echo "PASS plan with the guard in us-east-1: both rules invoke directly, nothing forwarded"
    else
      echo "FAIL plan with the guard in us-east-1: unexpected rules or forwarding (log: ${log#"$root"/})"
    fi
  else
    echo "FAIL plan with the guard in us-east-1 (log: ${log#"$root"/})"
  fi
  # Every wrong input at once: Terraform reports each failed validation and precondition.
  if tfx fixture "$fixture" plan -no-color -input=false -lock=false -state="$work/fixture-refusals.tfstate" "${fx_vars[@]}" \
    -var us_east_1_alias_region=us-west-2 \
    -var sns_topic_arn=arn:aws:sns:us-east-1:999999999999:findings \
    -var 'lambda_event_regions=["us-east-1"]' \
    -var min_severity=urgent >"$logs/refusals.log" 2>&1; then
    echo "FAIL refusals: a plan with wrong input succeeded (log: ${logs#"$root"/}/refusals.log)"
    return
  fi
  # Terraform wraps messages to the terminal width: compare on the unwrapped text.
  local text
  text=$(tr -d '\n│' <"$logs/refusals.log" | tr -s ' ')
  local check
  for check in \
    "aws.us_east_1 provider in another region|IAM delivers its CloudTrail events to EventBridge only in us-east-1" \
    "sns_topic_arn in another account|belongs to account 999999999999" \
    "the guard's own region in lambda_event_regions|must not contain the guard's own region" \
    "min_severity outside the scale|min_severity must be one of"; do
    if grep -qF "${check#*|}" <<<"$text"; then
      echo "PASS refuses ${check%%|*}"
    else
      echo "FAIL refuses ${check%%|*}: no '${check#*|}' in ${logs#"$root"/}/refusals.log"
    fi
  done
}

plan_to_json() {
  tfx example "$example" plan -no-color -input=false -lock=false -refresh=false -state="$state" -out="$work/complete.tfplan" "${ex_vars[@]}" &&
    tfx example "$example" show -json "$work/complete.tfplan" >"$plan_json"
}

applied=0
if [ "$init_ok" = 1 ]; then
  fixture_checks >"$work/fixture-results.txt" 2>&1 &
  fixture_pid=$!

  rm -f "$state"
  if run apply-example tfx example "$example" apply -auto-approve -no-color -input=false -lock=false -state="$state" "${ex_vars[@]}"; then
    applied=1
  fi

  if [ "$applied" = 1 ]; then
    tfx example "$example" output -json -state="$state" >"$work/outputs.json"
    echo "event routing through the deployed rules"
    "$tools_python" "$infra/tests/route_events.py" "$endpoint" "$work/outputs.json" "$infra/tests/events" >"$logs/routing.log" 2>&1 || true
    while read -r verdict rest; do
      case $verdict in
        PASS) pass "$rest" ;;
        FAIL) fail "$rest" ;;
      esac
    done <"$logs/routing.log"
    if ! grep -q '^PASS' "$logs/routing.log"; then
      fail "event routing produced no result (log: ${logs#"$root"/}/routing.log)"
      tail -n 25 "$logs/routing.log" >&2
    fi

    echo "self-audit"
    # Planned after the apply so every policy is known (a fresh plan leaves ARN-dependent
    # policies unknown); the plan is a no-op, its planned values are what is deployed.
    if run plan-json plan_to_json; then
      if run extract-policies "$tools_python" "$infra/tests/extract_policies.py" "$plan_json" "$policies_dir"; then
        note "$(tail -n1 "$logs/extract-policies.log") policy documents in ${policies_dir#"$root"/}/"
      fi
      pg_bin=""
      for candidate in "$root/target/debug/policy-guard" "$root/target/release/policy-guard"; do
        if [ -x "$candidate" ]; then pg_bin=$candidate; break; fi
      done
      if [ -n "$pg_bin" ]; then
        set +e
        "$pg_bin" check --kind terraform-plan --min-severity medium "$plan_json" >"$logs/self-audit.log" 2>&1
        rc=$?
        set -e
        case $rc in
          0) pass "self-audit: policy-guard finds nothing at medium or above (${pg_bin#"$root"/})" ;;
          1) fail "self-audit: policy-guard reports findings at medium or above (log: ${logs#"$root"/}/self-audit.log)"
             tail -n 40 "$logs/self-audit.log" >&2 ;;
          *) fail "self-audit: policy-guard could not check the plan (exit $rc; log: ${logs#"$root"/}/self-audit.log)"
             tail -n 20 "$logs/self-audit.log" >&2 ;;
        esac
      else
        fail "self-audit: no policy-guard binary (build it: cargo build -p policy-guard-cli)"
      fi
    fi
  fi

  # Destroy whatever the apply got to, even after a partial failure.
  if [ -f "$state" ]; then
    run destroy-example tfx example "$example" destroy -auto-approve -no-color -input=false -lock=false -refresh=false -state="$state" "${ex_vars[@]}" || true
  fi

  wait "$fixture_pid" || true
  echo "module refusals"
  while read -r verdict rest; do
    case $verdict in
      PASS) pass "$rest" ;;
      FAIL) fail "$rest" ;;
    esac
  done <"$work/fixture-results.txt"
fi

# --- checkov -----------------------------------------------------------------------------------
echo "checkov"
if [ -n "$checkov_pid" ]; then
  set +e
  wait "$checkov_pid"
  rc=$?
  set -e
  checkov_pid=""
  summary=$(grep -E '^Passed checks: ' "$logs/checkov.log" | head -n1 || true)
  if [ "$rc" = 0 ] && [ -n "$summary" ] && ! grep -qE '^Failed checks: [1-9]|, Failed checks: [1-9]' "$logs/checkov.log"; then
    pass "checkov: $summary"
  else
    fail "checkov (exit $rc): ${summary:-no summary} (log: ${logs#"$root"/}/checkov.log)"
    grep -E '^Check: |FAILED for resource|File: ' "$logs/checkov.log" | head -n 40 >&2 || tail -n 25 "$logs/checkov.log" >&2
  fi
else
  fail "checkov not installed (scripts/bootstrap checkov)"
fi

echo "infra: $passed passed, $failed failed"
[ "$failed" = 0 ]
