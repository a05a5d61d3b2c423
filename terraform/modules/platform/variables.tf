variable "project" {
  description = "Project name, the first part of every resource name."
  type        = string
  default     = "radiant"
}

variable "environment" {
  description = "Deployment environment (dev, staging or prod)."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "tier" {
  description = "Radiant infrastructure tier (1-5): sizes and optional features (WAF from 2, SageMaker and user MFA from 3)."
  type        = number
}

variable "domain" {
  description = "Application domain used by the Cognito callback and logout URLs."
  type        = string
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone of the domain, used to validate the ingress certificate; null validates by hand."
  type        = string
  default     = null
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC."
  type        = string
}

variable "availability_zone_suffixes" {
  description = "Zone letters of the region to spread over (2-4), e.g. [\"a\", \"b\", \"c\"] for us-east-1a/b/c."
  type        = list(string)
  default     = ["a", "b", "c"]
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version."
  type        = string
  default     = "1.33"
}

variable "cluster_endpoint_public_access_cidrs" {
  description = "CIDRs allowed to reach the EKS public endpoint (e.g. the CI runners and VPN); empty keeps the API private."
  type        = list(string)
  default     = []
}

variable "namespace" {
  description = "Kubernetes namespace of the Radiant release (the IRSA roles trust its service accounts)."
  type        = string
  default     = "radiant"
}

variable "backup_retention_days" {
  description = "Aurora point-in-time-recovery window in days."
  type        = number
}

variable "deletion_protection" {
  description = "Protect Aurora (and keep the audit bucket) from deletion."
  type        = bool
}

variable "sagemaker_models" {
  description = "Self-hosted SageMaker models; null takes the seed's catalogue for the tier (none below tier 3)."
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

variable "waf_blocked_country_codes" {
  description = "Countries the WAF blocks (ISO 3166-1 alpha-2)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for every resource (project, environment, tier, managed-by); also set as the provider's default_tags."
  type        = map(string)
}

variable "alert_emails" {
  description = "E-mail addresses that receive operational alerts (SNS topic <name>-alerts)."
  type        = list(string)
  default     = []
}

variable "security_emails" {
  description = "E-mail addresses that receive security events (SNS topic <name>-security)."
  type        = list(string)
  default     = []
}

variable "ingress_alb_arn_suffix" {
  description = "ARN suffix (app/<name>/<id>) of the ingress ALB, known after the first Helm deployment; enables the ALB 5xx alarms."
  type        = string
  default     = ""
}
