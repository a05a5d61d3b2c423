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
