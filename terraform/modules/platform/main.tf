data "aws_region" "current" {}

locals {
  name     = "${var.project}-${var.environment}"
  settings = module.tier.settings
  # Services that own tables in Aurora (each with its own database user and URL).
  database_services = ["router", "auth", "phi", "registry", "metering"]
}

module "tier" {
  source = "../tier"
  tier   = var.tier
}

module "kms" {
  source = "../kms"
  name   = local.name
  keys = {
    data    = { description = "${local.name}: Aurora, Redis, audit archive, images and model volumes" }
    secrets = { description = "${local.name}: Secrets Manager (provider keys, Redis token, Aurora master)" }
    logs    = { description = "${local.name}: CloudWatch log groups", allow_cloudwatch_logs = true }
    alerts  = { description = "${local.name}: SNS alert and security topics", allow_cloudwatch_alarms = true }
  }
  tags = var.tags
}

module "network" {
  source = "../network"

  name                    = local.name
  cidr                    = var.vpc_cidr
  azs                     = [for z in var.availability_zone_suffixes : "${data.aws_region.current.name}${z}"]
  one_nat_gateway_per_az  = local.settings.one_nat_gateway_per_az
  cluster_name            = local.name
  flow_log_retention_days = local.settings.log_retention_days
  logs_kms_key_arn        = module.kms.key_arns["logs"]
  tags                    = var.tags
}

module "eks" {
  source = "../eks"

  name                         = local.name
  kubernetes_version           = var.kubernetes_version
  vpc_id                       = module.network.vpc_id
  private_subnet_ids           = module.network.private_subnet_ids
  endpoint_public_access_cidrs = var.cluster_endpoint_public_access_cidrs
  log_retention_days           = local.settings.log_retention_days
  logs_kms_key_arn             = module.kms.key_arns["logs"]

  system_node_group = {
    instance_types = local.settings.system_instance_types
    min_size       = local.settings.system_min_size
    max_size       = local.settings.system_max_size
    desired_size   = local.settings.system_desired_size
  }
  gpu_node_group = {
    instance_types = local.settings.gpu_instance_types
    max_size       = local.settings.gpu_max_size
  }

  tags = var.tags
}

module "aurora" {
  source = "../aurora"

  name                    = local.name
  vpc_id                  = module.network.vpc_id
  db_subnet_group_name    = module.network.database_subnet_group_name
  availability_zones      = module.network.azs
  allowed_security_groups = { eks-nodes = module.eks.node_security_group_id }
  min_acu                 = local.settings.aurora_min_acu
  max_acu                 = local.settings.aurora_max_acu
  instance_count          = local.settings.aurora_instance_count
  backup_retention_days   = var.backup_retention_days
  deletion_protection     = var.deletion_protection
  kms_key_arn             = module.kms.key_arns["data"]
  secrets_kms_key_arn     = module.kms.key_arns["secrets"]
  logs_kms_key_arn        = module.kms.key_arns["logs"]
  log_retention_days      = local.settings.log_retention_days
  tags                    = var.tags
}

module "redis" {
  source = "../redis"

  name                    = local.name
  node_type               = local.settings.redis_node_type
  node_count              = local.settings.redis_node_count
  vpc_id                  = module.network.vpc_id
  subnet_group_name       = module.network.elasticache_subnet_group_name
  allowed_security_groups = { eks-nodes = module.eks.node_security_group_id }
  snapshot_retention_days = local.settings.redis_snapshot_retention
  kms_key_arn             = module.kms.key_arns["data"]
  secrets_kms_key_arn     = module.kms.key_arns["secrets"]
  logs_kms_key_arn        = module.kms.key_arns["logs"]
  log_retention_days      = local.settings.log_retention_days
  tags                    = var.tags
}

module "cognito" {
  source = "../cognito"

  name                        = local.name
  environment                 = var.environment
  domain                      = var.domain
  user_mfa_configuration      = local.settings.user_mfa_configuration
  user_advanced_security_mode = local.settings.user_advanced_security
  user_device_challenge       = local.settings.user_device_challenge
  tags                        = var.tags
}

module "certificate" {
  source = "../certificate"

  domain          = var.domain
  route53_zone_id = var.route53_zone_id
  tags            = var.tags
}

module "secrets" {
  source = "../secrets"

  name              = local.name
  kms_key_arn       = module.kms.key_arns["secrets"]
  database_services = local.database_services
  database_endpoint = module.aurora.endpoint
  database_port     = module.aurora.port
  database_name     = module.aurora.database_name
  tags              = var.tags
}

module "ecr" {
  source = "../ecr"

  name        = local.name
  kms_key_arn = module.kms.key_arns["data"]
  tags        = var.tags
}

module "audit_archive" {
  source = "../audit-archive"

  name          = local.name
  kms_key_arn   = module.kms.key_arns["data"]
  force_destroy = !var.deletion_protection
  tags          = var.tags
}

module "waf" {
  source = "../waf"
  count  = local.settings.waf_enabled ? 1 : 0

  name                  = local.name
  rate_limit_per_5min   = local.settings.waf_rate_limit_per_5min
  blocked_country_codes = var.waf_blocked_country_codes
  logs_kms_key_arn      = module.kms.key_arns["logs"]
  log_retention_days    = local.settings.log_retention_days
  tags                  = var.tags
}

module "sagemaker" {
  source = "../sagemaker"
  count  = local.settings.sagemaker_enabled && length(local.sagemaker_models) > 0 ? 1 : 0

  name               = local.name
  models             = local.sagemaker_models
  vpc_id             = module.network.vpc_id
  subnet_ids         = module.network.private_subnet_ids
  kms_key_arn        = module.kms.key_arns["data"]
  logs_kms_key_arn   = module.kms.key_arns["logs"]
  log_retention_days = local.settings.log_retention_days
  tags               = var.tags
}

module "service_roles" {
  source = "../service-roles"

  name                      = local.name
  namespace                 = var.namespace
  oidc_provider_arn         = module.eks.oidc_provider_arn
  provider_secret_arns      = values(module.secrets.provider_secret_arns)
  secret_name_prefix        = "${local.name}/"
  secrets_kms_key_arn       = module.kms.key_arns["secrets"]
  sagemaker_name_prefix     = "${local.name}-"
  audit_archive_bucket_arn  = module.audit_archive.bucket_arn
  audit_archive_kms_key_arn = module.kms.key_arns["data"]
  tags                      = var.tags
}

module "monitoring" {
  source = "../monitoring"

  name                  = local.name
  kms_key_arn           = module.kms.key_arns["alerts"]
  alert_emails          = var.alert_emails
  security_emails       = var.security_emails
  aurora_cluster_id     = module.aurora.cluster_identifier
  redis_member_clusters = module.redis.member_clusters
  alb_arn_suffix        = var.ingress_alb_arn_suffix
  waf_web_acl_name      = coalesce(one(module.waf[*].web_acl_name), "")
  tags                  = var.tags
}
