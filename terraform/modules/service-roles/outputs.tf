output "role_arns" {
  description = "IRSA role ARN by Radiant service: the eks.amazonaws.com/role-arn annotation of each service account."
  value       = { for svc, role in module.irsa : svc => role.iam_role_arn if svc != "external-secrets" }
}

output "external_secrets_role_arn" {
  description = "IRSA role of the External Secrets Operator (annotate its service account with it)."
  value       = module.irsa["external-secrets"].iam_role_arn
}

output "service_account_names" {
  description = "Service account name by service, as trusted by the roles."
  value       = var.service_account_names
}
