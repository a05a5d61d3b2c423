output "alert_topic_arn" {
  description = "SNS topic of operational alerts (Alertmanager's SNS receiver may publish here too)."
  value       = aws_sns_topic.alerts.arn
}

output "security_topic_arn" {
  description = "SNS topic of security events."
  value       = aws_sns_topic.security.arn
}
