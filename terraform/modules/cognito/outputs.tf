locals {
  idp = "https://cognito-idp.${data.aws_region.current.name}.amazonaws.com"
}

output "user_pool_id" {
  description = "End-user pool id."
  value       = aws_cognito_user_pool.users.id
}

output "user_pool_client_id" {
  description = "Web app client id of the end-user pool (the JWT audience)."
  value       = aws_cognito_user_pool_client.web.id
}

output "user_pool_issuer" {
  description = "Issuer (iss claim) of end-user tokens."
  value       = "${local.idp}/${aws_cognito_user_pool.users.id}"
}

output "user_pool_jwks_url" {
  description = "JWKS URL the auth service verifies end-user tokens with."
  value       = "${local.idp}/${aws_cognito_user_pool.users.id}/.well-known/jwks.json"
}

output "user_pool_domain" {
  description = "Hosted UI domain of the end-user pool."
  value       = "${aws_cognito_user_pool_domain.users.domain}.auth.${data.aws_region.current.name}.amazoncognito.com"
}

output "admin_pool_id" {
  description = "Admin pool id."
  value       = aws_cognito_user_pool.admins.id
}

output "admin_pool_arn" {
  description = "Admin pool ARN (auth creates admins and moves them between groups in it)."
  value       = aws_cognito_user_pool.admins.arn
}

output "admin_pool_client_id" {
  description = "Admin console client id (the JWT audience of admin tokens)."
  value       = aws_cognito_user_pool_client.admin.id
}

output "admin_pool_issuer" {
  description = "Issuer (iss claim) of admin tokens."
  value       = "${local.idp}/${aws_cognito_user_pool.admins.id}"
}

output "admin_pool_jwks_url" {
  description = "JWKS URL the auth service verifies admin tokens with."
  value       = "${local.idp}/${aws_cognito_user_pool.admins.id}/.well-known/jwks.json"
}

output "admin_pool_domain" {
  description = "Hosted UI domain of the admin pool."
  value       = "${aws_cognito_user_pool_domain.admins.domain}.auth.${data.aws_region.current.name}.amazoncognito.com"
}

output "admin_groups" {
  description = "Admin group names by precedence (cognito:groups claim values)."
  value       = { for name, g in local.admin_groups : name => g.precedence }
}
