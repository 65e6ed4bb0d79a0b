locals {
  # The EventBridge pattern of each guard function: generated from the rule crate's service
  # table (shared/policy-guard/src/change/services.rs), the one place the watched CloudTrail
  # events are declared; a test fails while this file is stale. IAM names are exact; Lambda
  # records its calls under API-version-suffixed names (AddPermission20150331v2, ...), matched
  # by prefix.
  event_patterns = {
    for function, pattern in jsondecode(file("${path.module}/event-patterns.json")) :
    function => jsonencode(pattern)
  }

  guard_bus_arn            = "arn:${local.partition}:events:${local.region}:${local.account_id}:event-bus/default"
  forwarder_source_regions = distinct(concat(local.iam_cross_region ? ["us-east-1"] : [], var.lambda_event_regions))
}

# One rule per function on the default bus of the guard's region. Lambda events of this region
# arrive here natively; IAM events (us-east-1 only) and other regions' Lambda events arrive
# through the forwarding rules below.
resource "aws_cloudwatch_event_rule" "guard" {
  for_each = local.functions

  name          = local.function_names[each.key]
  description   = "Routes the CloudTrail events ${local.function_names[each.key]} judges."
  event_pattern = local.event_patterns[each.key]

  tags = local.tags

  lifecycle {
    precondition {
      condition     = data.aws_region.us_east_1.name == "us-east-1"
      error_message = "The aws.us_east_1 provider passed to this module is configured for ${data.aws_region.us_east_1.name}; IAM delivers its CloudTrail events to EventBridge only in us-east-1, so an IAM rule anywhere else would never fire."
    }

    precondition {
      condition     = !contains(var.lambda_event_regions, local.region)
      error_message = "lambda_event_regions must not contain the guard's own region (${local.region}): its Lambda events already reach the guard's bus."
    }
  }
}

resource "aws_cloudwatch_event_target" "guard" {
  for_each = local.functions

  rule      = aws_cloudwatch_event_rule.guard[each.key].name
  target_id = each.key
  arn       = aws_lambda_function.guard[each.key].arn
}

resource "aws_lambda_permission" "eventbridge" {
  for_each = local.functions

  statement_id  = "AllowEventBridgeInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.guard[each.key].function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.guard[each.key].arn
}

# EventBridge cannot target a Lambda function in another region, but it can target another
# region's event bus: us-east-1 forwards IAM events to the guard's bus when the guard lives elsewhere.
module "iam_forwarder" {
  source = "./modules/event-forwarder"
  count  = local.iam_cross_region ? 1 : 0

  providers = {
    aws = aws.us_east_1
  }

  name                 = "${var.name_prefix}-iam-forward"
  event_pattern        = local.event_patterns["iam-guard"]
  target_event_bus_arn = local.guard_bus_arn
  role_arn             = aws_iam_role.forwarder[0].arn
  tags                 = local.tags
}

module "lambda_forwarder_us_east_1" {
  source = "./modules/event-forwarder"
  count  = local.forward_lambda_from_us_east_1 ? 1 : 0

  providers = {
    aws = aws.us_east_1
  }

  name                 = "${var.name_prefix}-lambda-forward"
  event_pattern        = local.event_patterns["lambda-guard"]
  target_event_bus_arn = local.guard_bus_arn
  role_arn             = aws_iam_role.forwarder[0].arn
  tags                 = local.tags
}
