"""One Sanitize request under a tenant's policy: size and shape checks, prompt-injection checks, detection, PII block
mode, placeholders. The same code answers phi's Sanitize RPC and runs as phi's library inside the router; where the
mapping is stored is the caller's business (phi's vault either way)."""
from __future__ import annotations

from radiant.phi.v1 import phi_pb2
from services.phi.injection import InjectionDetector
from services.phi.policy import MODES, Policy, plan_for_request
from services.phi.prompt_checks import check_injection, refuse_phi
from services.phi.sanitizer import Sanitizer
from services.runtime import metrics
from services.runtime.errors import ValidationError


class RequestSanitizer:
    def __init__(self, sanitizer: Sanitizer | None = None, max_chars: int = 2_000_000) -> None:
        self.sanitizer = sanitizer or Sanitizer()
        self.injection = InjectionDetector()
        self.max_chars = max_chars

    def check(self, request: phi_pb2.SanitizeRequest) -> None:
        """What is refused before the policy is read."""
        size = sum(len(t) for t in request.texts)
        if size > self.max_chars:
            raise ValidationError(f"Texts hold {size} characters; the limit is {self.max_chars}",
                                  details={"messages": [f"total length must be at most {self.max_chars} characters"]})
        if request.text_groups and len(request.text_groups) != len(request.texts):
            raise ValidationError(f"text_groups has {len(request.text_groups)} entries for {len(request.texts)} texts",
                                  details={"text_groups": ["must be empty or have one entry per text"]})

    def sanitize(self, tenant: str, request: phi_pb2.SanitizeRequest,
                 policy: Policy) -> tuple[phi_pb2.SanitizeResponse, dict[str, str]]:
        """The answer without its mapping_id, and the mapping (placeholder -> original) to store under one."""
        texts = list(request.texts)
        opts = request.options
        plan = plan_for_request(policy, opts.enable_phi if opts.HasField("enable_phi") else None, list(opts.categories))
        injection = check_injection(self.injection, texts, policy.injection_action)
        detections = self.sanitizer.detect(texts, plan.categories, list(request.text_groups) or None)
        if plan.block_phi:
            refuse_phi(detections)
        result = self.sanitizer.replace(texts, detections, plan.reject_secrets)
        counts = result.category_counts()
        for category, count in counts.items():
            metrics.PHI_DETECTIONS.labels(metrics.tenant(tenant), category).inc(count)
        response = phi_pb2.SanitizeResponse(
            texts=result.texts, applied=plan.phi_applied, reidentify_allowed=policy.reid_allowed,
            category_counts=counts, mode=MODES[policy.mode],
            restore=result.mapping if policy.reid_allowed else {}, injection=injection,
            matches=[phi_pb2.PhiMatch(category=m.category, text_index=m.text_index, start=m.start, end=m.end,
                                      placeholder=m.placeholder, confidence=m.confidence) for m in result.matches])
        return response, result.mapping
