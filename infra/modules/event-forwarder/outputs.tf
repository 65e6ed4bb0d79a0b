output "rule_arn" {
  description = "ARN of the forwarding rule."
  value       = aws_cloudwatch_event_rule.this.arn
}

output "rule_name" {
  description = "Name of the forwarding rule."
  value       = aws_cloudwatch_event_rule.this.name
}

output "region" {
  description = "Region the forwarding rule runs in."
  value       = data.aws_region.current.name
}
