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
    },
  )

  helm_values = merge(
    {
      for svc, repository in module.ecr.repository_urls : svc => {
        image          = { repository = repository }
        serviceAccount = { roleArn = module.service_roles.role_arns[svc] }
      }
    },
    {
      cognito = {
        jwksUrl  = module.cognito.user_pool_jwks_url
        issuer   = module.cognito.user_pool_issuer
        audience = module.cognito.user_pool_client_id
      }
      ingress = {
        certificateArn = module.certificate.certificate_arn
        wafAclArn      = coalesce(one(module.waf[*].web_acl_arn), "")
      }
      secrets = {
        externalSecret = { enabled = true, data = local.chart_secret_data }
      }
    },
  )
}
