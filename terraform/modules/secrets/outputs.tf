output "provider_secret_arns" {
  description = "Secret ARN by provider name."
  value       = { for p, s in aws_secretsmanager_secret.provider : p => s.arn }
}

output "app_secret_arn" {
  description = "Secret with api_key_pepper and phi_encryption_key."
  value       = aws_secretsmanager_secret.app.arn
}

output "app_secret_name" {
  description = "Name of the application-keys secret (ExternalSecret remote key)."
  value       = aws_secretsmanager_secret.app.name
}

output "database_secret_arn" {
  description = "Secret with <service>_url and <service>_password per database service."
  value       = aws_secretsmanager_secret.database.arn
}

output "database_secret_name" {
  description = "Name of the database secret (ExternalSecret remote key)."
  value       = aws_secretsmanager_secret.database.name
}

output "internal_keys_secret_name" {
  description = "Name of the service-to-service keys secret (<identity> private keys and public_keys)."
  value       = aws_secretsmanager_secret.internal_keys.name
}
