# terraform test (offline: the module needs no provider). Run from terraform/modules/tier:
#   terraform init && terraform test

run "tier_1_is_the_small_single_nat_setup" {
  command = plan
  variables {
    tier = 1
  }

  assert {
    condition     = local.settings.aurora_min_acu == 0.5 && local.settings.aurora_max_acu == 2 && local.settings.aurora_instance_count == 1
    error_message = "tier 1 Aurora must be 0.5-2 ACU with one instance"
  }
  assert {
    condition     = !local.settings.waf_enabled && !local.settings.sagemaker_enabled && !local.settings.one_nat_gateway_per_az
    error_message = "tier 1 has no WAF, no SageMaker and a single NAT gateway"
  }
  assert {
    condition     = local.settings.user_mfa_configuration == "OFF" && local.settings.redis_node_count >= 2
    error_message = "tier 1 keeps user MFA off and still replicates Redis"
  }
}

run "tier_2_adds_the_waf" {
  command = plan
  variables {
    tier = 2
  }

  assert {
    condition     = local.settings.waf_enabled && !local.settings.sagemaker_enabled
    error_message = "the WAF starts at tier 2, SageMaker does not"
  }
}

run "tier_3_is_production_shaped" {
  command = plan
  variables {
    tier = 3
  }

  assert {
    condition     = local.settings.sagemaker_enabled && local.settings.one_nat_gateway_per_az
    error_message = "tier 3 adds SageMaker and one NAT gateway per AZ"
  }
  assert {
    condition     = local.settings.user_mfa_configuration == "OPTIONAL" && local.settings.user_advanced_security == "ENFORCED"
    error_message = "tier 3 offers MFA to end users and enforces threat protection"
  }
  assert {
    condition     = local.settings.aurora_min_acu == 1 && local.settings.aurora_max_acu == 8
    error_message = "tier 3 Aurora must be 1-8 ACU (the guide's production row)"
  }
}

run "sizes_grow_with_the_tier" {
  command = plan
  variables {
    tier = 5
  }

  assert {
    condition     = local.settings.aurora_max_acu == 64 && local.settings.gpu_max_size == 16 && local.settings.redis_node_count == 3
    error_message = "tier 5 is the largest size"
  }
}

run "tier_out_of_range_is_refused" {
  command = plan
  variables {
    tier = 6
  }
  expect_failures = [var.tier]
}
