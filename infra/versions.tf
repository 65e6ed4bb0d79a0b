terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
      # IAM publishes its CloudTrail events to EventBridge only in us-east-1, so the IAM rule
      # needs a provider pinned there whatever region the guard itself runs in.
      configuration_aliases = [aws.us_east_1]
    }
  }
}
