# One dead-letter queue per function, so an alarm names the function that failed and each role
# can send only to its own queue.
resource "aws_sqs_queue" "dlq" {
  for_each = local.functions

  name = "${local.function_names[each.key]}-dlq"
  # Failed events are CloudTrail records naming principals and policies: same key as the findings.
  kms_master_key_id                 = aws_kms_key.this.arn
  kms_data_key_reuse_period_seconds = 300
  # The SQS maximum, to leave time to inspect and replay failures.
  message_retention_seconds = 1209600

  tags = local.tags
}
