"""PhiService gRPC API."""
from __future__ import annotations

import logging

from radiant.phi.v1 import phi_pb2, phi_pb2_grpc
from services.phi.injection import InjectionDetector
from services.phi.mappings import MappingStore
from services.phi.prompt_checks import check_injection, refuse_phi
from services.phi.policy import MODES, plan_for_request, policy_from_proto
from services.runtime.placeholders import StreamReidentifier, reidentify
from services.phi.sanitizer import Sanitizer
from services.phi.store import PolicyStore
from services.runtime import metrics
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
        self.sanitizer = sanitizer
        self.injection = InjectionDetector()
        self.policies = policies
        self.mappings = mappings
        self.max_chars = max_chars

    async def Sanitize(self, request, context):
        tenant = _tenant(request.tenant_id)
        size = sum(len(t) for t in request.texts)
        if size > self.max_chars:
            raise ValidationError(f"Texts hold {size} characters; the limit is {self.max_chars}",
                                  details={"messages": [f"total length must be at most {self.max_chars} characters"]})
        texts = list(request.texts)
        groups = list(request.text_groups) or None
        if groups is not None and len(groups) != len(texts):
            raise ValidationError(f"text_groups has {len(groups)} entries for {len(texts)} texts",
                                  details={"text_groups": ["must be empty or have one entry per text"]})
        policy = await self.policies.get(tenant)
        opts = request.options
        plan = plan_for_request(policy, opts.enable_phi if opts.HasField("enable_phi") else None, list(opts.categories))
        injection = check_injection(self.injection, texts, policy.injection_action)
        detections = self.sanitizer.detect(texts, plan.categories, groups)
        if plan.block_phi:
            refuse_phi(detections)
        result = self.sanitizer.replace(texts, detections, plan.reject_secrets)
        mapping_id = ""
        if result.mapping:
            mapping_id = self.mappings.save_soon(tenant, result.mapping, policy.mapping_ttl_hours * 3600)
        counts = result.category_counts()
        for category, count in counts.items():
            metrics.PHI_DETECTIONS.labels(metrics.tenant(tenant), category).inc(count)
        if counts:
            log.debug("sanitized", extra={"categories": counts, "texts": len(request.texts)})
        return phi_pb2.SanitizeResponse(
            texts=result.texts, mapping_id=mapping_id, applied=plan.phi_applied,
            reidentify_allowed=policy.reid_allowed, category_counts=counts, mode=MODES[policy.mode],
            restore=result.mapping if policy.reid_allowed else {}, injection=injection,
            matches=[phi_pb2.PhiMatch(category=m.category, text_index=m.text_index, start=m.start, end=m.end,
                                      placeholder=m.placeholder, confidence=m.confidence) for m in result.matches])

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
