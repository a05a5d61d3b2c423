variable "name" {
  description = "Name of the VPC and prefix of its resources, e.g. radiant-prod."
  type        = string
}

variable "cidr" {
  description = "IPv4 CIDR of the VPC (a /16 leaves room for the /20 private subnets the EKS pods draw addresses from)."
  type        = string
  default     = "10.40.0.0/16"
}

variable "azs" {
  description = "Availability zones to spread subnets over, named explicitly so the set never grows by itself (at least 2 for multi-AZ Aurora and Redis)."
  type        = list(string)

  validation {
    condition     = length(var.azs) >= 2 && length(var.azs) <= 4
    error_message = "azs must name between 2 and 4 availability zones."
  }
}

variable "one_nat_gateway_per_az" {
  description = "One NAT gateway per AZ (zonal resilience) instead of a single shared one (cheaper)."
  type        = bool
}

variable "cluster_name" {
  description = "EKS cluster name, used for the subnet tags the AWS Load Balancer Controller discovers subnets by."
  type        = string
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow log group, in days."
  type        = number
}

variable "logs_kms_key_arn" {
  description = "KMS key ARN that encrypts the flow log group."
  type        = string
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
}
