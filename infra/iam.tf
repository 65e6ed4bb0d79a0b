data "aws_iam_policy_document" "lambda_assume" {
  statement {
    sid     = "LambdaAssume"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    # Confused-deputy guard: only Lambda acting for this account may assume the role.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "guard" {
  for_each = local.functions

  name                 = local.function_names[each.key]
  description          = "Execution role of ${local.function_names[each.key]}: read-only lookups, its own logs, publish findings."
  assume_role_policy   = data.aws_iam_policy_document.lambda_assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

# Statements both functions need, each scoped to that function's own resources.
data "aws_iam_policy_document" "guard_common" {
  for_each = local.functions

  statement {
    sid = "OwnLogGroupOnly"
    # CreateLogGroup is left out on purpose: Terraform owns the log group and its retention.
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.guard[each.key].arn}:*"]
  }

  statement {
    sid       = "PublishFindings"
    actions   = ["sns:Publish"]
    resources = [local.topic_arn]
  }

  statement {
    sid = "UseTopicAndQueueKey"
    # Publishing to a KMS-encrypted topic and sending to a KMS-encrypted queue need exactly these two.
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = local.role_kms_key_arns
  }

  statement {
    sid = "OwnDeadLetterQueueOnly"
    # Lambda delivers on-failure destination records with the function's execution role.
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dlq[each.key].arn]
  }
}

data "aws_iam_policy_document" "iam_guard" {
  source_policy_documents = [data.aws_iam_policy_document.guard_common["iam-guard"].json]

  statement {
    sid = "ReadManagedPolicies"
    # Attach*Policy events carry only the policy ARN; the document has to be fetched, and for a
    # new default version the version it replaced (ListPolicyVersions finds it). AWS managed
    # policies live in the reserved `aws` account, so both namespaces are needed.
    actions = ["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions"]
    resources = [
      "arn:${local.partition}:iam::${local.account_id}:policy/*",
      "arn:${local.partition}:iam::aws:policy/*",
    ]
  }
}

data "aws_iam_policy_document" "lambda_guard" {
  # The Lambda guard judges what the event itself carries (the added statement, the function URL
  # configuration): it calls no Lambda API, so its role grants none.
  source_policy_documents = [data.aws_iam_policy_document.guard_common["lambda-guard"].json]
}

locals {
  guard_policy_json = {
    iam-guard    = data.aws_iam_policy_document.iam_guard.json
    lambda-guard = data.aws_iam_policy_document.lambda_guard.json
  }
}

resource "aws_iam_role_policy" "guard" {
  for_each = local.functions

  name   = "least-privilege"
  role   = aws_iam_role.guard[each.key].id
  policy = local.guard_policy_json[each.key]

  lifecycle {
    precondition {
      condition     = local.topic_account == local.account_id
      error_message = "sns_topic_arn belongs to account ${local.topic_account}, not ${local.account_id}: a topic in another account needs a topic policy and key policy this module cannot manage. Use a topic in this account or let the module create one."
    }

    precondition {
      condition     = local.create_topic || length(var.subscriptions) == 0
      error_message = "subscriptions can only be managed on the topic the module creates; with sns_topic_arn set, subscribe on the existing topic instead."
    }
  }
}

# Role EventBridge assumes to hand events from another region's default bus to the guard's bus.
data "aws_iam_policy_document" "forwarder_assume" {
  count = local.forwarding_enabled ? 1 : 0

  statement {
    sid     = "EventBridgeAssume"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    # Only the forwarding rules this module (or modules/event-forwarder) names may use the role.
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [for r in local.forwarder_source_regions : "arn:${local.partition}:events:${r}:${local.account_id}:rule/${var.name_prefix}-*-forward"]
    }
  }
}

data "aws_iam_policy_document" "forwarder" {
  count = local.forwarding_enabled ? 1 : 0

  statement {
    sid       = "PutOnGuardBusOnly"
    actions   = ["events:PutEvents"]
    resources = [local.guard_bus_arn]
  }
}

resource "aws_iam_role" "forwarder" {
  count = local.forwarding_enabled ? 1 : 0

  name                 = "${var.name_prefix}-event-forwarder"
  description          = "Lets EventBridge forward IAM and Lambda CloudTrail events to the policy-guard bus in ${local.region}."
  assume_role_policy   = data.aws_iam_policy_document.forwarder_assume[0].json
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

resource "aws_iam_role_policy" "forwarder" {
  count = local.forwarding_enabled ? 1 : 0

  name   = "put-events-on-guard-bus"
  role   = aws_iam_role.forwarder[0].id
  policy = data.aws_iam_policy_document.forwarder[0].json
}
