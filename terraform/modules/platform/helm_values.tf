# A values overlay for charts/radiant built from this environment's resources:
#   terraform output -raw helm_values > values-aws.yaml && helm upgrade --install radiant charts/radiant -f values-aws.yaml
locals {
  # Kubernetes Secret key -> Secrets Manager secret and JSON property, synced by the External Secrets Operator.
  chart_secret_data = merge(
    {
      for svc in local.database_services : "${svc}-database-url" => {
        key      = module.secrets.database_secret_name
        property = "${svc}_url"
      }
    },
    {
      "redis-url"          = { key = module.redis.auth_token_secret_name, property = "url" }
      "api-key-pepper"     = { key = module.secrets.app_secret_name, property = "api_key_pepper" }
      "phi-encryption-key" = { key = module.secrets.app_secret_name, property = "phi_encryption_key" }
      # Service-to-service authentication: each calling identity's key and the public-key set.
      "router-service-key"   = { key = module.secrets.internal_keys_secret_name, property = "router" }
      "auth-service-key"     = { key = module.secrets.internal_keys_secret_name, property = "auth" }
      "operator-service-key" = { key = module.secrets.internal_keys_secret_name, property = "operator" }
      "service-public-keys"  = { key = module.secrets.internal_keys_secret_name, property = "public_keys" }
    },
  )

  # Public HTTPS minus private ranges (the chart's default), plus the interface endpoints' subnets: with private DNS
  # on, STS, Secrets Manager and SageMaker runtime resolve to addresses there. Lists replace the chart's, so the
  # public block is repeated.
  public_https = { cidr = "0.0.0.0/0", except = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"] }
  aws_api_blocks = concat(
    [local.public_https],
    [for cidr in module.network.endpoint_subnet_cidrs : { cidr = cidr }],
  )

  # Non-secret settings that name this environment's resources.
  service_env = {
    metering = {
      RADIANT_REQUEST_LOG_ARCHIVE_BUCKET     = module.audit_archive.bucket_name
      RADIANT_REQUEST_LOG_ARCHIVE_KMS_KEY_ID = module.kms.key_arns["data"]
      RADIANT_AWS_REGION                     = data.aws_region.current.name
    }
  }

  helm_values = merge(
    {
      for svc, repository in module.ecr.repository_urls : svc => {
        image          = { repository = repository }
        serviceAccount = { roleArn = module.service_roles.role_arns[svc] }
        env            = lookup(local.service_env, svc, {})
      }
    },
    {
      cognito = {
        jwksUrl  = module.cognito.user_pool_jwks_url
        issuer   = module.cognito.user_pool_issuer
        audience = module.cognito.user_pool_client_id
        admin = {
          jwksUrl  = module.cognito.admin_pool_jwks_url
          issuer   = module.cognito.admin_pool_issuer
          audience = module.cognito.admin_pool_client_id
          poolId   = module.cognito.admin_pool_id
        }
      }
      identity = {
        driver        = "cognito"
        sesSender     = "noreply@${var.domain}"
        invitationUrl = "https://admin.${var.domain}/accept-invitation"
      }
      tier = var.tier
      cors = { allowedOrigins = ["https://admin.${var.domain}", "https://${var.domain}"] }
      ingress = {
        certificateArn = module.certificate.certificate_arn
        wafAclArn      = coalesce(one(module.waf[*].web_acl_arn), "")
      }
      secrets = {
        externalSecret = { enabled = true, data = local.chart_secret_data }
      }
      networkPolicy = {
        routerHttpFrom = [{ ipBlock = { cidr = module.network.vpc_cidr_block } }]
        postgres       = { cidrs = module.network.database_subnet_cidrs }
        redis          = { cidrs = module.network.elasticache_subnet_cidrs }
        kubeApi        = { ipBlocks = [{ cidr = module.network.vpc_cidr_block }] }
        awsApis        = { ipBlocks = local.aws_api_blocks }
        providers      = { ipBlocks = local.aws_api_blocks }
      }
    },
  )
}
