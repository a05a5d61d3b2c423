"""The operator: reconciles each self-hosted model's thermal state into replicas (Kubernetes Deployment, SageMaker
inference component or endpoint variant, or local processes) and writes what it observes back to the registry."""
