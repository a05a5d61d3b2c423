variable "name" {
  description = "Name prefix of the pools, e.g. radiant-prod (pools radiant-prod-users and radiant-prod-admins)."
  type        = string
}

variable "app_name" {
  description = "Product name shown in verification and invitation emails."
  type        = string
  default     = "Radiant"
}

variable "environment" {
  description = "Deployment environment; prod requires MFA for admins and protects both pools from deletion."
  type        = string
}

variable "domain" {
  description = "Application domain: callbacks go to https://<domain>/auth/* and https://admin.<domain>/auth/*."
  type        = string
}

variable "user_mfa_configuration" {
  description = "MFA of the end-user pool: OFF below tier 3, OPTIONAL from tier 3 (TOTP authenticator apps)."
  type        = string

  validation {
    condition     = contains(["OFF", "OPTIONAL", "ON"], var.user_mfa_configuration)
    error_message = "user_mfa_configuration must be OFF, OPTIONAL or ON."
  }
}

variable "user_advanced_security_mode" {
  description = "Threat protection of the end-user pool: OFF below tier 3, ENFORCED from tier 3 (needs the Plus feature plan)."
  type        = string

  validation {
    condition     = contains(["OFF", "AUDIT", "ENFORCED"], var.user_advanced_security_mode)
    error_message = "user_advanced_security_mode must be OFF, AUDIT or ENFORCED."
  }
}

variable "user_device_challenge" {
  description = "Challenge end users on a new device (tier 3+)."
  type        = bool
}

variable "tags" {
  description = "Tags applied to every taggable resource."
  type        = map(string)
}
