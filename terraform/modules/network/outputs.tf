output "vpc_id" {
  description = "VPC id."
  value       = module.vpc.vpc_id
}

output "vpc_cidr_block" {
  description = "VPC IPv4 CIDR."
  value       = module.vpc.vpc_cidr_block
}

output "private_subnet_ids" {
  description = "Private subnets (EKS nodes, SageMaker model ENIs)."
  value       = module.vpc.private_subnets
}

output "public_subnet_ids" {
  description = "Public subnets (internet-facing ALB, NAT gateways)."
  value       = module.vpc.public_subnets
}

output "database_subnet_group_name" {
  description = "DB subnet group for Aurora."
  value       = module.vpc.database_subnet_group_name
}

output "elasticache_subnet_group_name" {
  description = "ElastiCache subnet group for Redis."
  value       = module.vpc.elasticache_subnet_group_name
}

output "vpc_endpoint_ids" {
  description = "VPC endpoint id by service."
  value       = { for k, ep in module.vpc_endpoints.endpoints : k => ep.id }
}

output "azs" {
  description = "Availability zones the subnets span."
  value       = local.azs
}

output "database_subnet_cidrs" {
  description = "CIDRs of the Aurora subnets (NetworkPolicy egress to PostgreSQL)."
  value       = module.vpc.database_subnets_cidr_blocks
}

output "elasticache_subnet_cidrs" {
  description = "CIDRs of the Redis subnets (NetworkPolicy egress to Redis)."
  value       = module.vpc.elasticache_subnets_cidr_blocks
}

output "endpoint_subnet_cidrs" {
  description = "CIDRs of the subnets holding the interface VPC endpoints (NetworkPolicy egress to AWS APIs)."
  value       = module.vpc.intra_subnets_cidr_blocks
}
