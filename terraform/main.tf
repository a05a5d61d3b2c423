# Placeholder root module: the EKS cluster, Aurora PostgreSQL, ElastiCache Redis and Secrets Manager entries are
# defined by the infrastructure issue. Kept valid so `terraform fmt -check` and validation run from day one.
locals {
  name = "radiant-${var.environment}"
  tags = {
    Project     = "radiant"
    Environment = var.environment
  }
}
