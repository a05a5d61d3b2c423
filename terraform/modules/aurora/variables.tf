variable "name" {
  description = "Cluster identifier, e.g. radiant-prod."
  type        = string
}

variable "engine_version" {
  description = "Aurora PostgreSQL engine version."
  type        = string
  default     = "16.6"
}

variable "database_name" {
  description = "Initial database created in the cluster."
  type        = string
  default     = "radiant"
}

variable "vpc_id" {
  description = "VPC of the cluster's security group."
  type        = string
}

variable "db_subnet_group_name" {
  description = "DB subnet group over the private database subnets (two or more AZs)."
  type        = string
}

variable "availability_zones" {
  description = "AZs to place the instances in, round-robin, so a reader survives the writer's AZ."
  type        = list(string)
}

variable "allowed_security_groups" {
  description = "Security groups allowed to connect on 5432, by a name known at plan time (e.g. eks-nodes => the EKS node group's security group id)."
  type        = map(string)
}

variable "min_acu" {
  description = "Serverless v2 minimum capacity in ACUs (from the tier)."
  type        = number
}

variable "max_acu" {
  description = "Serverless v2 maximum capacity in ACUs (from the tier)."
  type        = number
}

variable "instance_count" {
  description = "Number of db.serverless instances: one writer plus readers in other AZs (2+ is multi-AZ)."
  type        = number
}

variable "backup_retention_days" {
  description = "Automated backup (point-in-time recovery) retention in days: 7 in dev, 30 in prod."
  type        = number
}

variable "deletion_protection" {
  description = "Refuse to delete the cluster (on in prod)."
  type        = bool
}

variable "kms_key_arn" {
  description = "KMS key that encrypts storage, snapshots and Performance Insights."
  type        = string
}

variable "secrets_kms_key_arn" {
  description = "KMS key that encrypts the RDS-managed master user secret."
  type        = string
}

variable "logs_kms_key_arn" {
  description = "KMS key that encrypts the exported PostgreSQL log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the exported PostgreSQL log group, in days."
  type        = number
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
}
