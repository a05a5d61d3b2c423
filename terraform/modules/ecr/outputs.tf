output "repository_urls" {
  description = "Repository URL by service (image.repository in the Helm values)."
  value       = { for svc, r in aws_ecr_repository.service : svc => r.repository_url }
}

output "repository_arns" {
  description = "Repository ARN by service (for CI push permissions)."
  value       = { for svc, r in aws_ecr_repository.service : svc => r.arn }
}
