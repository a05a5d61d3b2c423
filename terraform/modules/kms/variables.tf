variable "name" {
  description = "Name prefix for the keys' aliases, e.g. radiant-prod."
  type        = string
}

variable "keys" {
  description = "Keys to create, by purpose (e.g. data, secrets, logs, alerts). allow_cloudwatch_logs lets CloudWatch Logs in this region encrypt log groups with the key; allow_cloudwatch_alarms lets CloudWatch alarms publish to SNS topics it encrypts."
  type = map(object({
    description             = string
    allow_cloudwatch_logs   = optional(bool, false)
    allow_cloudwatch_alarms = optional(bool, false)
  }))
}

variable "deletion_window_in_days" {
  description = "Waiting period before a scheduled key deletion completes (7-30 days)."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags applied to every key."
  type        = map(string)
}
