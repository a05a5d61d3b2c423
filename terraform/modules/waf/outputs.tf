output "web_acl_arn" {
  description = "Web ACL ARN: the alb.ingress.kubernetes.io/wafv2-acl-arn annotation of the Radiant Ingress."
  value       = aws_wafv2_web_acl.this.arn
}
