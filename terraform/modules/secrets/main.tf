# Only the containers are managed here: no aws_secretsmanager_secret_version, so no key ever enters code or state.
resource "aws_secretsmanager_secret" "provider" {
  for_each = toset(var.providers_with_keys)

  name                    = "${var.name}/providers/${each.key}"
  description             = "API key of the ${each.key} LLM provider, read by the Radiant router"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_days
  tags                    = merge(var.tags, { "radiant.io/provider" = each.key })
}
