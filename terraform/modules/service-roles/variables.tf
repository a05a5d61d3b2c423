variable "name" {
  description = "Name prefix of the roles, e.g. radiant-prod (role radiant-prod-router)."
  type        = string
}

variable "oidc_provider_arn" {
  description = "IAM OIDC provider of the EKS cluster that the roles trust."
  type        = string
}

variable "namespace" {
  description = "Kubernetes namespace the Radiant services run in."
  type        = string
  default     = "radiant"
}

variable "service_account_names" {
  description = "Kubernetes service account name by Radiant service; each service's pods assume only their own role."
  type        = map(string)
  default = {
    router   = "radiant-router"
    auth     = "radiant-auth"
    phi      = "radiant-phi"
    registry = "radiant-registry"
    metering = "radiant-metering"
    operator = "radiant-operator"
  }
}

variable "provider_secret_arns" {
  description = "Secrets Manager ARNs of the LLM provider keys the router reads."
  type        = list(string)
}

variable "secrets_kms_key_arn" {
  description = "KMS key that encrypts the Radiant secrets (decrypted through Secrets Manager only)."
  type        = string
}

variable "sagemaker_name_prefix" {
  description = "Name prefix of the Radiant SageMaker endpoints and inference components; the router invokes and the operator scales only these."
  type        = string
}

variable "bedrock_model_arns" {
  description = "Bedrock foundation models and inference profiles the router may invoke; null allows every foundation model and inference profile in the region."
  type        = list(string)
  default     = null
}

variable "secret_name_prefix" {
  description = "Name prefix of every Radiant secret (e.g. radiant-prod/); the External Secrets Operator may read only these."
  type        = string
}

variable "external_secrets_service_account" {
  description = "namespace:name of the External Secrets Operator's service account, which syncs the Radiant secrets into the chart's Kubernetes Secret."
  type        = string
  default     = "external-secrets:external-secrets"
}

variable "audit_archive_bucket_arn" {
  description = "S3 bucket the metering service archives audit records to."
  type        = string
}

variable "audit_archive_kms_key_arn" {
  description = "KMS key that encrypts the audit archive bucket."
  type        = string
}

variable "admin_pool_arn" {
  description = "Cognito admin pool in which auth creates invited admins and changes their groups."
  type        = string
}

variable "ses_identity_arns" {
  description = "SES identities (domain or address) auth sends invitation e-mails from."
  type        = list(string)
}

variable "tags" {
  description = "Tags applied to every role and policy."
  type        = map(string)
}
