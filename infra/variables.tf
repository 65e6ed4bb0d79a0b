variable "name_prefix" {
  description = "Prefix of every resource name (functions, roles, rules, queues, alarms, the topic and the key alias). Lower-case letters, digits and hyphens, 2-32 characters, so the longest derived name stays inside IAM's 64-character role name limit."
  type        = string
  default     = "policy-guard"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 2-32 characters of a-z, 0-9 and '-', start with a letter and not end with '-'."
  }
}

variable "iam_guard_zip_path" {
  description = "Path to the iam-guard deployment package built by `make package` (target/lambda/iam-guard/bootstrap.zip): a zip holding the cargo-lambda `bootstrap` binary."
  type        = string

  validation {
    condition     = endswith(var.iam_guard_zip_path, ".zip")
    error_message = "iam_guard_zip_path must point at a .zip file (target/lambda/iam-guard/bootstrap.zip)."
  }
}

variable "lambda_guard_zip_path" {
  description = "Path to the lambda-guard deployment package built by `make package` (target/lambda/lambda-guard/bootstrap.zip)."
  type        = string

  validation {
    condition     = endswith(var.lambda_guard_zip_path, ".zip")
    error_message = "lambda_guard_zip_path must point at a .zip file (target/lambda/lambda-guard/bootstrap.zip)."
  }
}

variable "architecture" {
  description = "Instruction set the zips were built for: arm64 (cargo lambda build --arm64) or x86_64. It must match how `make package` built them; a mismatch fails at the first invocation, not at deploy."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "memory_size" {
  description = "Memory of each function in MB. The guards parse one policy per invocation; 128 MB is ample."
  type        = number
  default     = 128

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size must be a whole number of MB between 128 and 10240."
  }
}

variable "timeout" {
  description = "Timeout of each function in seconds. Covers the read-only IAM / Lambda lookups and the SNS publish with room for API retries."
  type        = number
  default     = 30

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "timeout must be a whole number of seconds between 1 and 900."
  }
}

variable "reserved_concurrent_executions" {
  description = "Reserved concurrency of each function, or null for none. Reserving carves capacity out of the account's unreserved pool, so it is opt-in."
  type        = number
  default     = null

  validation {
    condition     = var.reserved_concurrent_executions == null || try(var.reserved_concurrent_executions >= 1 && floor(var.reserved_concurrent_executions) == var.reserved_concurrent_executions, false)
    error_message = "reserved_concurrent_executions must be null or a whole number >= 1 (0 would throttle the guard completely)."
  }
}

variable "min_severity" {
  description = "Lowest finding severity the functions publish (POLICY_GUARD_MIN_SEVERITY): info, low, medium, high or critical."
  type        = string
  default     = "medium"

  validation {
    condition     = contains(["info", "low", "medium", "high", "critical"], var.min_severity)
    error_message = "min_severity must be one of info, low, medium, high, critical."
  }
}

variable "guard_config" {
  description = "Optional JSON configuration for the functions (POLICY_GUARD_CONFIG): suppressions and similar settings read by the Rust code. Passed through verbatim; it is stored in plain function configuration, so it must hold no secrets. null leaves the variable unset."
  type        = string
  default     = null

  validation {
    condition     = var.guard_config == null || can(jsondecode(var.guard_config))
    error_message = "guard_config must be valid JSON (use jsonencode({...}))."
  }

  validation {
    # Lambda caps all environment variables of a function at 4 KB together.
    condition     = var.guard_config == null || try(length(var.guard_config) <= 3072, false)
    error_message = "guard_config must be at most 3072 characters: Lambda limits a function's environment to 4 KB."
  }
}

