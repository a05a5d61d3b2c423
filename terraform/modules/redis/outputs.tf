output "primary_endpoint" {
  description = "Primary endpoint (TLS, AUTH required)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "reader_endpoint" {
  description = "Reader endpoint over the replicas."
  value       = aws_elasticache_replication_group.this.reader_endpoint_address
}

output "port" {
  description = "Redis port."
  value       = aws_elasticache_replication_group.this.port
}

output "auth_token_secret_arn" {
  description = "Secrets Manager ARN of the AUTH token (JSON: auth_token, host, port, tls, url)."
  value       = aws_secretsmanager_secret.auth_token.arn
}

output "security_group_id" {
  description = "Security group of the replication group."
  value       = aws_security_group.this.id
}

output "auth_token_secret_name" {
  description = "Name of the AUTH-token secret (ExternalSecret remote key)."
  value       = aws_secretsmanager_secret.auth_token.name
}

output "member_clusters" {
  description = "Cache cluster ids of the nodes (the CacheClusterId dimension of their CloudWatch metrics)."
  value       = sorted(aws_elasticache_replication_group.this.member_clusters)
}
