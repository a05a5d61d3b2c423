# One table per setting, indexed by tier - 1. Feature switches follow the seed's getFeatureFlags():
# waf >= 2, sagemaker >= 3, advanced security and user MFA >= 3. Redis is not optional here (the seed made it
# tier >= 2) because Radiant keeps rate-limit counters, PHI mappings and the usage stream in it.
locals {
  i = var.tier - 1

  settings = {
    aurora_min_acu           = [0.5, 0.5, 1, 2, 4][local.i]
    aurora_max_acu           = [2, 4, 8, 16, 64][local.i]
    aurora_instance_count    = [1, 2, 2, 3, 3][local.i]
    redis_node_type          = ["cache.t4g.small", "cache.t4g.medium", "cache.r7g.large", "cache.r7g.xlarge", "cache.r7g.2xlarge"][local.i]
    redis_node_count         = [2, 2, 2, 3, 3][local.i]
    system_instance_types    = [["t3.large"], ["m6i.large"], ["m6i.xlarge"], ["m6i.2xlarge"], ["m6i.4xlarge"]][local.i]
    system_min_size          = [2, 2, 3, 3, 4][local.i]
    system_max_size          = [3, 4, 6, 10, 20][local.i]
    system_desired_size      = [2, 2, 3, 4, 6][local.i]
    gpu_instance_types       = [["g4dn.xlarge"], ["g4dn.xlarge"], ["g5.xlarge", "g5.2xlarge"], ["g5.2xlarge", "g5.12xlarge"], ["g5.12xlarge", "p4d.24xlarge"]][local.i]
    gpu_max_size             = [1, 2, 4, 8, 16][local.i]
    one_nat_gateway_per_az   = var.tier >= 3
    waf_enabled              = var.tier >= 2
    sagemaker_enabled        = var.tier >= 3
    user_mfa_configuration   = var.tier >= 3 ? "OPTIONAL" : "OFF"
    user_advanced_security   = var.tier >= 3 ? "ENFORCED" : "OFF"
    user_device_challenge    = var.tier >= 3
    log_retention_days       = var.tier >= 3 ? 90 : 14
    waf_rate_limit_per_5min  = [1000, 2000, 5000, 20000, 50000][local.i]
    redis_snapshot_retention = [1, 3, 7, 14, 35][local.i]
  }
}
