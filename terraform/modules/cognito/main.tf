data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  is_prod        = var.environment == "prod"
  user_mfa       = var.user_mfa_configuration != "OFF"
  account_suffix = data.aws_caller_identity.current.account_id

  # Localhost callbacks (the seed's development front ends) are left out of production clients.
  user_callback_urls = concat(
    ["https://${var.domain}/auth/callback", "https://admin.${var.domain}/auth/callback"],
    local.is_prod ? [] : ["http://localhost:3000/auth/callback"],
  )
  user_logout_urls = concat(
    ["https://${var.domain}/auth/logout", "https://admin.${var.domain}/auth/logout"],
    local.is_prod ? [] : ["http://localhost:3000/auth/logout"],
  )
  admin_callback_urls = concat(["https://admin.${var.domain}/auth/callback"], local.is_prod ? [] : ["http://localhost:3001/auth/callback"])
  admin_logout_urls   = concat(["https://admin.${var.domain}/auth/logout"], local.is_prod ? [] : ["http://localhost:3001/auth/logout"])

  # Custom claims the auth service maps to the request's auth context.
  user_custom_attributes = {
    tenantId  = false
    appId     = true
    role      = true
    createdAt = false
  }
  # tenantId: set by auth when an invitation is accepted (AdminCreateUser), carried in the admin's tokens.
  admin_custom_attributes = {
    tenantId  = false
    adminRole = true
    invitedBy = false
    invitedAt = false
  }

  admin_groups = {
    super_admin = { precedence = 1, description = "Full platform access including user management" }
    admin       = { precedence = 2, description = "Can deploy and manage assigned applications" }
    operator    = { precedence = 3, description = "Read-only access with audit log viewing" }
    auditor     = { precedence = 4, description = "Billing and audit log access only" }
  }
}

# ---------------------------------------------------------------------------------------------------------------
# End-user pool
# ---------------------------------------------------------------------------------------------------------------

