output "key_arns" {
  description = "Key ARN by purpose."
  value       = { for k, key in aws_kms_key.this : k => key.arn }
}

output "alias_names" {
  description = "Alias name by purpose."
  value       = { for k, alias in aws_kms_alias.this : k => alias.name }
}
