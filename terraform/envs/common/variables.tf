variable "region" {
  description = "AWS region of the environment."
  type        = string
  default     = "us-east-1"
}

variable "tier" {
  description = "Radiant infrastructure tier (1-5) from the seed: sizes, WAF (tier 2+), SageMaker models and user MFA (tier 3+)."
  type        = number
}

variable "domain" {
  description = "Application domain (Cognito callbacks https://<domain>/auth/callback and https://admin.<domain>/auth/callback)."
  type        = string
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone of the domain; set it to validate the ingress certificate automatically."
  type        = string
  default     = null
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the environment's VPC."
  type        = string
}

variable "cluster_endpoint_public_access_cidrs" {
  description = "CIDRs allowed to reach the EKS API publicly (CI runners, VPN egress); empty keeps it private."
  type        = list(string)
  default     = []
}

variable "sagemaker_models" {
  description = "Self-hosted SageMaker models (see modules/sagemaker); null takes the seed's catalogue for the tier."
  type = list(object({
    id                 = string
    image              = string
    instance_type      = string
    model_data_url     = optional(string)
    environment        = optional(map(string), {})
    max_instance_count = optional(number, 1)
    accelerators       = optional(number, 1)
    min_memory_mb      = optional(number, 8192)
    initial_copy_count = optional(number, 0)
  }))
  default = null
}
