variable "name" {
  description = "EKS cluster name, e.g. radiant-prod."
  type        = string
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane and node groups."
  type        = string
  default     = "1.33"
}

variable "vpc_id" {
  description = "VPC the cluster runs in."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets for the control plane ENIs and the node groups (two or more AZs)."
  type        = list(string)
}

variable "endpoint_public_access_cidrs" {
  description = "CIDRs allowed to reach the public API endpoint; an empty list makes the endpoint private-only."
  type        = list(string)
  default     = []
}

variable "system_node_group" {
  description = "Size of the on-demand node group that runs the Radiant services and cluster add-ons."
  type = object({
    instance_types = list(string)
    min_size       = number
    max_size       = number
    desired_size   = number
  })
}

variable "gpu_node_group" {
  description = "GPU node group for self-hosted models: tainted nvidia.com/gpu=true:NoSchedule and scaled from zero by the cluster autoscaler when the operator wakes a model."
  type = object({
    instance_types = list(string)
    max_size       = number
    capacity_type  = optional(string, "ON_DEMAND")
    disk_size_gib  = optional(number, 200)
  })
}

variable "log_retention_days" {
  description = "Retention of the control-plane log group, in days."
  type        = number
}

variable "logs_kms_key_arn" {
  description = "KMS key ARN that encrypts the control-plane log group."
  type        = string
}

variable "nvidia_device_plugin_version" {
  description = "Version of the NVIDIA k8s-device-plugin Helm chart that advertises nvidia.com/gpu on the GPU nodes."
  type        = string
  default     = "0.17.1"
}

variable "aws_load_balancer_controller_version" {
  description = "Version of the aws-load-balancer-controller Helm chart that turns the Radiant Ingress into an ALB (with the WAF ACL)."
  type        = string
  default     = "1.13.3"
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
}
