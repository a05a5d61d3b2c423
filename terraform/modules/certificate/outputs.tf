output "certificate_arn" {
  description = "ACM certificate ARN (issued once validated)."
  value       = var.route53_zone_id == null ? aws_acm_certificate.this.arn : aws_acm_certificate_validation.this[0].certificate_arn
}

output "validation_records" {
  description = "DNS records that prove control of the domain (create them when no Route 53 zone is given)."
  value       = local.validation_records
}
