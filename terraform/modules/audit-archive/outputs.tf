output "bucket_name" {
  description = "Audit archive bucket name."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "Audit archive bucket ARN."
  value       = aws_s3_bucket.this.arn
}
