resource "aws_sns_topic" "findings" {
  count = local.create_topic ? 1 : 0

  name              = "${var.name_prefix}-findings"
  kms_master_key_id = aws_kms_key.this.arn

  tags = local.tags
}

data "aws_iam_policy_document" "topic" {
  count = local.create_topic ? 1 : 0

  # A resource policy replaces the default one that lets every principal of the account publish.
  # Same-account principals whose own IAM policy grants sns:Publish can still publish: that is
  # how AWS evaluates same-account access, and it is governed by those IAM policies.
  statement {
    sid       = "GuardRolesPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.findings[0].arn]

    principals {
      type        = "AWS"
      identifiers = [for k, _ in local.functions : aws_iam_role.guard[k].arn]
    }
  }

  statement {
    sid       = "GuardAlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.findings[0].arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${var.name_prefix}-*"]
    }
  }
}

resource "aws_sns_topic_policy" "findings" {
  count = local.create_topic ? 1 : 0

  arn    = aws_sns_topic.findings[0].arn
  policy = data.aws_iam_policy_document.topic[0].json
}

resource "aws_sns_topic_subscription" "this" {
  for_each = local.create_topic ? { for i, s in var.subscriptions : tostring(i) => s } : {}

  topic_arn = aws_sns_topic.findings[0].arn
  protocol  = each.value.protocol
  endpoint  = each.value.endpoint

  # The functions set a `severity` message attribute on every finding.
  filter_policy       = each.value.severities == null ? null : jsonencode({ severity = each.value.severities })
  filter_policy_scope = each.value.severities == null ? null : "MessageAttributes"
}