resource "aws_cognito_user_pool" "users" {
  name                     = "${var.name}-users"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  deletion_protection      = local.is_prod ? "ACTIVE" : "INACTIVE"
  user_pool_tier           = var.user_advanced_security_mode == "OFF" ? "ESSENTIALS" : "PLUS"

  username_configuration {
    case_sensitive = false
  }

  admin_create_user_config {
    allow_admin_create_user_only = false
  }

  verification_message_template {
    default_email_option = "CONFIRM_WITH_CODE"
    email_subject        = "Welcome to ${var.app_name} - Verify your email"
    email_message        = "<h2>Welcome to ${var.app_name}!</h2><p>Please verify your email address by entering this code:</p><h1>{####}</h1><p>This code expires in 24 hours. If you didn't create this account, please ignore this email.</p>"
  }

  password_policy {
    minimum_length                   = 12
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = true
    temporary_password_validity_days = 7
  }

  # TOTP is the second factor: the seed also offered SMS, which NIST SP 800-63B restricts and which needs an IAM
  # role allowed to sns:Publish to any number; left out for a PHI gateway.
  mfa_configuration = var.user_mfa_configuration

  dynamic "software_token_mfa_configuration" {
    for_each = local.user_mfa ? [1] : []
    content {
      enabled = true
    }
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  schema {
    name                = "email"
    attribute_data_type = "String"
    required            = true
    mutable             = true
    string_attribute_constraints {
      min_length = 5
      max_length = 254
    }
  }

  schema {
    name                = "name"
    attribute_data_type = "String"
    required            = false
    mutable             = true
    string_attribute_constraints {
      min_length = 1
      max_length = 256
    }
  }

  dynamic "schema" {
    for_each = local.user_custom_attributes
    content {
      name                     = schema.key
      attribute_data_type      = "String"
      developer_only_attribute = false
      required                 = false
      mutable                  = schema.value
      string_attribute_constraints {
        min_length = 1
        max_length = 256
      }
    }
  }

  device_configuration {
    challenge_required_on_new_device      = var.user_device_challenge
    device_only_remembered_on_user_prompt = true
  }

  user_pool_add_ons {
    advanced_security_mode = var.user_advanced_security_mode
  }

  tags = var.tags
}

resource "aws_cognito_user_pool_client" "web" {
  name         = "${var.name}-web-client"
  user_pool_id = aws_cognito_user_pool.users.id

  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["email", "openid", "profile"]
  supported_identity_providers         = ["COGNITO"]
  callback_urls                        = local.user_callback_urls
  logout_urls                          = local.user_logout_urls

  access_token_validity  = 1
  id_token_validity      = 1
  refresh_token_validity = 30
  token_validity_units {
    access_token  = "hours"
    id_token      = "hours"
    refresh_token = "days"
  }

  explicit_auth_flows           = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true
  generate_secret               = false
}

resource "aws_cognito_user_pool_domain" "users" {
  domain       = "${var.name}-${local.account_suffix}"
  user_pool_id = aws_cognito_user_pool.users.id
}

# ---------------------------------------------------------------------------------------------------------------
# Admin pool: invitation only, longer passwords, TOTP only, MFA required in prod, threat protection always on
# ---------------------------------------------------------------------------------------------------------------

resource "aws_cognito_user_pool" "admins" {
  name                     = "${var.name}-admins"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  deletion_protection      = "ACTIVE"
  user_pool_tier           = "PLUS"

  username_configuration {
    case_sensitive = false
  }

  admin_create_user_config {
    allow_admin_create_user_only = true

    invite_message_template {
      email_subject = "You're invited to ${var.app_name} Admin"
      email_message = "<h2>Welcome to ${var.app_name} Admin!</h2><p>You have been invited to join as an administrator.</p><p>Your username is {username} and your temporary password is: <strong>{####}</strong></p><p>Please sign in at <a href=\"https://admin.${var.domain}\">admin.${var.domain}</a> to set your permanent password.</p><p>This invitation expires in 7 days.</p>"
      sms_message   = "${var.app_name} Admin: username {username}, temporary password {####}"
    }
  }

  password_policy {
    minimum_length                   = 16
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = true
    temporary_password_validity_days = 7
  }

  mfa_configuration = local.is_prod ? "ON" : "OPTIONAL"

  software_token_mfa_configuration {
    enabled = true
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  schema {
    name                = "email"
    attribute_data_type = "String"
    required            = true
    mutable             = true
    string_attribute_constraints {
      min_length = 5
      max_length = 254
    }
  }

  schema {
    name                = "name"
    attribute_data_type = "String"
    required            = true
    mutable             = true
    string_attribute_constraints {
      min_length = 1
      max_length = 256
    }
  }

  dynamic "schema" {
    for_each = local.admin_custom_attributes
    content {
      name                     = schema.key
      attribute_data_type      = "String"
      developer_only_attribute = false
      required                 = false
      mutable                  = schema.value
      string_attribute_constraints {
        min_length = 1
        max_length = 256
      }
    }
  }

  device_configuration {
    challenge_required_on_new_device      = true
    device_only_remembered_on_user_prompt = true
  }

  user_pool_add_ons {
    advanced_security_mode = "ENFORCED"
  }

  tags = var.tags
}

resource "aws_cognito_user_group" "admin" {
  for_each = local.admin_groups

  user_pool_id = aws_cognito_user_pool.admins.id
  name         = each.key
  description  = each.value.description
  precedence   = each.value.precedence
}

resource "aws_cognito_user_pool_client" "admin" {
  name         = "${var.name}-admin-client"
  user_pool_id = aws_cognito_user_pool.admins.id

  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["email", "openid", "profile"]
  supported_identity_providers         = ["COGNITO"]
  callback_urls                        = local.admin_callback_urls
  logout_urls                          = local.admin_logout_urls

  access_token_validity  = 30
  id_token_validity      = 30
  refresh_token_validity = 7
  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }

  explicit_auth_flows           = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true
  generate_secret               = false
}

resource "aws_cognito_user_pool_domain" "admins" {
  domain       = "${var.name}-admin-${local.account_suffix}"
  user_pool_id = aws_cognito_user_pool.admins.id
}
