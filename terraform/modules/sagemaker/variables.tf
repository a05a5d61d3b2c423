variable "name" {
  description = "Name prefix of the endpoints and inference components, e.g. radiant-prod (endpoint radiant-prod-mistral-7b). The operator's and router's IAM policies are scoped to it."
  type        = string
}

variable "models" {
  description = "Self-hosted models. Each gets a model, an endpoint whose instances scale between 0 and max_instance_count, and an inference component that starts with initial_copy_count copies (0: scaled to zero until the operator wakes it)."
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

  validation {
    condition     = alltrue([for m in var.models : can(regex("^[a-z0-9][a-z0-9-]{0,30}$", m.id))])
    error_message = "Each model id must be lower-case letters, digits and hyphens (at most 31 characters)."
  }
}

variable "subnet_ids" {
  description = "Private subnets the model containers' ENIs are placed in."
  type        = list(string)
}

variable "vpc_id" {
  description = "VPC of the model containers' security group."
  type        = string
}

variable "model_artifact_bucket_arns" {
  description = "S3 buckets the models' artifacts (model_data_url) are read from."
  type        = list(string)
  default     = []
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the endpoints' ML storage volumes."
  type        = string
}

variable "logs_kms_key_arn" {
  description = "KMS key that encrypts the endpoints' log groups."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the endpoint log groups, in days."
  type        = number
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
}
