# What the Helm values of the radiant chart are filled from (terraform/README.md maps each output to its key).

output "helm_values" {
  description = "Ready-made values overlay for charts/radiant (terraform output -raw helm_values > values-aws.yaml)."
  value       = module.platform.helm_values
}

output "acm_certificate_arn" {
  description = "ACM certificate of the ingress ALB (ingress.certificateArn)."
  value       = module.platform.acm_certificate_arn
}

output "acm_validation_records" {
  description = "DNS records validating the certificate, when no Route 53 zone is given."
  value       = module.platform.acm_validation_records
}

output "region" {
  description = "AWS region."
  value       = module.platform.region
}

output "cluster_name" {
  description = "EKS cluster name (aws eks update-kubeconfig --name <cluster_name>)."
  value       = module.platform.cluster_name
}

output "namespace" {
  description = "Namespace to install the chart into (the IRSA roles trust its service accounts)."
  value       = module.platform.namespace
}

output "service_account_names" {
  description = "Service account name by service."
  value       = module.platform.service_account_names
}

output "irsa_role_arns" {
  description = "IRSA role ARN by service."
  value       = module.platform.irsa_role_arns
}

output "external_secrets_role_arn" {
  description = "IRSA role for the External Secrets Operator's service account (it syncs the secrets below)."
  value       = module.platform.external_secrets_role_arn
}

output "app_secret_name" {
  description = "Secret with api_key_pepper and phi_encryption_key (ExternalSecret remote key)."
  value       = module.platform.app_secret_name
}

output "database_secret_name" {
  description = "Secret with <service>_url per database service (ExternalSecret remote key)."
  value       = module.platform.database_secret_name
}

output "redis_secret_name" {
  description = "Secret with the Redis url, property url (ExternalSecret remote key)."
  value       = module.platform.redis_secret_name
}

output "ecr_repository_urls" {
  description = "Image repository URL by service."
  value       = module.platform.ecr_repository_urls
}

output "aurora_endpoint" {
  description = "Aurora writer endpoint."
  value       = module.platform.aurora_endpoint
}

output "aurora_reader_endpoint" {
  description = "Aurora reader endpoint."
  value       = module.platform.aurora_reader_endpoint
}

output "aurora_port" {
  description = "Aurora port."
  value       = module.platform.aurora_port
}

output "aurora_database_name" {
  description = "Aurora database name."
  value       = module.platform.aurora_database_name
}

output "aurora_master_secret_arn" {
  description = "RDS-managed master credentials secret (migrations job only)."
  value       = module.platform.aurora_master_secret_arn
}

output "redis_primary_endpoint" {
  description = "Redis primary endpoint (TLS + AUTH)."
  value       = module.platform.redis_primary_endpoint
}

output "redis_port" {
  description = "Redis port."
  value       = module.platform.redis_port
}

output "redis_auth_secret_arn" {
  description = "Secret holding the Redis AUTH token."
  value       = module.platform.redis_auth_secret_arn
}

output "cognito" {
  description = "Cognito pool ids, client ids, issuers, JWKS URLs, domains and admin groups."
  value       = module.platform.cognito
}

output "provider_secret_arns" {
  description = "Provider API-key secret ARN by provider."
  value       = module.platform.provider_secret_arns
}

output "waf_web_acl_arn" {
  description = "WAF web ACL ARN for the ingress ALB annotation (null below tier 2)."
  value       = module.platform.waf_web_acl_arn
}

output "audit_archive_bucket" {
  description = "Audit archive bucket name."
  value       = module.platform.audit_archive_bucket
}

output "sagemaker_endpoints" {
  description = "Self-hosted model endpoints and inference components by model id."
  value       = module.platform.sagemaker_endpoints
}

output "gpu_scheduling" {
  description = "Node selector and toleration of GPU model Deployments."
  value       = module.platform.gpu_scheduling
}

output "tier_settings" {
  description = "Sizes and feature switches the tier resolved to."
  value       = module.platform.tier_settings
}

output "vpc_cidr_block" {
  description = "VPC CIDR (networkPolicy.routerHttpFrom and kubeApi)."
  value       = module.platform.vpc_cidr_block
}

output "database_subnet_cidrs" {
  description = "Aurora subnet CIDRs (networkPolicy.postgres.cidrs)."
  value       = module.platform.database_subnet_cidrs
}

output "redis_subnet_cidrs" {
  description = "Redis subnet CIDRs (networkPolicy.redis.cidrs)."
  value       = module.platform.redis_subnet_cidrs
}

output "endpoint_subnet_cidrs" {
  description = "Interface VPC endpoint subnet CIDRs (added to networkPolicy.awsApis and providers ipBlocks)."
  value       = module.platform.endpoint_subnet_cidrs
}
