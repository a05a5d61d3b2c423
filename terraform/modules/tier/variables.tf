variable "tier" {
  description = "Radiant infrastructure tier (1-5). Drives sizes and optional features, as in the seed's tier table."
  type        = number

  validation {
    condition     = contains([1, 2, 3, 4, 5], var.tier)
    error_message = "tier must be one of 1, 2, 3, 4, 5."
  }
}
