locals {
  # The contract with the Rust functions: these names are read at cold start. Nothing secret
  # belongs here; the topic ARN and the configuration are not credentials.
  guard_environment = merge(
    {
      POLICY_GUARD_TOPIC_ARN    = local.topic_arn
      POLICY_GUARD_MIN_SEVERITY = var.min_severity
      RUST_LOG                  = var.log_level
    },
    var.guard_config == null ? {} : { POLICY_GUARD_CONFIG = var.guard_config },
  )
}

resource "aws_lambda_function" "guard" {
  for_each = local.functions

  #checkov:skip=CKV_AWS_50:X-Ray would add xray:PutTraceSegments on Resource "*" to a least-privilege role for a single-call handler whose logs already carry the request id.
  #checkov:skip=CKV_AWS_116:Failed asynchronous invocations go to an encrypted SQS queue through the on-failure destination in aws_lambda_function_event_invoke_config, which records the error as well as the event; a dead_letter_config would duplicate it.
  #checkov:skip=CKV_AWS_117:The functions call only public AWS control-plane APIs (IAM, Lambda, SNS); a VPC would add NAT or endpoints and network attack surface without protecting anything.
  #checkov:skip=CKV_AWS_272:The zips are built from source by `make package` in the same pipeline that applies them; AWS Signer code signing is left to deployments that sign artifacts centrally.
  #checkov:skip=CKV_AWS_115:Reserved concurrency is the optional reserved_concurrent_executions variable: reserving takes capacity from every other function in the account, so it stays the operator's choice.
  function_name = local.function_names[each.key]
  description   = each.value.description
  role          = aws_iam_role.guard[each.key].arn

  filename         = each.value.zip_path
  source_code_hash = filebase64sha256(each.value.zip_path)
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = [var.architecture]

  memory_size                    = var.memory_size
  timeout                        = var.timeout
  reserved_concurrent_executions = var.reserved_concurrent_executions

  kms_key_arn = aws_kms_key.this.arn

  environment {
    variables = local.guard_environment
  }

  tags = local.tags

  # The log group must exist first or Lambda creates an unencrypted one without retention, and
  # the role must carry its policy before the first event can arrive.
  depends_on = [
    aws_cloudwatch_log_group.guard,
    aws_iam_role_policy.guard,
  ]
}

resource "aws_lambda_function_event_invoke_config" "guard" {
  for_each = local.functions

  function_name                = aws_lambda_function.guard[each.key].function_name
  maximum_retry_attempts       = var.maximum_retry_attempts
  maximum_event_age_in_seconds = var.maximum_event_age_in_seconds

  destination_config {
    on_failure {
      destination = aws_sqs_queue.dlq[each.key].arn
    }
  }

  # Lambda checks at this call that the execution role may send to the destination.
  depends_on = [aws_iam_role_policy.guard]
}
