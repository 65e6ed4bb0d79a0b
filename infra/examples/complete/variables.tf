variable "region" {
  description = "Region the guard (functions, topic, queues) runs in. Anything but us-east-1 exercises the cross-region forwarding of IAM events."
  type        = string
  default     = "eu-west-1"
}

variable "forwarded_region" {
  description = "An extra region whose Lambda events are forwarded to the guard through modules/event-forwarder."
  type        = string
  default     = "us-west-2"
}

variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
  default     = "policy-guard"
}

variable "iam_guard_zip_path" {
  description = "Path to the iam-guard zip built by `make package`."
  type        = string
  default     = "../../../target/lambda/iam-guard/bootstrap.zip"
}

variable "lambda_guard_zip_path" {
  description = "Path to the lambda-guard zip built by `make package`."
  type        = string
  default     = "../../../target/lambda/lambda-guard/bootstrap.zip"
}

variable "alert_email" {
  description = "Address that receives high and critical findings by email."
  type        = string
  default     = "security-alerts@example.com"
}

variable "aws_endpoint" {
  description = "Single endpoint URL for every AWS service, for an emulator such as moto server (http://127.0.0.1:5000). null talks to AWS."
  type        = string
  default     = null
}
