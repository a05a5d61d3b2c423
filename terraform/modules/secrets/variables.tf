variable "name" {
  description = "Name prefix of the secrets, e.g. radiant-prod (secret radiant-prod/providers/openai)."
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
