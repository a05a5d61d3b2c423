variable "name" {
  description = "Replication group id, e.g. radiant-prod."
  type        = string
}

variable "engine_version" {
  description = "Redis OSS engine version."
  type        = string
  default     = "7.1"
}

variable "node_type" {
  description = "Cache node type (from the tier)."
  type        = string
}

variable "node_count" {
  description = "Nodes in the replication group: one primary plus replicas in other AZs (at least 2 for Multi-AZ failover)."
  type        = number

  validation {
    condition     = var.node_count >= 2
    error_message = "node_count must be at least 2: Multi-AZ automatic failover needs a replica."
  }
}

variable "vpc_id" {
  description = "VPC of the replication group's security group."
  type        = string
}

variable "subnet_group_name" {
  description = "ElastiCache subnet group over the private subnets (two or more AZs)."
  type        = string
}

variable "allowed_security_groups" {
  description = "Security groups allowed to connect on 6379, by a name known at plan time (e.g. eks-nodes => the EKS node group's security group id)."
  type        = map(string)
}

variable "snapshot_retention_days" {
  description = "Daily snapshots kept, in days."
  type        = number
}

variable "kms_key_arn" {
  description = "KMS key that encrypts data at rest and snapshots."
  type        = string
}

variable "secrets_kms_key_arn" {
  description = "KMS key that encrypts the auth-token secret."
  type        = string
}

variable "logs_kms_key_arn" {
  description = "KMS key that encrypts the slow-log and engine-log groups."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the Redis log groups, in days."
  type        = number
}

variable "secret_recovery_window_days" {
  description = "Days a deleted auth-token secret stays recoverable (0 deletes at once)."
  type        = number
  default     = 7
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
}
