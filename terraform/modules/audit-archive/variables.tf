variable "name" {
  description = "Name prefix; the bucket is <name>-audit-archive-<account id>."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key that encrypts every object (SSE-KMS with an S3 bucket key)."
  type        = string
}

variable "glacier_after_days" {
  description = "Days after which audit objects move to Glacier Flexible Retrieval."
  type        = number
  default     = 90
}

variable "expire_after_days" {
  description = "Days after which audit objects are deleted (7 years by default, the seed's compliance horizon)."
  type        = number
  default     = 2555
}

variable "object_lock_days" {
  description = "Governance-mode Object Lock retention in days: archived audit records cannot be overwritten or deleted before then."
  type        = number
  default     = 365
}

variable "force_destroy" {
  description = "Allow destroying a non-empty bucket (never in prod)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags applied to the bucket."
  type        = map(string)
}
