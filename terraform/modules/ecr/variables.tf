variable "name" {
  description = "Repository namespace, e.g. radiant-prod (repository radiant-prod/router)."
  type        = string
}

variable "services" {
  description = "Services that get an image repository."
  type        = list(string)
  default     = ["router", "auth", "phi", "registry", "metering", "operator"]
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the images at rest."
  type        = string
}

variable "keep_tagged_images" {
  description = "Tagged images kept per repository; older ones expire."
  type        = number
  default     = 100
}

variable "tags" {
  description = "Tags applied to every repository."
  type        = map(string)
}
