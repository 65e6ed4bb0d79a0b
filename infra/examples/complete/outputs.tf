output "sns_topic_arn" {
  description = "Topic the findings are published to."
  value       = module.guard.sns_topic_arn
}

output "function_names" {
  description = "Deployed function names, keyed by guard."
  value       = module.guard.function_names
}

output "role_arns" {
  description = "Execution role ARNs, keyed by guard."
  value       = module.guard.role_arns
}

output "event_rules" {
  description = "Every EventBridge rule deployed (module and forwarders), with region and the guard whose events it carries; infra/tests replays sample events through their patterns."
  value = merge(module.guard.event_rules, {
    "lambda-guard-forward-${module.lambda_forwarder.region}" = {
      name   = module.lambda_forwarder.rule_name
      arn    = module.lambda_forwarder.rule_arn
      region = module.lambda_forwarder.region
      guard  = "lambda-guard"
      kind   = "forward"
    }
  })
}

output "dead_letter_queue_urls" {
  description = "Dead-letter queue URLs, keyed by guard."
  value       = module.guard.dead_letter_queue_urls
}

output "findings_queue_url" {
  description = "URL of the example queue subscribed to every finding."
  value       = aws_sqs_queue.findings.id
}
