"""Prompt-injection findings flagged by phi (tenant injection action "flag") written to the audit log in the
background: the kinds and the fields and positions they were found at, never the text. The answer never waits for
it; entries still pending when the router stops are written before its channels close."""
from __future__ import annotations

import asyncio
import logging

from google.protobuf.struct_pb2 import Struct

from radiant.common.v1 import common_pb2
from radiant.metering.v1 import metering_pb2
from radiant.phi.v1 import phi_pb2
from services.router.pipeline.upstreams import Upstreams
from services.runtime.context import current_gateway_id, current_request_id
from services.runtime.errors import RadiantError
from services.runtime.grpc_client import call

log = logging.getLogger("radiant.router")
ACTION = "prompt_injection.flagged"
MAX_PENDING = 1000


class PromptAudit:
    def __init__(self, upstreams: Upstreams) -> None:
        self.up = upstreams
        self._pending: set[asyncio.Task] = set()

    def flag(self, principal: common_pb2.Principal, findings: list[phi_pb2.PromptFinding], paths: list[str]) -> None:
        if not findings:
            return
        if len(self._pending) >= MAX_PENDING:
            log.warning("prompt-injection audit backlog full; finding not recorded", extra={"error_code": ACTION})
            return
        kinds = sorted({f.kind for f in findings})
        positions = [f"{paths[f.text_index] if f.text_index < len(paths) else f'text {f.text_index}'} "
                     f"{f.start}-{f.end} {f.kind}" for f in findings][:50]
        details = Struct()
        details.update({"kinds": kinds, "positions": positions, "count": len(findings)})
        entry = metering_pb2.AuditLogEntry(
            tenant_id=principal.tenant_id, user_id=principal.user_id, action=ACTION, resource_type="request",
            resource_id=current_gateway_id(), request_id=current_request_id() or "", details=details)
        log.warning("prompt injection flagged", extra={"kinds": kinds})
        task = asyncio.create_task(self._write(entry))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _write(self, entry: metering_pb2.AuditLogEntry) -> None:
        try:
            await call(self.up.metering.WriteAuditLog(entry), "metering")
        except RadiantError as exc:
            log.error("prompt-injection audit entry not written", extra={"error_code": exc.code})

    async def drain(self) -> None:
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
