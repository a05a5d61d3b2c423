output "endpoint" {
  description = "Writer endpoint."
  value       = aws_rds_cluster.this.endpoint
}

output "reader_endpoint" {
  description = "Load-balanced reader endpoint."
  value       = aws_rds_cluster.this.reader_endpoint
}

output "port" {
  description = "PostgreSQL port."
  value       = aws_rds_cluster.this.port
}

output "database_name" {
  description = "Initial database name."
  value       = aws_rds_cluster.this.database_name
}

output "cluster_resource_id" {
  description = "Cluster resource id that scopes rds-db:connect for IAM database authentication."
  value       = aws_rds_cluster.this.cluster_resource_id
}

output "master_user_secret_arn" {
  description = "Secrets Manager ARN of the RDS-managed (rotated) master credentials, for migrations and bootstrap only."
  value       = aws_rds_cluster.this.master_user_secret[0].secret_arn
}

output "security_group_id" {
  description = "Security group of the cluster."
  value       = aws_security_group.this.id
}

output "cluster_identifier" {
  description = "Cluster identifier (the DBClusterIdentifier dimension of its CloudWatch metrics)."
  value       = aws_rds_cluster.this.cluster_identifier
}
