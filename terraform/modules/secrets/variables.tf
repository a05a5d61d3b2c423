variable "name" {
  description = "Name prefix of the secrets, e.g. radiant-prod (secrets radiant-prod/providers/openai, radiant-prod/app, radiant-prod/database)."
  type        = string
}

variable "providers_with_keys" {
  description = "LLM providers that get a Secrets Manager entry for their API key. Values are put out of band (aws secretsmanager put-secret-value), never in code or state."
  type        = list(string)
  default     = ["openai", "anthropic", "azure-openai", "google", "mistral", "cohere", "groq", "together", "fireworks", "deepseek", "xai", "perplexity"]
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the secrets."
  type        = string
}

variable "recovery_window_days" {
  description = "Days a deleted secret stays recoverable (0 deletes at once)."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags applied to every secret."
  type        = map(string)
}

variable "database_services" {
  description = "Services that own tables in Aurora; each gets its own database user radiant_<service> and URL."
  type        = list(string)
  default     = ["router", "auth", "phi", "registry", "metering"]
}

variable "database_endpoint" {
  description = "Aurora writer endpoint the database URLs point at."
  type        = string
}

variable "database_port" {
  description = "Aurora port."
  type        = number
}

variable "database_name" {
  description = "Aurora database name."
  type        = string
}

variable "service_identities" {
  description = "Identities that call other services and get their own service-to-service key."
  type        = list(string)
  default     = ["router", "auth", "operator", "cli"]
}
