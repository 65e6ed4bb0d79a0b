resource "aws_cloudwatch_metric_alarm" "errors" {
  for_each = var.enable_alarms ? local.functions : {}

  alarm_name        = "${local.function_names[each.key]}-errors"
  alarm_description = "${local.function_names[each.key]} failed an invocation: a policy change may have gone unjudged. Check its logs and dead-letter queue."
  namespace         = "AWS/Lambda"
  metric_name       = "Errors"
  dimensions = {
    FunctionName = aws_lambda_function.guard[each.key].function_name
  }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  # No invocations means nothing failed.
  treat_missing_data = "notBreaching"
  alarm_actions      = [local.topic_arn]

  tags = local.tags
}

resource "aws_cloudwatch_metric_alarm" "dlq_depth" {
  for_each = var.enable_alarms ? local.functions : {}

  alarm_name        = "${local.function_names[each.key]}-dlq-depth"
  alarm_description = "Events ${local.function_names[each.key]} gave up on are waiting in ${aws_sqs_queue.dlq[each.key].name}: those changes were never judged."
  namespace         = "AWS/SQS"
  metric_name       = "ApproximateNumberOfMessagesVisible"
  dimensions = {
    QueueName = aws_sqs_queue.dlq[each.key].name
  }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [local.topic_arn]

  tags = local.tags
}
