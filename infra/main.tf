data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_region" "us_east_1" {
  provider = aws.us_east_1
}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  # When the guard runs outside us-east-1, IAM events have to hop from us-east-1 to the guard's
  # default bus: EventBridge cannot target a Lambda function in another region directly.
  iam_cross_region = local.region != "us-east-1"

  # us-east-1 is the one extra region this module can reach itself (through aws.us_east_1), so it
  # deploys that Lambda forwarder here; every other listed region uses modules/event-forwarder.
  forward_lambda_from_us_east_1 = local.iam_cross_region && contains(var.lambda_event_regions, "us-east-1")
  external_forwarder_regions    = [for r in var.lambda_event_regions : r if r != "us-east-1"]
  forwarding_enabled            = local.iam_cross_region || length(var.lambda_event_regions) > 0

  functions = {
    iam-guard = {
      zip_path    = var.iam_guard_zip_path
      description = "policy-guard: judges IAM policies created or changed (CloudTrail aws.iam events)"
    }
    lambda-guard = {
      zip_path    = var.lambda_guard_zip_path
      description = "policy-guard: judges Lambda resource policies and function URLs (CloudTrail aws.lambda events)"
    }
  }

  function_names = { for k, _ in local.functions : k => "${var.name_prefix}-${k}" }

  create_topic  = var.sns_topic_arn == null
  topic_arn     = local.create_topic ? aws_sns_topic.findings[0].arn : var.sns_topic_arn
  topic_account = local.create_topic ? local.account_id : split(":", var.sns_topic_arn)[4]

  # The roles need the topic's key to publish to an encrypted topic and the module key to write
  # to their encrypted dead-letter queues; with a module-created topic both are the same key.
  topic_kms_key_arns = local.create_topic ? [aws_kms_key.this.arn] : compact([var.sns_topic_kms_key_arn])
  role_kms_key_arns  = distinct(concat([aws_kms_key.this.arn], local.topic_kms_key_arns))

  tags = merge(var.tags, { "policy-guard:module" = "infra" })
}
