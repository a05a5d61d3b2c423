variable "domain" {
  description = "Application domain; the certificate covers it and its subdomains (*.domain, e.g. admin. and api.)."
  type        = string
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone of the domain; when set, the DNS validation records are created and the apply waits for issuance. Null: create the records shown in the validation_records output by hand."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags applied to the certificate."
  type        = map(string)
}
