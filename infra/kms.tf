data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_109:A key policy applies to its own key only: Resource "*" names this key, and the kms:* grant to the account root is the AWS default that hands key access to IAM instead of locking it in this document.
  #checkov:skip=CKV_AWS_111:As above: the root statement is the standard delegation to IAM on this key alone; the service principals get narrow actions with SourceAccount or encryption-context conditions.
  #checkov:skip=CKV_AWS_356:In a key policy the only resource is the key itself, which has to be written "*".
  statement {
    sid = "AccountAdministersKeyThroughIam"
    # The standard root statement: without it only this policy could ever grant access and a
    # mistake would lock the key. It delegates to IAM; it does not open the key to everyone.
    # In a key policy "*" means this key.
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "GuardRolesPublishAndQueue"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [for k, _ in local.functions : aws_iam_role.guard[k].arn]
    }
  }

  statement {
    sid = "CloudWatchAlarmsPublish"
    # Alarm notifications go to the encrypted topic; CloudWatch needs the key to publish there.
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid       = "CloudWatchLogsEncryptGuardLogs"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }

    # Only the guard's own log groups may use the key through CloudWatch Logs.
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/lambda/${var.name_prefix}-*"]
    }
  }
}

resource "aws_kms_key" "this" {
  description             = "policy-guard (${var.name_prefix}): findings topic, dead-letter queues, logs and function environment"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.kms.json

  tags = local.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name_prefix}"
  target_key_id = aws_kms_key.this.key_id
}
