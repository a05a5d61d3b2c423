# The prod environment: the whole platform from one composition module; only these settings differ between
# environments (tier, CIDR and domain are in terraform.tfvars).
locals {
  environment = "prod"
  tags = {
    project     = "radiant"
    environment = local.environment
    tier        = tostring(var.tier)
    managed-by  = "terraform"
  }
}

module "platform" {
  source = "../../modules/platform"

  environment                          = local.environment
  tier                                 = var.tier
  domain                               = var.domain
  route53_zone_id                      = var.route53_zone_id
  vpc_cidr                             = var.vpc_cidr
  cluster_endpoint_public_access_cidrs = var.cluster_endpoint_public_access_cidrs
  backup_retention_days                = 30
  deletion_protection                  = true
  sagemaker_models                     = var.sagemaker_models
  tags                                 = local.tags
}
