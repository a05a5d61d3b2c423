variable "name" {
  description = "Name prefix of the topics and alarms, e.g. radiant-prod."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key that encrypts both SNS topics (its policy lets CloudWatch alarms publish)."
  type        = string
}

variable "alert_emails" {
  description = "E-mail addresses subscribed to the operational alert topic (each confirms by mail)."
  type        = list(string)
  default     = []
}

variable "security_emails" {
  description = "E-mail addresses subscribed to the security topic."
  type        = list(string)
  default     = []
}

variable "aurora_cluster_id" {
  description = "Aurora cluster identifier (DBClusterIdentifier)."
  type        = string
}

variable "aurora_max_connections" {
  description = "Connections that raise the alarm (80 % of what the cluster allows at its minimum capacity)."
  type        = number
  default     = 80
}

variable "redis_member_clusters" {
  description = "ElastiCache cache cluster ids (nodes) of the replication group."
  type        = list(string)
}

variable "alb_arn_suffix" {
  description = "ARN suffix (app/<name>/<id>) of the ingress ALB the AWS Load Balancer Controller created; empty until the first deployment, then set it to get the ALB 5xx alarm."
  type        = string
  default     = ""
}

variable "waf_web_acl_name" {
  description = "Name of the WAF web ACL (empty when the tier has no WAF): blocked-request bursts go to the security topic."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags applied to the topics and alarms."
  type        = map(string)
}
