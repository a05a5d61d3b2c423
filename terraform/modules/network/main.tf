locals {
  azs = var.azs
  # /20 private subnets for nodes and pods, /24 public subnets for the ALB and NAT, /24 subnets for Aurora and Redis,
  # /24 intra subnets (no route out) holding only the interface endpoints, so NetworkPolicies can allow exactly them.
  private_subnets     = [for i in range(length(var.azs)) : cidrsubnet(var.cidr, 4, i)]
  public_subnets      = [for i in range(length(var.azs)) : cidrsubnet(var.cidr, 8, 100 + i)]
  database_subnets    = [for i in range(length(var.azs)) : cidrsubnet(var.cidr, 8, 110 + i)]
  elasticache_subnets = [for i in range(length(var.azs)) : cidrsubnet(var.cidr, 8, 120 + i)]
  endpoint_subnets    = [for i in range(length(var.azs)) : cidrsubnet(var.cidr, 8, 130 + i)]
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.21.0"

  name = var.name
  cidr = var.cidr
  azs  = local.azs

  private_subnets     = local.private_subnets
  public_subnets      = local.public_subnets
  database_subnets    = local.database_subnets
  elasticache_subnets = local.elasticache_subnets
  intra_subnets       = local.endpoint_subnets
  intra_subnet_suffix = "endpoints"

  create_database_subnet_group    = true
  create_elasticache_subnet_group = true

  enable_nat_gateway     = true
  single_nat_gateway     = !var.one_nat_gateway_per_az
  one_nat_gateway_per_az = var.one_nat_gateway_per_az

  enable_dns_hostnames = true
  enable_dns_support   = true

  # The default security group denies everything; every workload gets an explicit one.
  manage_default_security_group  = true
  default_security_group_ingress = []
  default_security_group_egress  = []

  enable_flow_log                                 = true
  create_flow_log_cloudwatch_log_group            = true
  create_flow_log_cloudwatch_iam_role             = true
  flow_log_max_aggregation_interval               = 60
  flow_log_cloudwatch_log_group_retention_in_days = var.flow_log_retention_days
  flow_log_cloudwatch_log_group_kms_key_id        = var.logs_kms_key_arn

  public_subnet_tags = {
    "kubernetes.io/role/elb"                    = "1"
    "kubernetes.io/cluster/${var.cluster_name}" = "shared"
  }
  private_subnet_tags = {
    "kubernetes.io/role/internal-elb"           = "1"
    "kubernetes.io/cluster/${var.cluster_name}" = "shared"
  }

  tags = var.tags
}

# Traffic to AWS APIs stays on the AWS network: images (ECR + S3 layers), provider keys (Secrets Manager),
# IRSA token exchange (STS) and self-hosted model calls (SageMaker runtime).
module "vpc_endpoints" {
  source  = "terraform-aws-modules/vpc/aws//modules/vpc-endpoints"
  version = "5.21.0"

  vpc_id = module.vpc.vpc_id

  create_security_group      = true
  security_group_name_prefix = "${var.name}-vpc-endpoints-"
  security_group_description = "HTTPS from inside the VPC to the interface endpoints"
  security_group_rules = {
    ingress_https = {
      description = "HTTPS from the VPC"
      cidr_blocks = [module.vpc.vpc_cidr_block]
    }
  }

  endpoints = merge(
    {
      s3 = {
        service         = "s3"
        service_type    = "Gateway"
        route_table_ids = concat(module.vpc.private_route_table_ids, module.vpc.database_route_table_ids)
        tags            = { Name = "${var.name}-s3" }
      }
    },
    {
      for svc in ["secretsmanager", "ecr.api", "ecr.dkr", "sagemaker.runtime", "sts"] : replace(svc, ".", "_") => {
        service             = svc
        private_dns_enabled = true
        subnet_ids          = module.vpc.intra_subnets
        tags                = { Name = "${var.name}-${replace(svc, ".", "-")}" }
      }
    },
  )

  tags = var.tags
}
