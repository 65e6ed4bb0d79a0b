variable "name" {
  description = "Name of the forwarding rule. The policy-guard forwarding role trusts only rules named <name_prefix>-*-forward, so pass the module's `lambda_event_forwarding.rule_name`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.name)) && endswith(var.name, "-forward")
    error_message = "name must be a valid EventBridge rule name (1-64 of A-Z a-z 0-9 . _ -) ending in -forward."
  }
}

variable "event_pattern" {
  description = "EventBridge event pattern (JSON) of the events to forward; pass the module's `lambda_event_forwarding.event_pattern`."
  type        = string

  validation {
    condition     = can(jsondecode(var.event_pattern))
    error_message = "event_pattern must be JSON."
  }
}

variable "target_event_bus_arn" {
  description = "ARN of the event bus in the guard's region that receives the events."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/.+$", var.target_event_bus_arn))
    error_message = "target_event_bus_arn must be an event bus ARN."
  }
}

variable "role_arn" {
  description = "ARN of the IAM role EventBridge assumes to put the events on the target bus (the module's `lambda_event_forwarding.role_arn`)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.role_arn))
    error_message = "role_arn must be an IAM role ARN."
  }
}

variable "tags" {
  description = "Tags for the forwarding rule."
  type        = map(string)
  default     = {}
}
