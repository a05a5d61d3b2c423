# Provider keys: only the containers are managed here (no secret version), so no key ever enters code or state;
# operators put the values with `aws secretsmanager put-secret-value`.
resource "aws_secretsmanager_secret" "provider" {
  for_each = toset(var.providers_with_keys)

  name                    = "${var.name}/providers/${each.key}"
  description             = "API key of the ${each.key} LLM provider, read by the Radiant router"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_days
  tags                    = merge(var.tags, { "radiant.io/provider" = each.key })
}

# Generated application secrets. They live in Terraform state (keep the state bucket encrypted) and in Secrets
# Manager, from where the External Secrets Operator syncs them into the chart's Kubernetes Secret.
resource "random_password" "api_key_pepper" {
  length  = 64
  special = false
}

# AES-256-GCM key of the PHI mapping store: base64 of 32 random bytes.
resource "random_bytes" "phi_encryption_key" {
  length = 32
}

resource "aws_secretsmanager_secret" "app" {
  name                    = "${var.name}/app"
  description             = "Radiant application keys: API-key pepper (auth) and PHI mapping encryption key (phi)"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_days
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "app" {
  secret_id = aws_secretsmanager_secret.app.id
  secret_string = jsonencode({
    api_key_pepper     = random_password.api_key_pepper.result
    phi_encryption_key = random_bytes.phi_encryption_key.base64
  })
}

# One database user per service (each service owns its tables); the users are created once with the
# bootstrap SQL in terraform/README.md.
resource "random_password" "database" {
  for_each = toset(var.database_services)

  length  = 48
  special = false
}

resource "aws_secretsmanager_secret" "database" {
  name                    = "${var.name}/database"
  description             = "Per-service Aurora users and connection URLs (TLS required)"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_days
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "database" {
  secret_id = aws_secretsmanager_secret.database.id
  secret_string = jsonencode(merge(
    { for svc, pw in random_password.database : "${svc}_password" => pw.result },
    {
      for svc, pw in random_password.database : "${svc}_url" =>
      "postgresql://radiant_${svc}:${pw.result}@${var.database_endpoint}:${var.database_port}/${var.database_name}?sslmode=require"
    },
  ))
}

# Service-to-service authentication (README, "Service-to-service authentication"): one Ed25519 key per calling
# identity (router, auth, operator, cli). Services read PEM keys; public_keys is the set every service verifies with.
resource "tls_private_key" "service" {
  for_each = toset(var.service_identities)

  algorithm = "ED25519"
}

resource "aws_secretsmanager_secret" "internal_keys" {
  name                    = "${var.name}/internal-keys"
  description             = "Radiant service-to-service keys: a private key per identity and the public-key set"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_days
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "internal_keys" {
  secret_id = aws_secretsmanager_secret.internal_keys.id
  secret_string = jsonencode(merge(
    { for identity, key in tls_private_key.service : identity => key.private_key_pem },
    { public_keys = jsonencode({ for identity, key in tls_private_key.service : identity => key.public_key_pem }) },
  ))
}
