"""Proto enums <-> the seed's strings stored in the database."""
from __future__ import annotations

from typing import Generic, TypeVar

from radiant.registry.v1 import registry_pb2 as pb

from services.runtime.errors import ValidationError

E = TypeVar("E", bound=int)


class EnumMap(Generic[E]):
    """One proto enum and the database strings of its values (UNSPECIFIED has no string: it means "not set")."""

    def __init__(self, proto_enum, pairs: dict[str, int]) -> None:
        self.proto_enum = proto_enum
        self.to_pb_map = dict(pairs)
        self.to_db_map = {v: k for k, v in pairs.items()}

    def to_pb(self, value: str | None) -> int:
        return self.to_pb_map.get(value or "", 0)

    def to_db(self, value: int, field: str) -> str:
        """A set (non-zero) proto value as its database string; an unknown number is the caller's error."""
        try:
            return self.to_db_map[value]
        except KeyError:
            allowed = ", ".join(self.proto_enum.Name(v) for v in self.to_db_map)
            raise ValidationError(f"{field} is not a valid value",
                                  details={field: [f"unknown value {value}; expected one of {allowed}"]}) from None


PROVIDER_TYPE = EnumMap(pb.ProviderType, {
    "external": pb.PROVIDER_TYPE_EXTERNAL, "self-hosted": pb.PROVIDER_TYPE_SELF_HOSTED,
    "mid-tier": pb.PROVIDER_TYPE_MID_TIER})
STATUS = EnumMap(pb.Status, {
    "active": pb.STATUS_ACTIVE, "inactive": pb.STATUS_INACTIVE, "deprecated": pb.STATUS_DEPRECATED,
    "coming_soon": pb.STATUS_COMING_SOON})
AUTH_TYPE = EnumMap(pb.AuthType, {
    "api_key": pb.AUTH_TYPE_API_KEY, "oauth": pb.AUTH_TYPE_OAUTH, "iam": pb.AUTH_TYPE_IAM, "none": pb.AUTH_TYPE_NONE})
API_FORMAT = EnumMap(pb.ApiFormat, {
    "openai": pb.API_FORMAT_OPENAI, "anthropic": pb.API_FORMAT_ANTHROPIC, "azure-openai": pb.API_FORMAT_AZURE_OPENAI,
    "bedrock": pb.API_FORMAT_BEDROCK, "sagemaker": pb.API_FORMAT_SAGEMAKER})
THERMAL_STATE = EnumMap(pb.ThermalState, {
    "OFF": pb.THERMAL_STATE_OFF, "COLD": pb.THERMAL_STATE_COLD, "WARM": pb.THERMAL_STATE_WARM,
    "HOT": pb.THERMAL_STATE_HOT, "AUTOMATIC": pb.THERMAL_STATE_AUTOMATIC})
DEPLOYMENT_KIND = EnumMap(pb.DeploymentKind, {
    "none": pb.DEPLOYMENT_KIND_NONE, "kubernetes": pb.DEPLOYMENT_KIND_KUBERNETES,
    "sagemaker": pb.DEPLOYMENT_KIND_SAGEMAKER, "local": pb.DEPLOYMENT_KIND_LOCAL})
