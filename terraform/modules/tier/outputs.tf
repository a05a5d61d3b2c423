output "settings" {
  description = "Sizes and feature switches for the given tier (see main.tf for the table)."
  value       = local.settings
}