variable "log_level" {
  description = "RUST_LOG filter for the functions, e.g. info or warn. Release builds compile out debug and trace events."
  type        = string
  default     = "info"

  validation {
    condition     = can(regex("^[A-Za-z0-9_:=,.-]+$", var.log_level))
    error_message = "log_level must be a RUST_LOG filter (letters, digits and _ : = , . -)."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the functions' CloudWatch log groups. Must be a value CloudWatch Logs accepts; the default keeps a year of guard decisions for audit."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "maximum_retry_attempts" {
  description = "How many times Lambda retries a failed asynchronous invocation (0-2) before sending it to the function's dead-letter queue."
  type        = number
  default     = 2

  validation {
    condition     = contains([0, 1, 2], var.maximum_retry_attempts)
    error_message = "maximum_retry_attempts must be 0, 1 or 2."
  }
}

variable "maximum_event_age_in_seconds" {
  description = "Oldest an event may get in Lambda's asynchronous queue before it is sent to the dead-letter queue (60-21600 seconds)."
  type        = number
  default     = 3600

  validation {
    condition     = var.maximum_event_age_in_seconds >= 60 && var.maximum_event_age_in_seconds <= 21600 && floor(var.maximum_event_age_in_seconds) == var.maximum_event_age_in_seconds
    error_message = "maximum_event_age_in_seconds must be a whole number between 60 and 21600."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of an IAM managed policy to set as permissions boundary on every role the module creates, or null."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN (arn:aws:iam::<account>:policy/<name>)."
  }
}

variable "lambda_event_regions" {
  description = "Other regions whose aws.lambda CloudTrail events are forwarded to the guard's default event bus (Lambda events stay in the region they happen in). The module creates the forwarding role for all of them and the forwarding rule for us-east-1; every other region listed needs one modules/event-forwarder instance with a provider for that region (see the README)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for r in var.lambda_event_regions : can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$", r))])
    error_message = "lambda_event_regions must hold region names such as us-west-2 or eu-central-1."
  }

  validation {
    condition     = length(distinct(var.lambda_event_regions)) == length(var.lambda_event_regions)
    error_message = "lambda_event_regions must not repeat a region."
  }
}

variable "sns_topic_arn" {
  description = "ARN of an existing SNS topic in this account to publish findings to, or null to create an encrypted topic. With an existing topic, its owner must allow the guard roles (output role_arns) and cloudwatch.amazonaws.com to publish, and subscriptions are managed there."
  type        = string
  default     = null

  validation {
    condition     = var.sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$", var.sns_topic_arn))
    error_message = "sns_topic_arn must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)."
  }
}

variable "sns_topic_kms_key_arn" {
  description = "ARN of the KMS key that encrypts the existing topic in sns_topic_arn, if it is encrypted with a customer-managed key; the guard roles get kms:GenerateDataKey and kms:Decrypt on it. Ignored when the module creates the topic."
  type        = string
  default     = null

  validation {
    condition     = var.sns_topic_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.sns_topic_kms_key_arn))
    error_message = "sns_topic_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias."
  }
}

variable "subscriptions" {
  description = "Subscriptions to create on the findings topic. protocol is email, https or sqs; endpoint the address, URL or queue ARN; severities optionally restricts delivery to findings whose `severity` message attribute is in the list. An sqs endpoint's queue policy must allow sns.amazonaws.com from the topic."
  type = list(object({
    protocol   = string
    endpoint   = string
    severities = optional(list(string))
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.subscriptions : contains(["email", "https", "sqs"], s.protocol)])
    error_message = "Each subscription's protocol must be email, https or sqs."
  }

  validation {
    condition = alltrue([for s in var.subscriptions : (
      s.protocol == "email" ? can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", s.endpoint)) :
      s.protocol == "https" ? startswith(s.endpoint, "https://") :
      can(regex("^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:.+$", s.endpoint))
    )])
    error_message = "Each subscription's endpoint must match its protocol: an email address, an https:// URL or an SQS queue ARN."
  }

  validation {
    condition = alltrue([for s in var.subscriptions : s.severities == null || try(
      length(s.severities) > 0 && alltrue([for v in s.severities : contains(["info", "low", "medium", "high", "critical"], v)]),
    false)])
    error_message = "A subscription's severities must be a non-empty list of info, low, medium, high, critical (or omitted)."
  }
}

variable "enable_alarms" {
  description = "Create CloudWatch alarms on function errors and dead-letter queue depth that notify the findings topic."
  type        = bool
  default     = true
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period before the module's KMS key is deleted after destroy (7-30 days)."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30
    error_message = "kms_key_deletion_window_in_days must be between 7 and 30."
  }
}

variable "tags" {
  description = "Tags applied to every taggable resource the module creates."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, _ in var.tags : !startswith(lower(k), "aws:")])
    error_message = "Tag keys must not start with aws: (reserved by AWS)."
  }
}
