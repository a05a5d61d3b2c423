terraform {
  # Pure computation: no provider is needed to turn a tier into sizes and feature switches.
  required_version = ">= 1.6"
}
