output "region" {
  description = "AWS region of the environment."
  value       = data.aws_region.current.name
}

output "tier_settings" {
  description = "Sizes and feature switches the tier resolved to."
  value       = local.settings
}

output "cluster_name" {
  description = "EKS cluster name."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = module.eks.cluster_endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA bundle of the Kubernetes API endpoint."
  value       = module.eks.cluster_certificate_authority_data
}

output "gpu_scheduling" {
  description = "Node selector and toleration of GPU workloads."
  value       = module.eks.gpu_node_selector
}

output "namespace" {
  description = "Kubernetes namespace the IRSA roles trust."
  value       = var.namespace
}

output "service_account_names" {
  description = "Service account name by service."
  value       = module.service_roles.service_account_names
}

output "irsa_role_arns" {
  description = "IRSA role ARN by service."
  value       = module.service_roles.role_arns
}

output "external_secrets_role_arn" {
  description = "IRSA role of the External Secrets Operator."
  value       = module.service_roles.external_secrets_role_arn
}

output "app_secret_name" {
  description = "Secrets Manager secret with api_key_pepper and phi_encryption_key."
  value       = module.secrets.app_secret_name
}

output "database_secret_name" {
  description = "Secrets Manager secret with <service>_url per database service."
  value       = module.secrets.database_secret_name
}

output "redis_secret_name" {
  description = "Secrets Manager secret with the Redis url (rediss://, AUTH token included)."
  value       = module.redis.auth_token_secret_name
}

output "ecr_repository_urls" {
  description = "Image repository URL by service."
  value       = module.ecr.repository_urls
}

output "aurora_endpoint" {
  description = "Aurora writer endpoint."
  value       = module.aurora.endpoint
}

output "aurora_reader_endpoint" {
  description = "Aurora reader endpoint."
  value       = module.aurora.reader_endpoint
}

output "aurora_port" {
  description = "Aurora port."
  value       = module.aurora.port
}

output "aurora_database_name" {
  description = "Aurora database name."
  value       = module.aurora.database_name
}

output "aurora_master_secret_arn" {
  description = "RDS-managed master credentials (migrations and bootstrap only)."
  value       = module.aurora.master_user_secret_arn
}

output "redis_primary_endpoint" {
  description = "Redis primary endpoint (TLS + AUTH)."
  value       = module.redis.primary_endpoint
}

output "redis_reader_endpoint" {
  description = "Redis reader endpoint."
  value       = module.redis.reader_endpoint
}

output "redis_port" {
  description = "Redis port."
  value       = module.redis.port
}

output "redis_auth_secret_arn" {
  description = "Secret holding the Redis AUTH token."
  value       = module.redis.auth_token_secret_arn
}

output "cognito" {
  description = "Cognito pools, clients, issuers, JWKS URLs and hosted-UI domains."
  value = {
    user_pool_id         = module.cognito.user_pool_id
    user_pool_client_id  = module.cognito.user_pool_client_id
    user_pool_issuer     = module.cognito.user_pool_issuer
    user_pool_jwks_url   = module.cognito.user_pool_jwks_url
    user_pool_domain     = module.cognito.user_pool_domain
    admin_pool_id        = module.cognito.admin_pool_id
    admin_pool_client_id = module.cognito.admin_pool_client_id
    admin_pool_issuer    = module.cognito.admin_pool_issuer
    admin_pool_jwks_url  = module.cognito.admin_pool_jwks_url
    admin_pool_domain    = module.cognito.admin_pool_domain
    admin_groups         = module.cognito.admin_groups
  }
}

output "provider_secret_arns" {
  description = "Provider API-key secret ARN by provider."
  value       = module.secrets.provider_secret_arns
}

output "waf_web_acl_arn" {
  description = "WAF web ACL ARN for the ingress ALB (null below tier 2)."
  value       = one(module.waf[*].web_acl_arn)
}

output "audit_archive_bucket" {
  description = "Audit archive bucket name."
  value       = module.audit_archive.bucket_name
}

output "sagemaker_endpoints" {
  description = "Self-hosted model endpoints by model id (empty below tier 3)."
  value       = try(module.sagemaker[0].endpoints, {})
}

output "load_balancer_controller_role_arn" {
  description = "IRSA role of the AWS Load Balancer Controller."
  value       = module.eks.load_balancer_controller_role_arn
}

output "acm_certificate_arn" {
  description = "ACM certificate of the ingress ALB."
  value       = module.certificate.certificate_arn
}

output "acm_validation_records" {
  description = "DNS records that validate the certificate (create them when no Route 53 zone is given)."
  value       = module.certificate.validation_records
}

output "helm_values" {
  description = "YAML values overlay for charts/radiant: images, IRSA roles, Cognito, ingress certificate and WAF ACL, External Secrets mapping."
  value       = yamlencode(local.helm_values)
}

output "vpc_cidr_block" {
  description = "VPC CIDR (the ALB's source addresses, the EKS API ENIs)."
  value       = module.network.vpc_cidr_block
}

output "database_subnet_cidrs" {
  description = "Aurora subnet CIDRs."
  value       = module.network.database_subnet_cidrs
}

output "redis_subnet_cidrs" {
  description = "Redis subnet CIDRs."
  value       = module.network.elasticache_subnet_cidrs
}

output "endpoint_subnet_cidrs" {
  description = "Subnet CIDRs of the interface VPC endpoints (Secrets Manager, ECR, STS, SageMaker runtime)."
  value       = module.network.endpoint_subnet_cidrs
}

output "alert_topic_arn" {
  description = "SNS topic of operational alerts."
  value       = module.monitoring.alert_topic_arn
}

output "security_topic_arn" {
  description = "SNS topic of security events."
  value       = module.monitoring.security_topic_arn
}
