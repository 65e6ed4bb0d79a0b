locals {
  # An emulator has no real credentials or account to look up; AWS proper needs all checks on.
  emulated  = var.aws_endpoint != null
  endpoints = local.emulated ? [var.aws_endpoint] : []
}

provider "aws" {
  region = var.region

  skip_credentials_validation = local.emulated
  skip_requesting_account_id  = local.emulated
  skip_metadata_api_check     = local.emulated

  dynamic "endpoints" {
    for_each = local.endpoints
    content {
      cloudwatch = endpoints.value
      events     = endpoints.value
      iam        = endpoints.value
      kms        = endpoints.value
      lambda     = endpoints.value
      logs       = endpoints.value
      sns        = endpoints.value
      sqs        = endpoints.value
      sts        = endpoints.value
    }
  }

  default_tags {
    tags = { project = "policy-guard" }
  }
}

# IAM's CloudTrail events reach EventBridge only here.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  skip_credentials_validation = local.emulated
  skip_requesting_account_id  = local.emulated
  skip_metadata_api_check     = local.emulated

  dynamic "endpoints" {
    for_each = local.endpoints
    content {
      events = endpoints.value
      iam    = endpoints.value
      sts    = endpoints.value
    }
  }

  default_tags {
    tags = { project = "policy-guard" }
  }
}

provider "aws" {
  alias  = "forwarded"
  region = var.forwarded_region

  skip_credentials_validation = local.emulated
  skip_requesting_account_id  = local.emulated
  skip_metadata_api_check     = local.emulated

  dynamic "endpoints" {
    for_each = local.endpoints
    content {
      events = endpoints.value
      sts    = endpoints.value
    }
  }

  default_tags {
    tags = { project = "policy-guard" }
  }
}

module "guard" {
  source = "../.."

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  name_prefix           = var.name_prefix
  iam_guard_zip_path    = var.iam_guard_zip_path
  lambda_guard_zip_path = var.lambda_guard_zip_path
  architecture          = "arm64"

  min_severity = "medium"
  log_level    = "info,aws_smithy_runtime=warn"
  guard_config = jsonencode({ suppressions = [] })

  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 3600
  log_retention_in_days        = 365

  lambda_event_regions = ["us-east-1", var.forwarded_region]

  subscriptions = [
    { protocol = "email", endpoint = var.alert_email, severities = ["high", "critical"] },
    { protocol = "sqs", endpoint = aws_sqs_queue.findings.arn },
  ]

  tags = { environment = "example" }
}

# Lambda events of a region other than the guard's and us-east-1: one forwarder per region.
module "lambda_forwarder" {
  source = "../../modules/event-forwarder"

  providers = {
    aws = aws.forwarded
  }

  name                 = module.guard.lambda_event_forwarding.rule_name
  event_pattern        = module.guard.lambda_event_forwarding.event_pattern
  target_event_bus_arn = module.guard.lambda_event_forwarding.target_event_bus_arn
  role_arn             = module.guard.lambda_event_forwarding.role_arn
  tags                 = { environment = "example" }
}

# A queue subscriber, e.g. for a SIEM that pulls every finding. The topic ARN is spelled out
# rather than read from the module so the queue (and its inline policy) does not wait on it.
data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  findings_topic_arn = "arn:${data.aws_partition.current.partition}:sns:${var.region}:${data.aws_caller_identity.current.account_id}:${var.name_prefix}-findings"
}

data "aws_iam_policy_document" "findings_queue" {
  statement {
    sid       = "FindingsTopicDelivers"
    actions   = ["sqs:SendMessage"]
    resources = ["arn:${data.aws_partition.current.partition}:sqs:${var.region}:${data.aws_caller_identity.current.account_id}:${var.name_prefix}-findings-subscriber"]

    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local.findings_topic_arn]
    }
  }
}

resource "aws_sqs_queue" "findings" {
  name                    = "${var.name_prefix}-findings-subscriber"
  sqs_managed_sse_enabled = true
  policy                  = data.aws_iam_policy_document.findings_queue.json
}
