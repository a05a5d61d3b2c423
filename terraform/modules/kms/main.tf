data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account_root = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
}

# Key administration stays with the account (IAM policies decide who may use a key); services that encrypt on
# behalf of callers (RDS, ElastiCache, Secrets Manager, S3, ECR, SageMaker) go through grants or kms:ViaService.
# In a key policy the "*" resource means "this key".
locals {
  logs_statement = {
    Sid       = "CloudWatchLogsEncryptsLogGroups"
    Effect    = "Allow"
    Principal = { Service = "logs.${data.aws_region.current.name}.amazonaws.com" }
    Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    Resource  = "*"
    Condition = {
      ArnLike = {
        "kms:EncryptionContext:aws:logs:arn" = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:*"
      }
    }
  }
  # CloudWatch alarms publishing to an SNS topic encrypted with the key.
  alarms_statement = {
    Sid       = "CloudWatchAlarmsPublishToEncryptedTopics"
    Effect    = "Allow"
    Principal = { Service = "cloudwatch.amazonaws.com" }
    Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
    Resource  = "*"
    Condition = {
      StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id }
    }
  }
  admin_statement = {
    Sid       = "AccountAdministersKey"
    Effect    = "Allow"
    Principal = { AWS = local.account_root }
    Action    = "kms:*"
    Resource  = "*"
  }
}

resource "aws_kms_key" "this" {
  for_each = var.keys

  description             = each.value.description
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_in_days
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([local.admin_statement], each.value.allow_cloudwatch_logs ? [local.logs_statement] : [],
    each.value.allow_cloudwatch_alarms ? [local.alarms_statement] : [])
  })
  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_kms_alias" "this" {
  for_each = var.keys

  name          = "alias/${var.name}-${each.key}"
  target_key_id = aws_kms_key.this[each.key].key_id
}
