output "sns_topic_arn" {
  description = "ARN of the topic the findings (and the alarms) are published to."
  value       = local.topic_arn
}

output "kms_key_arn" {
  description = "ARN of the customer-managed key encrypting the topic, the dead-letter queues, the log groups and the functions' environment."
  value       = aws_kms_key.this.arn
}

output "function_names" {
  description = "Function names, keyed by guard (iam-guard, lambda-guard)."
  value       = { for k, f in aws_lambda_function.guard : k => f.function_name }
}

output "function_arns" {
  description = "Function ARNs, keyed by guard."
  value       = { for k, f in aws_lambda_function.guard : k => f.arn }
}

output "role_arns" {
  description = "Execution role ARNs, keyed by guard. An existing topic's policy (sns_topic_arn) must let these publish."
  value       = { for k, r in aws_iam_role.guard : k => r.arn }
}

output "role_names" {
  description = "Execution role names, keyed by guard."
  value       = { for k, r in aws_iam_role.guard : k => r.name }
}

output "dead_letter_queue_arns" {
  description = "Dead-letter (on-failure destination) queue ARNs, keyed by guard."
  value       = { for k, q in aws_sqs_queue.dlq : k => q.arn }
}

output "dead_letter_queue_urls" {
  description = "Dead-letter queue URLs, keyed by guard, for inspecting or replaying failed events."
  value       = { for k, q in aws_sqs_queue.dlq : k => q.url }
}

output "log_group_names" {
  description = "CloudWatch log group names, keyed by guard."
  value       = { for k, g in aws_cloudwatch_log_group.guard : k => g.name }
}

output "event_patterns" {
  description = "EventBridge event patterns (JSON), keyed by guard."
  value       = local.event_patterns
}

output "rule_arns" {
  description = "ARNs of the rules in the guard's region that invoke the functions, keyed by guard."
  value       = { for k, r in aws_cloudwatch_event_rule.guard : k => r.arn }
}

output "event_rules" {
  description = "Every EventBridge rule the module deployed, keyed by a stable id: name, ARN, region, which guard's events it carries (guard) and whether it invokes the function or forwards to the guard's bus (kind)."
  value = merge(
    { for k, r in aws_cloudwatch_event_rule.guard : k => {
      name   = r.name
      arn    = r.arn
      region = local.region
      guard  = k
      kind   = "invoke"
    } },
    { for m in module.iam_forwarder : "iam-guard-forward-us-east-1" => {
      name   = m.rule_name
      arn    = m.rule_arn
      region = m.region
      guard  = "iam-guard"
      kind   = "forward"
    } },
    { for m in module.lambda_forwarder_us_east_1 : "lambda-guard-forward-us-east-1" => {
      name   = m.rule_name
      arn    = m.rule_arn
      region = m.region
      guard  = "lambda-guard"
      kind   = "forward"
    } },
  )
}

output "lambda_event_forwarding" {
  description = "Inputs for modules/event-forwarder in each region listed in lambda_event_regions other than us-east-1 (regions): rule_name, event_pattern, target_event_bus_arn and role_arn. role_arn is null when no forwarding is configured."
  value = {
    regions              = local.external_forwarder_regions
    rule_name            = "${var.name_prefix}-lambda-forward"
    event_pattern        = local.event_patterns["lambda-guard"]
    target_event_bus_arn = local.guard_bus_arn
    role_arn             = one(aws_iam_role.forwarder[*].arn)
  }
}
