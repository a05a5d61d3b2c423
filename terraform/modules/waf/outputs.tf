output "web_acl_arn" {
  description = "Web ACL ARN: the alb.ingress.kubernetes.io/wafv2-acl-arn annotation of the Radiant Ingress."
  value       = aws_wafv2_web_acl.this.arn
}

output "web_acl_name" {
  description = "Web ACL name (the WebACL dimension of its CloudWatch metrics)."
  value       = aws_wafv2_web_acl.this.name
}
