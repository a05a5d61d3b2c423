"""PhiService gRPC API."""
from __future__ import annotations

import logging

from radiant.phi.v1 import phi_pb2, phi_pb2_grpc
from services.phi.mappings import MappingStore
from services.phi.policy import policy_from_proto
from services.phi.request_sanitizer import RequestSanitizer
from services.runtime.placeholders import StreamReidentifier, reidentify
from services.phi.sanitizer import Sanitizer
from services.phi.store import PolicyStore
from services.runtime.context import set_tenant
from services.runtime.errors import ForbiddenError, ValidationError
from services.runtime.service_auth import current_principal

log = logging.getLogger("radiant.phi")


def _tenant(tenant_id: str) -> str:
    tenant_id = tenant_id.strip()
    if not tenant_id:
        raise ValidationError("tenant_id is required", details={"tenant_id": ["is required"]})
    set_tenant(tenant_id)
    return tenant_id


def _principal_is_admin() -> bool:
    """A caller's claim to act for an admin holds only if the principal token it sent says so (without internal
    authentication there is no token, and the claim is trusted as before)."""
    principal = current_principal()
    return principal is None or principal.is_admin or principal.is_super_admin


class PhiServicer(phi_pb2_grpc.PhiServiceServicer):
    def __init__(self, sanitizer: Sanitizer, policies: PolicyStore, mappings: MappingStore, max_chars: int) -> None:
        self.requests = RequestSanitizer(sanitizer, max_chars)
        self.policies = policies
        self.mappings = mappings

    async def Sanitize(self, request, context):
        tenant = _tenant(request.tenant_id)
        self.requests.check(request)
        policy = await self.policies.get(tenant)
        response, mapping = self.requests.sanitize(tenant, request, policy)
        if mapping:
            response.mapping_id = self.mappings.save_soon(tenant, mapping, policy.mapping_ttl_hours * 3600)
        if response.category_counts:
            log.debug("sanitized", extra={"categories": dict(response.category_counts), "texts": len(request.texts)})
        return response

    async def StoreMappings(self, request, context):
        return phi_pb2.StoreMappingsResponse(stored=await self.mappings.save_many(request.mappings))

    async def _mapping_for(self, tenant: str, mapping_id: str, for_response: bool, is_admin: bool) -> dict[str, str]:
        policy = await self.policies.get(tenant)
        if not policy.reid_allowed:
            raise ForbiddenError("Re-identification is not allowed by this tenant's PHI policy")
        if not for_response and policy.reid_requires_approval and not is_admin:
            raise ForbiddenError("Re-identification of stored mappings requires approval (an admin principal)")
        if not mapping_id:
            raise ValidationError("mapping_id is required", details={"mapping_id": ["is required"]})
        return await self.mappings.load(tenant, mapping_id)

    async def Reidentify(self, request, context):
        tenant = _tenant(request.tenant_id)
        mapping = await self._mapping_for(tenant, request.mapping_id, request.for_response,
                                          request.caller_is_admin and _principal_is_admin())
        texts, replaced = [], 0
        for text in request.texts:
            out, n = reidentify(text, mapping)
            texts.append(out)
            replaced += n
        return phi_pb2.ReidentifyResponse(texts=texts, replaced=replaced)

    async def ReidentifyStream(self, request_iterator, context):
        first = await anext(aiter(request_iterator), None)
        if first is None or first.WhichOneof("msg") != "start":
            raise ValidationError("The first message of the stream must be `start`", details={"start": ["missing"]})
        tenant = _tenant(first.start.tenant_id)
        mapping = await self._mapping_for(tenant, first.start.mapping_id, True, False)
        channels: dict[int, StreamReidentifier] = {}
        async for msg in request_iterator:
            if msg.WhichOneof("msg") != "chunk":
                raise ValidationError("Only one `start` message is allowed", details={"start": ["sent twice"]})
            stream = channels.get(msg.chunk.channel)
            if stream is None:
                stream = channels[msg.chunk.channel] = StreamReidentifier(mapping)
            out = stream.feed(msg.chunk.text)
            if out:
                yield phi_pb2.ReidentifyStreamResponse(channel=msg.chunk.channel, text=out)
        for channel, stream in channels.items():
            tail = stream.flush()
            if tail:
                yield phi_pb2.ReidentifyStreamResponse(channel=channel, text=tail)

    async def DeleteMapping(self, request, context):
        tenant = _tenant(request.tenant_id)
        return phi_pb2.DeleteMappingResponse(deleted=await self.mappings.delete(tenant, request.mapping_id))

    async def GetPolicy(self, request, context):
        return (await self.policies.get(_tenant(request.tenant_id))).to_proto()

    async def PutPolicy(self, request, context):
        policy = policy_from_proto(request.policy)
        _tenant(policy.tenant_id)
        return (await self.policies.put(policy)).to_proto()

    async def DeletePolicy(self, request, context):
        return (await self.policies.delete(_tenant(request.tenant_id))).to_proto()
