output "cluster_name" {
  description = "EKS cluster name (aws eks update-kubeconfig --name ...)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = module.eks.cluster_endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA bundle of the API endpoint."
  value       = module.eks.cluster_certificate_authority_data
}

output "oidc_provider_arn" {
  description = "IAM OIDC provider of the cluster, trusted by the IRSA roles."
  value       = module.eks.oidc_provider_arn
}

output "node_security_group_id" {
  description = "Security group shared by the nodes; Aurora and Redis admit traffic from it."
  value       = module.eks.node_security_group_id
}

output "gpu_node_selector" {
  description = "Label and toleration a GPU model Deployment needs to land on the GPU node group."
  value = {
    node_selector = { "radiant.io/pool" = "gpu" }
    toleration    = { key = local.gpu_taint.key, operator = "Equal", value = local.gpu_taint.value, effect = "NoSchedule" }
  }
}

output "load_balancer_controller_role_arn" {
  description = "IRSA role of the AWS Load Balancer Controller."
  value       = module.load_balancer_controller_irsa.iam_role_arn
}
