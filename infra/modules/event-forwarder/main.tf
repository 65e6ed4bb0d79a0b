data "aws_region" "current" {}

resource "aws_cloudwatch_event_rule" "this" {
  name          = var.name
  description   = "Forwards matching CloudTrail events to ${var.target_event_bus_arn}."
  event_pattern = var.event_pattern

  tags = var.tags

  lifecycle {
    precondition {
      # A bus forwarding to itself would loop events until EventBridge drops them.
      condition     = split(":", var.target_event_bus_arn)[3] != data.aws_region.current.name
      error_message = "The forwarder runs in ${data.aws_region.current.name}, the same region as its target bus; the guard already sees this region's events."
    }
  }
}

resource "aws_cloudwatch_event_target" "this" {
  rule      = aws_cloudwatch_event_rule.this.name
  target_id = "policy-guard-bus"
  arn       = var.target_event_bus_arn
  role_arn  = var.role_arn
}
