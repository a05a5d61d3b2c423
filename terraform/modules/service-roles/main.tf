data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name
  account   = data.aws_caller_identity.current.account_id

  sagemaker_arn = "arn:${local.partition}:sagemaker:${local.region}:${local.account}"
  bedrock_model_arns = coalesce(var.bedrock_model_arns, [
    "arn:${local.partition}:bedrock:${local.region}::foundation-model/*",
    "arn:${local.partition}:bedrock:${local.region}:${local.account}:inference-profile/*",
  ])
  secrets_via = "secretsmanager.${local.region}.amazonaws.com"

  # Every statement has the same shape so that the per-service lists below have one type.
  secrets_read = {
    for svc in keys(var.service_account_names) : svc => concat(
      svc == "router" ? var.provider_secret_arns : [],
      contains(var.redis_services, svc) ? [var.redis_auth_secret_arn] : [],
    )
  }

  # Least privilege per service; a service with no statement gets a role with no AWS permissions at all.
  statements = {
    for svc in keys(var.service_account_names) : svc => concat(
      length(local.secrets_read[svc]) == 0 ? [] : [
        { sid = "ReadOwnSecrets", actions = ["secretsmanager:GetSecretValue"], resources = local.secrets_read[svc], via_service = "" },
        { sid = "DecryptSecretsViaSecretsManager", actions = ["kms:Decrypt"], resources = [var.secrets_kms_key_arn], via_service = local.secrets_via },
      ],
      svc != "router" ? [] : [
        {
          sid         = "InvokeSelfHostedModels"
          actions     = ["sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointWithResponseStream"]
          resources   = ["${local.sagemaker_arn}:endpoint/${var.sagemaker_name_prefix}*"]
          via_service = ""
        },
        # Converse and ConverseStream are authorised by these two actions.
        { sid = "InvokeBedrockModels", actions = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"], resources = local.bedrock_model_arns, via_service = "" },
      ],
      svc != "operator" ? [] : [
        {
          sid         = "ScaleRadiantEndpoints"
          actions     = ["sagemaker:DescribeEndpoint", "sagemaker:UpdateEndpointWeightsAndCapacities"]
          resources   = ["${local.sagemaker_arn}:endpoint/${var.sagemaker_name_prefix}*"]
          via_service = ""
        },
        {
          sid         = "ScaleRadiantInferenceComponents"
          actions     = ["sagemaker:DescribeInferenceComponent", "sagemaker:UpdateInferenceComponentRuntimeConfig"]
          resources   = ["${local.sagemaker_arn}:inference-component/${var.sagemaker_name_prefix}*"]
          via_service = ""
        },
      ],
      svc != "metering" ? [] : [
        { sid = "WriteAuditArchive", actions = ["s3:PutObject"], resources = ["${var.audit_archive_bucket_arn}/*"], via_service = "" },
        { sid = "EncryptAuditArchive", actions = ["kms:GenerateDataKey"], resources = [var.audit_archive_kms_key_arn], via_service = "" },
      ],
      !contains(var.database_services, svc) ? [] : [
        {
          sid         = "ConnectAsOwnDatabaseUser"
          actions     = ["rds-db:connect"]
          resources   = ["arn:${local.partition}:rds-db:${local.region}:${local.account}:dbuser:${var.aurora_cluster_resource_id}/radiant_${svc}"]
          via_service = ""
        },
      ],
    )
  }

  services_with_permissions = toset([for svc, st in local.statements : svc if length(st) > 0])
}

data "aws_iam_policy_document" "service" {
  for_each = local.services_with_permissions

  dynamic "statement" {
    for_each = local.statements[each.key]
    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources

      dynamic "condition" {
        for_each = statement.value.via_service == "" ? [] : [statement.value.via_service]
        content {
          test     = "StringEquals"
          variable = "kms:ViaService"
          values   = [condition.value]
        }
      }
    }
  }
}

resource "aws_iam_policy" "service" {
  for_each = local.services_with_permissions

  name        = "${var.name}-${each.key}"
  description = "Radiant ${each.key}: AWS permissions of the ${each.key} service account"
  policy      = data.aws_iam_policy_document.service[each.key].json
  tags        = var.tags
}

module "irsa" {
  source   = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version  = "5.55.0"
  for_each = var.service_account_names

  role_name        = "${var.name}-${each.key}"
  role_policy_arns = { for svc, policy in aws_iam_policy.service : "service" => policy.arn if svc == each.key }

  oidc_providers = {
    main = {
      provider_arn               = var.oidc_provider_arn
      namespace_service_accounts = ["${var.namespace}:${each.value}"]
    }
  }

  tags = var.tags
}
