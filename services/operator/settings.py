"""Operator settings (env RADIANT_<FIELD>)."""
from __future__ import annotations

from pydantic import Field, field_validator

from services.runtime.config import BaseServiceSettings

DRIVERS = ("kubernetes", "sagemaker", "local")


class Settings(BaseServiceSettings):
    grpc_port: int = Field(50055, ge=0, le=65535)
    # Deployment kinds this operator drives (comma-separated): models of any other kind are left alone.
    operator_drivers: str = "kubernetes,sagemaker"
    # Every model is re-read from the registry and reconciled this often (heals missed Watch events).
    operator_resync_seconds: float = Field(30.0, gt=0, le=3600)
    # A model whose replicas are not yet what it should have is looked at again this often.
    operator_converge_seconds: float = Field(2.0, gt=0, le=300)
    # Models reconciled at the same time.
    operator_workers: int = Field(8, ge=1, le=256)
    # AUTOMATIC: requests in flight or held per replica when the model names no target of its own.
    operator_target_in_flight: int = Field(4, ge=1, le=100_000)
    # Overrides every model's scale_to_zero_after_minutes with this many seconds (tests and demos); unset: off.
    operator_scale_to_zero_after_seconds: float | None = Field(None, ge=0, le=7 * 24 * 3600)

    # --- Kubernetes ---------------------------------------------------------------------------------------------
    # Only Deployments carrying this label are ever read or scaled.
    operator_model_label: str = "radiant.ai/model-id"
    # The release namespace: the leader-election Lease lives here, and models name no namespace default to it.
    operator_namespace: str = "default"
    # Identity in the Lease (the pod name in Kubernetes); empty: host name and process id.
    operator_pod_name: str = ""
    # A kubeconfig file; empty: the in-cluster service account.
    operator_kubeconfig: str = ""
    operator_leader_election: bool = True
    operator_lease_name: str = "radiant-operator"
    # The standby takes over this long after the leader stopped renewing.
    operator_lease_seconds: float = Field(15.0, ge=1, le=600)
    # How often the leader renews and a standby tries to acquire.
    operator_lease_retry_seconds: float = Field(2.0, gt=0, le=60)
    operator_kube_timeout_seconds: float = Field(10.0, gt=0, le=120)

    # --- SageMaker ----------------------------------------------------------------------------------------------
    operator_aws_region: str = "us-east-1"
    # Another SageMaker API endpoint (VPC endpoint; a local fake in tests); empty: the regional one.
    operator_sagemaker_endpoint_url: str = ""

    # --- local processes (radiant up) ---------------------------------------------------------------------------
    # Where the local driver keeps one pid file per running replica, so a restarted operator adopts its processes.
    operator_local_state_dir: str = ".radiant/operator"

    @field_validator("operator_drivers")
    @classmethod
    def _known_drivers(cls, value: str) -> str:
        names = [n.strip() for n in value.split(",") if n.strip()]
        unknown = sorted(set(names) - set(DRIVERS))
        if unknown:
            raise ValueError(f"unknown driver(s) {', '.join(unknown)}; known: {', '.join(DRIVERS)}")
        return ",".join(names)

    @property
    def drivers(self) -> list[str]:
        return [n for n in self.operator_drivers.split(",") if n]

    @property
    def lease_enabled(self) -> bool:
        """One active instance through a Lease: whenever Kubernetes is driven (the cluster has the API for it)."""
        return self.operator_leader_election and "kubernetes" in self.drivers
