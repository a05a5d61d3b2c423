output "provider_secret_arns" {
  description = "Secret ARN by provider name."
  value       = { for p, s in aws_secretsmanager_secret.provider : p => s.arn }
}
