output "execution_role_arn" {
  description = "SageMaker execution role ARN."
  value       = aws_iam_role.execution.arn
}

output "endpoints" {
  description = "Per model id: endpoint name and ARN, inference component name, instance type (the registry's deployment target for the operator)."
  value = {
    for id, ep in aws_sagemaker_endpoint.this : id => {
      endpoint_name            = ep.name
      endpoint_arn             = ep.arn
      inference_component_name = awscc_sagemaker_inference_component.this[id].inference_component_name
      instance_type            = local.models[id].instance_type
    }
  }
}

output "name_prefix" {
  description = "Prefix shared by every Radiant endpoint and inference component name."
  value       = "${var.name}-"
}
