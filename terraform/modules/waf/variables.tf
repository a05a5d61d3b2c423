variable "name" {
  description = "Web ACL name, e.g. radiant-prod."
  type        = string
}

variable "rate_limit_per_5min" {
  description = "Requests one client IP may send in any 5-minute window before it is blocked (tier-driven; API clients behind one NAT send a lot)."
  type        = number
}

variable "blocked_country_codes" {
  description = "ISO 3166-1 alpha-2 country codes to block (geo-blocking); empty blocks none."
  type        = list(string)
  default     = []
}

variable "logs_kms_key_arn" {
  description = "KMS key that encrypts the WAF log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the WAF log group, in days."
  type        = number
}

variable "tags" {
  description = "Tags applied to the web ACL and its log group."
  type        = map(string)
}
