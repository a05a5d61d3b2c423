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
  decrypt_secrets = {
    sid         = "DecryptSecretsViaSecretsManager"
    actions     = ["kms:Decrypt"]
    resources   = [var.secrets_kms_key_arn]
    via_service = "secretsmanager.${local.region}.amazonaws.com"
  }

  # Least privilege per role (every statement has the same shape). Database URLs, the Redis URL and the app keys
  # reach the pods as a Kubernetes Secret synced by the External Secrets Operator, so phi and registry need no AWS
  # permission at all (their roles exist so that every service account is annotated the same way); auth manages the
  # admin pool's users and e-mails invitations.
  statements = {
    router = [
      { sid = "ReadProviderKeys", actions = ["secretsmanager:GetSecretValue"], resources = var.provider_secret_arns, via_service = "" },
      local.decrypt_secrets,
      {
        sid         = "InvokeSelfHostedModels"
        actions     = ["sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointWithResponseStream"]
        resources   = ["${local.sagemaker_arn}:endpoint/${var.sagemaker_name_prefix}*"]
        via_service = ""
      },
      # Converse and ConverseStream are authorised by these two actions.
      { sid = "InvokeBedrockModels", actions = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"], resources = local.bedrock_model_arns, via_service = "" },
    ]
    operator = [
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
    ]
    auth = [
      {
        sid         = "ManageAdminIdentities"
        actions     = ["cognito-idp:AdminCreateUser", "cognito-idp:AdminGetUser", "cognito-idp:AdminAddUserToGroup", "cognito-idp:AdminRemoveUserFromGroup"]
        resources   = [var.admin_pool_arn]
        via_service = ""
      },
      { sid = "SendInvitations", actions = ["ses:SendEmail", "ses:SendRawEmail"], resources = var.ses_identity_arns, via_service = "" },
    ]
    metering = [
      { sid = "WriteAuditArchive", actions = ["s3:PutObject"], resources = ["${var.audit_archive_bucket_arn}/*"], via_service = "" },
      # Decrypt too: S3 multipart uploads (large archive batches) need it.
      {
        sid         = "EncryptAuditArchiveViaS3"
        actions     = ["kms:GenerateDataKey", "kms:Decrypt"]
        resources   = [var.audit_archive_kms_key_arn]
        via_service = "s3.${local.region}.amazonaws.com"
      },
    ]
    external-secrets = [
      {
        sid         = "ReadRadiantSecrets"
        actions     = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
        resources   = ["arn:${local.partition}:secretsmanager:${local.region}:${local.account}:secret:${var.secret_name_prefix}*"]
        via_service = ""
      },
      local.decrypt_secrets,
    ]
  }

  # service -> namespace:service-account trusted by its role.
  subjects = merge(
    { for svc, sa in var.service_account_names : svc => "${var.namespace}:${sa}" },
    { external-secrets = var.external_secrets_service_account },
  )
}

data "aws_iam_policy_document" "service" {
  for_each = local.statements

  dynamic "statement" {
    for_each = each.value
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
  for_each = local.statements

  name        = "${var.name}-${each.key}"
  description = "Radiant ${each.key}: AWS permissions of the ${each.key} service account"
  policy      = data.aws_iam_policy_document.service[each.key].json
  tags        = var.tags
}

module "irsa" {
  source   = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version  = "5.55.0"
  for_each = local.subjects

  role_name        = "${var.name}-${each.key}"
  role_policy_arns = { for svc, policy in aws_iam_policy.service : "service" => policy.arn if svc == each.key }

  oidc_providers = {
    main = {
      provider_arn               = var.oidc_provider_arn
      namespace_service_accounts = [each.value]
    }
  }

  tags = var.tags
}
