data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  models  = { for m in var.models : m.id => m }
  variant = "AllTraffic"
  arn     = "arn:${data.aws_partition.current.partition}"
  region  = data.aws_region.current.name
  account = data.aws_caller_identity.current.account_id
}

# ---------------------------------------------------------------------------------------------------------------
# Execution role: pull the serving images, read artifacts, write logs and metrics; nothing else (the seed's
# AmazonSageMakerFullAccess is far wider than an endpoint needs).
# ---------------------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "EcrAuthorization"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"] # GetAuthorizationToken has no resource-level permissions.
  }

  statement {
    sid       = "PullServingImages"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
    resources = ["${local.arn}:ecr:${local.region}:*:repository/*"]
  }

  dynamic "statement" {
    for_each = length(var.model_artifact_bucket_arns) > 0 ? [1] : []
    content {
      sid       = "ReadModelArtifacts"
      actions   = ["s3:GetObject", "s3:ListBucket"]
      resources = concat(var.model_artifact_bucket_arns, [for b in var.model_artifact_bucket_arns : "${b}/*"])
    }
  }

  statement {
    sid       = "WriteEndpointLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${local.arn}:logs:${local.region}:${local.account}:log-group:/aws/sagemaker/Endpoints/${var.name}-*"]
  }

  statement {
    sid       = "PublishEndpointMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"] # PutMetricData has no resource-level permissions; the namespace condition scopes it.
    condition {
      test     = "StringLike"
      variable = "cloudwatch:namespace"
      values   = ["/aws/sagemaker/*"]
    }
  }

  statement {
    sid       = "UseVolumeKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:CreateGrant", "kms:DescribeKey"]
    resources = [var.kms_key_arn]
  }

  statement {
    sid = "ManageEnisInRadiantSubnets"
    actions = [
      "ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface",
      "ec2:DeleteNetworkInterfacePermission",
    ]
    resources = concat(
      [for s in var.subnet_ids : "${local.arn}:ec2:${local.region}:${local.account}:subnet/${s}"],
      [
        "${local.arn}:ec2:${local.region}:${local.account}:security-group/${aws_security_group.model.id}",
        "${local.arn}:ec2:${local.region}:${local.account}:network-interface/*",
      ],
    )
  }

  statement {
    sid = "DescribeNetwork"
    actions = [
      "ec2:DescribeNetworkInterfaces", "ec2:DescribeVpcs", "ec2:DescribeDhcpOptions", "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
    ]
    resources = ["*"] # Describe* calls have no resource-level permissions.
  }
}

resource "aws_iam_role" "execution" {
  name_prefix        = "${var.name}-sm-exec-"
  description        = "SageMaker execution role of the ${var.name} self-hosted model endpoints"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "execution" {
  name   = "endpoint-execution"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# Model containers reach the model hub (weights) and AWS APIs over HTTPS only; nothing connects in.
resource "aws_security_group" "model" {
  name_prefix = "${var.name}-sagemaker-"
  description = "SageMaker model containers: HTTPS out only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-sagemaker" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "model_https" {
  security_group_id = aws_security_group.model.id
  description       = "HTTPS to the model hub and AWS APIs"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = var.tags
}

# ---------------------------------------------------------------------------------------------------------------
# Per model: model, endpoint config (managed instance scaling down to 0), endpoint, inference component.
# ---------------------------------------------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "endpoint" {
  for_each = local.models

  name              = "/aws/sagemaker/Endpoints/${var.name}-${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
  tags              = var.tags
}

resource "aws_sagemaker_model" "this" {
  for_each = local.models

  name               = "${var.name}-${each.key}"
  execution_role_arn = aws_iam_role.execution.arn
  # Models that download their weights from a hub at start need egress; packaged artifacts run isolated.
  enable_network_isolation = each.value.model_data_url != null

  primary_container {
    image          = each.value.image
    model_data_url = each.value.model_data_url
    environment    = each.value.environment
  }

  vpc_config {
    subnets            = var.subnet_ids
    security_group_ids = [aws_security_group.model.id]
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy.execution]
}

resource "aws_sagemaker_endpoint_configuration" "this" {
  for_each = local.models

  name_prefix        = "${var.name}-${each.key}-"
  execution_role_arn = aws_iam_role.execution.arn
  kms_key_arn        = var.kms_key_arn

  # An endpoint scales to zero instances only when it hosts inference components. SageMaker creates it with one
  # instance; managed instance scaling releases it once the component below has no copies.
  production_variants {
    variant_name           = local.variant
    instance_type          = each.value.instance_type
    initial_instance_count = 1

    managed_instance_scaling {
      status             = "ENABLED"
      min_instance_count = 0
      max_instance_count = each.value.max_instance_count
    }

    routing_config {
      routing_strategy = "LEAST_OUTSTANDING_REQUESTS"
    }
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_endpoint" "this" {
  for_each = local.models

  name                 = "${var.name}-${each.key}"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.this[each.key].name
  tags                 = var.tags

  depends_on = [aws_cloudwatch_log_group.endpoint]
}

resource "awscc_sagemaker_inference_component" "this" {
  for_each = local.models

  inference_component_name = "${var.name}-${each.key}"
  endpoint_name            = aws_sagemaker_endpoint.this[each.key].name
  variant_name             = local.variant

  specification = {
    model_name = aws_sagemaker_model.this[each.key].name
    compute_resource_requirements = {
      number_of_accelerator_devices_required = each.value.accelerators
      min_memory_required_in_mb              = each.value.min_memory_mb
    }
  }

  runtime_config = {
    copy_count = each.value.initial_copy_count
  }

  tags = [for k, v in var.tags : { key = k, value = v }]

  lifecycle {
    # The Radiant operator owns the copy count (scale to zero after idle, wake on demand).
    ignore_changes = [runtime_config]
  }
}
