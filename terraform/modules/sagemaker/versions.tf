terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source = "hashicorp/aws"
      # >= 5.84 accepts managed_instance_scaling.min_instance_count = 0 and production variants without a model.
      version = "~> 5.95"
    }
    awscc = {
      # hashicorp/aws 5.x has no inference-component resource; Cloud Control (awscc) does.
      source  = "hashicorp/awscc"
      version = "~> 1.40"
    }
  }
}
