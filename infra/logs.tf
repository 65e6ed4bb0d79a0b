resource "aws_cloudwatch_log_group" "guard" {
  for_each = local.functions

  # The name Lambda writes to by default, so the function needs no logging_config.
  name              = "/aws/lambda/${local.function_names[each.key]}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = aws_kms_key.this.arn

  tags = local.tags
}
