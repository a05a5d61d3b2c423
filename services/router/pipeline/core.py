"""The request pipeline shared by the REST edge and the internal gRPC API:
auth -> registry -> admission -> PHI sanitize -> provider -> re-identify -> usage."""
from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass, field, replace
from datetime import datetime

from pydantic import BaseModel

from radiant.auth.v1 import auth_pb2
from radiant.common.v1 import common_pb2
from radiant.metering.v1 import metering_pb2
from radiant.phi.v1 import phi_pb2
from radiant.registry.v1 import registry_pb2
from redis.exceptions import RedisError

from services.phi import protection
from services.phi.library import PhiLibrary
from services.metering.admission import billed_pico
from services.router.pipeline.admission import AdmissionGate, Reservation, worst_case_output
from services.router.pipeline.auth_cache import AuthCache
from services.router.pipeline.catalog import Catalog
from services.router.pipeline import policies
from services.router.context.registry import ContextRegistry
from services.router.pipeline.phi_fields import (ForwardedTexts, mint_tool_call_ids, relabel,
                                                 restore_tool_call_ids)
from services.router.pipeline.prompt_audit import PromptAudit
from services.router.pipeline.sessions import SessionStore, Turn, session_id
from services.runtime.single_flight import SingleFlight
from services.router.pipeline import request_record, tokens
from services.router.providers.base import is_retryable
from services.router.providers.pool import ProviderPool
from services.router.pipeline.resilience import Resilience, RetryPolicy, Target
from services.router.formats.openai_schemas import ChatCompletionRequest, EmbeddingRequest
from services.router.settings import Settings
from services.router.pipeline.stream_relay import StreamRelay
from services.router.pipeline.upstreams import Upstreams
from services.router.pipeline.request_log_publisher import RequestLogPublisher
from services.router.pipeline.usage_publisher import UsagePublisher
from services.router.pipeline.demand import Demand, RequestDemand
from services.router.pipeline.warmup import Warmup, is_self_hosted
from services.metering.demand import DemandRecorder
from services.runtime.context import current_gateway_id, current_request_id, set_tenant
from services.runtime.service_auth import principal_token_var
from services.runtime.errors import ProviderError, RadiantError, ServiceUnavailableError, ValidationError
from services.runtime.grpc_client import call
from services.runtime.placeholders import reidentify
from services.runtime.tasks import cancel_and_wait
from services.runtime.timeutil import to_ts

log = logging.getLogger("radiant.router")

# Yielded by Pipeline.stream(keepalive=True) while a warm-up holds the request (compared by identity): the edge sends
# a keep-alive (an SSE comment, an Anthropic ping) so clients and proxies keep the connection open.
KEEPALIVE: dict = {"object": "radiant.keepalive"}


@dataclass(slots=True)
class _Slot:
    """Where one sanitizable text lives in the outgoing request body."""
    message: int
    part: int | None = None      # index in a content list
    tool_call: int | None = None  # index in tool_calls (function arguments)
    function_call: bool = False   # legacy function_call arguments


def _categories(resp: phi_pb2.SanitizeResponse) -> dict[int, set[str]]:
    """text index -> categories phi replaced there."""
    found: dict[int, set[str]] = {}
    for m in resp.matches:
        found.setdefault(m.text_index, set()).add(m.category)
    return found


def _collect_texts(messages: list[dict]) -> tuple[list[str], list[_Slot]]:
    """The texts of answer messages (content, tool call and function call arguments), to restore PHI in them."""
    texts: list[str] = []
    slots: list[_Slot] = []
    for i, msg in enumerate(messages):
        content = msg.get("content")
        if isinstance(content, str):
            texts.append(content)
            slots.append(_Slot(i))
        elif isinstance(content, list):
            for j, part in enumerate(content):
                if part.get("type") == "text":
                    texts.append(part["text"])
                    slots.append(_Slot(i, part=j))
        for k, tc in enumerate(msg.get("tool_calls") or ()):
            texts.append(tc["function"]["arguments"])
            slots.append(_Slot(i, tool_call=k))
        if isinstance(msg.get("function_call"), dict) and isinstance(msg["function_call"].get("arguments"), str):
            texts.append(msg["function_call"]["arguments"])
            slots.append(_Slot(i, function_call=True))
    return texts, slots


def _put_texts(messages: list[dict], slots: list[_Slot], texts: list[str]) -> None:
    for slot, text in zip(slots, texts, strict=True):
        msg = messages[slot.message]
        if slot.part is not None:
            msg["content"][slot.part]["text"] = text
        elif slot.tool_call is not None:
            msg["tool_calls"][slot.tool_call]["function"]["arguments"] = text
        elif slot.function_call:
            msg["function_call"]["arguments"] = text
        else:
            msg["content"] = text


# Forwarded (free text among them is sanitized: see phi_fields); everything else is either rebuilt below or never
# leaves the gateway (`metadata` may hold PHI and providers only keep it for stored completions, which the gateway
# never asks for; the seed's own fields).
_FORWARDED = ("temperature", "top_p", "n", "stop", "presence_penalty", "frequency_penalty", "logit_bias", "seed",
              "logprobs", "top_logprobs", "response_format")


def _embedding_vectors(answer: dict, count: int, provider_id: str) -> list:
    """The provider's vectors in input order (float lists, or base64 strings when asked for), one per input."""
    data = answer.get("data")
    vectors: dict[int, list | str] = {}
    for item in data if isinstance(data, list) else ():
        index = item.get("index") if isinstance(item, dict) else None
        if isinstance(index, int) and 0 <= index < count and isinstance(item.get("embedding"), (list, str)):
            vectors[index] = item["embedding"]
    if len(vectors) != count:
        raise ProviderError(f"Provider '{provider_id}' did not return one embedding for each of the {count} inputs")
    return [vectors[i] for i in range(count)]


def _pseudonym(tenant_id: str, user: str) -> str:
    """Providers use `user` for abuse monitoring; callers often put an e-mail address there. A per-tenant pseudonym
    keeps one end user recognisable without sending who they are."""
    return "u-" + hashlib.sha256(f"{tenant_id}:{user}".encode()).hexdigest()[:32]


def _dump(value):
    return value.model_dump(exclude_none=True, by_alias=True) if isinstance(value, BaseModel) else value


def build_body(req: ChatCompletionRequest, model: registry_pb2.Model, messages: list[dict],
               max_tokens: int | None, tenant_id: str = "") -> dict:
    """The internal (OpenAI-shaped) request sent to the provider adapter: only fields we understand are forwarded."""
    body = {"model": model.upstream_model or model.name, "messages": messages}
    for name in _FORWARDED:
        value = getattr(req, name)
        if value is not None:
            body[name] = _dump(value)
    if req.tools:
        body["tools"] = [t.model_dump(exclude_none=True) for t in req.tools]
        if req.tool_choice is not None:
            body["tool_choice"] = _dump(req.tool_choice)
        if req.parallel_tool_calls is not None:
            body["parallel_tool_calls"] = req.parallel_tool_calls
    if req.functions:
        body["functions"] = [f.model_dump(exclude_none=True) for f in req.functions]
        if req.function_call is not None:
            body["function_call"] = _dump(req.function_call)
    if req.user:
        body["user"] = _pseudonym(tenant_id, req.user)
    if max_tokens is not None:
        body["max_tokens"] = max_tokens
    return body


async def _none() -> None:
    return None


@dataclass(slots=True)
class Prepared:
    principal: common_pb2.Principal
    req: ChatCompletionRequest
    model: registry_pb2.Model
    provider: registry_pb2.Provider
    body: dict
    mapping_id: str
    restore: dict[str, str]
    started: float
    tenant_settings: auth_pb2.TenantSettings | None = None  # the tenant's policies (fallback models are checked too)
    turn: Turn | None = None  # the conversation to store in the request's session
    # The gateway-minted id (usage idempotency key, reservation id) and the client's X-Request-Id (correlation), taken
    # at admission: usage may be recorded after the request's context is gone (an abandoned stream).
    request_id: str = ""
    client_request_id: str = ""
    reservation: Reservation | None = None
    tool_call_ids: dict[str, str] = field(default_factory=dict)  # id minted for the provider -> the caller's id


def _body_for(p: Prepared, target: Target) -> dict:
    """A fallback model gets the same (already sanitized) request under its own upstream model name, its output
    limit capped at what that model can produce (the request was checked against the primary's limits)."""
    if target.model.id == p.model.id:
        return p.body
    body = {**p.body, "model": target.model.upstream_model or target.model.name}
    limit = target.model.max_output_tokens
    if limit and body.get("max_tokens", 0) > limit:
        body["max_tokens"] = limit
    return body


@dataclass(slots=True)
class ChatOutcome:
    body: dict
    mapping_id: str


class Pipeline:
    def __init__(self, settings: Settings, upstreams: Upstreams, catalog: Catalog, providers: ProviderPool,
                 usage: UsagePublisher, auth_cache: AuthCache, *, sessions: SessionStore,
                 context: ContextRegistry, request_log: RequestLogPublisher | None = None,
                 phi: PhiLibrary | None = None) -> None:
        self.settings = settings
        self.phi = phi  # phi's library in this process (phi_mode=library), else None: phi's Sanitize RPC
        self.request_log = request_log
        self.gate = AdmissionGate(settings.admission_mode, usage.admission, upstreams.metering, usage)
        self.auth_cache = auth_cache
        self._authenticating: SingleFlight[auth_pb2.AuthenticateResponse] = SingleFlight()
        self.sessions = sessions
        self.context = context
        self.up = upstreams
        self.usage = usage
        self.catalog = catalog
        self.providers = providers
        self.background: list[asyncio.Task] = []
        self.resilience = Resilience(RetryPolicy(
            max_attempts=settings.provider_max_attempts, base_delay=settings.provider_retry_base_seconds,
            max_delay=settings.provider_retry_max_seconds, max_retry_after=settings.provider_retry_after_cap_seconds,
            breaker_threshold=settings.circuit_failure_threshold, breaker_cooldown=settings.circuit_cooldown_seconds))
        self.warmup = Warmup(upstreams, settings.warmup_hold_seconds, settings.warmup_poll_seconds,
                             settings.default_warmup_seconds, settings.warmup_max_held_per_model)
        self.demand = Demand(DemandRecorder(usage.redis))
        self.prompt_audit = PromptAudit(upstreams)

    async def close_background(self) -> None:
        await cancel_and_wait(*self.background)
        await self.warmup.close()

    async def close(self) -> None:
        """Stop background work, flush pending usage, close every client; the gRPC channels last (flushing usage may
        still call metering) and whatever failed before."""
        try:
            await self.close_background()
            await self.prompt_audit.drain()
            await self.usage.drain()
            if self.phi is not None:
                await self.phi.close()
            if self.request_log is not None:
                await self.request_log.drain()
            await self.usage.redis.aclose()
            await self.providers.close()
            await self.context.close()
        finally:
            await self.up.close()

    async def authenticate(self, credential: auth_pb2.AuthenticateRequest) -> common_pb2.Principal:
        key = self.auth_cache.key(credential)
        hit = self.auth_cache.get(key)
        if hit is None:
            decision = await self._authenticating.run(key, lambda: call(self.up.auth.Authenticate(credential), "auth"))
            principal, token = decision.principal, decision.principal_token
            self.auth_cache.put(key, principal, decision.tenant_settings, token)
        else:
            principal, token = hit
        set_tenant(principal.tenant_id)
        # Every call made for this request from here on acts for this principal (services/runtime/service_auth.py).
        principal_token_var.set(token or None)
        request_record.note_principal(principal)
        return principal

    async def _admit(self, principal: common_pb2.Principal, model: registry_pb2.Model, prompt_tokens: int,
                     max_output_tokens: int, field: str = "max_tokens") -> Reservation:
        return await self.gate.admit(principal, current_gateway_id(), model=model, prompt_tokens=prompt_tokens,
                                     max_output_tokens=max_output_tokens, field=field)

    async def _admitted(self, admitting, sanitizing) -> tuple[Reservation, phi_pb2.SanitizeResponse | None]:
        """Admission and sanitization run concurrently; a failure of either (or the client leaving) stops the request
        before the provider, and a reservation taken meanwhile is given back at once."""
        admit_task = asyncio.ensure_future(admitting)
        try:
            admitted, sanitized = await asyncio.gather(asyncio.shield(admit_task), sanitizing, return_exceptions=True)
        except BaseException:  # cancelled: admission may still finish, and what it reserved must not linger
            admit_task.add_done_callback(self._release_finished)
            raise
        for outcome in (admitted, sanitized):
            if isinstance(outcome, BaseException):
                if isinstance(admitted, Reservation):
                    self.gate.release(admitted)
                raise outcome
        return admitted, sanitized

    def _release_finished(self, task: asyncio.Future) -> None:
        if not task.cancelled() and task.exception() is None:
            self.gate.release(task.result())

    async def _sanitize(self, tenant: str, texts: list[str], req: ChatCompletionRequest,
                        groups: list[int] | None = None) -> phi_pb2.SanitizeResponse | None:
        """None means: send as is (the tenant disabled PHI protection and the phi service is down). ``groups``: see
        SanitizeRequest.text_groups."""
        options = phi_pb2.SanitizeOptions(categories=req.phi_categories or [])
        if req.enable_phi is not None:
            options.enable_phi = req.enable_phi
        request = phi_pb2.SanitizeRequest(tenant_id=tenant, texts=texts, options=options,
                                          session_id=req.session_id or "", text_groups=groups or [])
        try:
            if self.phi is not None:
                resp = await self.phi.sanitize(request)
            else:
                resp = await call(self.up.phi.Sanitize(request, timeout=self.settings.phi_timeout_ms / 1000), "phi")
        except RadiantError as exc:
            if exc.http_status < 500:
                raise
            if await self._protection_disabled(tenant):
                return None
            log.error("phi unavailable; failing closed", extra={"error_code": exc.code})
            raise ServiceUnavailableError("PHI protection is unavailable, so the request was not sent to the "
                                          "model provider; retry shortly") from None
        return resp

    async def _protection_disabled(self, tenant: str) -> bool:
        """Whether phi recorded this tenant's policy as `disabled` (phi's Redis marker, read through phi's own code;
        nothing is remembered here, so a policy switched on is enforced at once). Unknown means protected."""
        try:
            return await protection.is_disabled(self.usage.redis, tenant)
        except RedisError:
            return False

    async def prepare(self, principal: common_pb2.Principal, req: ChatCompletionRequest) -> Prepared:
        """Everything before the provider: model, admission, sanitization, the upstream body."""
        started = time.perf_counter()
        tenant_settings = await policies.tenant_settings(self.auth_cache, self.up, principal.tenant_id)
        request_record.note_tenant_settings(tenant_settings)
        req.model, req.session_id = policies.resolve_model(tenant_settings, req.model), session_id(req.session_id)
        model, provider = await self.catalog.model(req.model)
        request_record.note_model(model, provider, req.session_id, bool(req.stream))
        if req.stream and not model.supports_streaming:
            raise ValidationError(f"The model '{req.model}' does not support streaming",
                                  details={"stream": ["not supported by this model"]})
        req.check_model(model)
        messages = [m.upstream() for m in req.messages]
        max_tokens = policies.enforce(tenant_settings, req, model, provider, messages)
        body = build_body(req, model, messages, max_tokens, principal.tenant_id)
        fields = ForwardedTexts.collect(body)  # every forwarded free-text field, messages first
        texts = fields.texts
        prompt_estimate = sum(len(t) for t in texts) // 4
        try:
            reservation, sanitized = await self._admitted(self._admit(
                principal, model, prompt_estimate, worst_case_output(model, max_tokens, prompt_estimate),
                "max_completion_tokens" if req.max_completion_tokens else "max_tokens"),
                self._sanitize(principal.tenant_id, texts, req, fields.groups) if texts else _none())
        except RadiantError as err:
            raise relabel(err, fields.paths) from None
        try:
            if sanitized is not None:
                fields.apply(list(sanitized.texts), _categories(sanitized))
                self.prompt_audit.flag(principal, list(sanitized.injection), fields.paths)
            tool_call_ids = mint_tool_call_ids(messages, fields.phi_ids)
            request_record.note_sanitized(sanitized, messages)
            turn = self.sessions.start_turn(req.session_id, messages)  # sanitized, before any injected context
            body["messages"] = await self.context.inject(tenant_settings, principal.tenant_id, messages)
        except BaseException:
            self.gate.release(reservation)
            raise
        restore = dict(sanitized.restore) if sanitized is not None else {}
        return Prepared(principal, req, model, provider, body, sanitized.mapping_id if sanitized else "", restore,
                        started, tenant_settings, turn, current_gateway_id(), current_request_id() or "",
                        reservation, tool_call_ids)

    async def chat(self, principal: common_pb2.Principal, req: ChatCompletionRequest) -> ChatOutcome:
        p = await self.prepare(principal, req)

        async def ask(target: Target) -> dict:
            client, api_key = await self.providers.get(target.provider, target.model)
            return await client.chat(_body_for(p, target), api_key)

        try:
            async with self.demand.request() as demand:
                target, answer = await self.resilience.first_answer(self._targets(p), ask, self._ready_for(demand))
            p = replace(p, model=target.model, provider=target.provider)  # named and billed as the model that answered
            choices = answer.get("choices")
            if not isinstance(choices, list):
                raise ProviderError(f"Provider '{p.provider.id}' returned no choices")
            out_msgs = [c.get("message") or {} for c in choices]
            out_texts, out_slots = _collect_texts(out_msgs)
            usage = answer.get("usage") or {}
            prompt_tokens = int(usage.get("prompt_tokens") or 0) or tokens.count_prompt(p.body["messages"])
            completion_tokens = int(usage.get("completion_tokens") or 0) or tokens.count_completion("".join(out_texts))
        except BaseException:
            self.gate.release(p.reservation)
            raise
        self._record_usage(p, prompt_tokens, completion_tokens, "chat.completion")
        request_record.note_answer(choices[0].get("finish_reason") if choices else None, "".join(out_texts))
        await self.sessions.finish_turn(p, out_msgs[0] if out_msgs else None)  # stored before PHI is restored
        if p.restore:
            _put_texts(out_msgs, out_slots, [reidentify(t, p.restore)[0] for t in out_texts])
        for msg in out_msgs:
            restore_tool_call_ids(msg.get("tool_calls"), p.tool_call_ids)
        response = {
            "id": answer.get("id") or f"chatcmpl-{uuid.uuid4().hex}",
            "object": "chat.completion",
            "created": int(answer.get("created") or time.time()),
            "model": p.model.name,
            "choices": choices,
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
        }
        return ChatOutcome(response, p.mapping_id)

    async def stream(self, p: Prepared, include_usage: bool, keepalive: bool = False) -> AsyncIterator[dict]:
        """OpenAI chunks with the PHI restored as they stream. Retries and fallbacks happen only until the first
        chunk arrives. Usage comes from the provider's final usage chunk (always requested upstream) or is counted
        from what was generated, also when the stream breaks or the client leaves (the upstream is then closed).
        With `keepalive`, KEEPALIVE is yielded as soon as a warm-up holds the request and every
        warmup_keepalive_seconds after, until the first chunk."""
        # Only a self-hosted model is held for a warm-up (its fallbacks, if held, wait without keep-alives).
        keepalive = keepalive and is_self_hosted(p.model)
        async with self.demand.request() as demand:
            async for chunk in self._stream(p, include_usage, keepalive, demand):
                yield chunk

    async def _open_stream(self, p: Prepared, keepalive: bool, demand: RequestDemand,
                           open_stream) -> AsyncIterator[tuple | None]:
        """Yields None while a warm-up holds the request (keep-alive ticks), then (target, (chunks, first chunk)).
        Keep-alives need the opening in a task of its own; without them it runs inline, as every other call does."""
        if not keepalive:
            yield await self.resilience.first_answer(self._targets(p), open_stream, self._ready_for(demand))
            return
        held = asyncio.Event()
        opening = asyncio.ensure_future(self.resilience.first_answer(
            self._targets(p), open_stream, self._ready_for(demand, held.set)))
        try:
            while not opening.done():
                if held.is_set():
                    await asyncio.wait({opening}, timeout=self.settings.warmup_keepalive_seconds)
                else:
                    held_wait = asyncio.ensure_future(held.wait())
                    try:
                        await asyncio.wait({opening, held_wait}, return_when=asyncio.FIRST_COMPLETED)
                    finally:
                        held_wait.cancel()
                if not opening.done():
                    yield None
            opened = await opening
        except BaseException:
            if not opening.done():
                await cancel_and_wait(opening)
            elif not opening.cancelled() and opening.exception() is None:
                await opening.result()[1][0].aclose()  # opened just as the client left
            raise
        yield opened

    async def _stream(self, p: Prepared, include_usage: bool, keepalive: bool,
                      demand: RequestDemand) -> AsyncIterator[dict]:

        async def open_stream(target: Target) -> tuple[AsyncIterator[dict], dict | None]:
            client, api_key = await self.providers.get(target.provider, target.model)
            body = {**_body_for(p, target), "stream": True, "stream_options": {"include_usage": True}}
            chunks = aiter(client.stream_chat(body, api_key))
            try:
                return chunks, await anext(chunks, None)
            except BaseException:
                await chunks.aclose()
                raise

        try:
            async with aclosing(self._open_stream(p, keepalive, demand, open_stream)) as opener:
                async for opened in opener:
                    if opened is None:
                        yield KEEPALIVE
            target, (chunks, chunk) = opened
            request_record.note_first_token()
        except BaseException:
            self.gate.release(p.reservation)  # nothing was generated: give back what admission reserved
            raise
        p = replace(p, model=target.model, provider=target.provider)
        relay = StreamRelay(p.restore, p.tool_call_ids)
        usage: dict = {}
        finish_reason = None
        chunk_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        try:
            while chunk is not None:
                chunk_id, created = chunk.get("id") or chunk_id, int(chunk.get("created") or created)
                usage = chunk.pop("usage", None) or usage
                if chunk.get("choices"):
                    finish_reason = chunk["choices"][0].get("finish_reason") or finish_reason
                    relay.relay(chunk)
                    chunk["model"] = p.model.name
                    yield chunk
                chunk = await anext(chunks, None)
            await self.sessions.finish_turn(p, {"role": "assistant", "content": relay.produced_text})
        except RadiantError as err:
            request_record.note_error(err)
            if is_retryable(err):
                self.resilience.breaker(p.provider).failure()
            raise
        finally:
            await chunks.aclose()  # the client left or the stream ended: stop reading the upstream
            produced = relay.produced_text
            prompt = int(usage.get("prompt_tokens") or 0) or tokens.count_prompt(p.body["messages"])
            completion = int(usage.get("completion_tokens") or 0) or tokens.count_completion(produced)
            self._record_usage(p, prompt, completion, "chat.completion.stream")
            request_record.note_answer(finish_reason, produced)
        if include_usage:
            yield {"id": chunk_id, "object": "chat.completion.chunk", "created": created, "model": p.model.name,
                   "choices": [], "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                                            "total_tokens": prompt + completion}}

    async def _targets(self, p: Prepared) -> AsyncIterator[Target]:
        """The requested model, then its fallback chain (models that cannot serve this request are skipped)."""
        yield Target(p.model, p.provider)
        for name in p.model.fallback_models:
            try:
                model, provider = await self.catalog.model(name)
            except RadiantError as exc:
                log.warning("fallback model skipped", extra={"model": name, "error_code": exc.code})
                continue
            if p.req.stream and not model.supports_streaming:
                continue
            if p.tenant_settings is not None and not policies.allowed_model(p.tenant_settings, model, provider):
                continue
            yield Target(model, provider)

    def _ready_for(self, demand: RequestDemand, on_hold=None):
        """`ready` for Resilience.first_answer: waits out a warm-up (holding the request when configured), then
        counts the request in flight on the model (self-hosted ones) for the operator."""

        async def ready(target: Target) -> Target:
            model = await self.warmup.ready(target.model, demand=demand, on_hold=on_hold)
            await demand.started(model)
            return target if model is target.model else Target(model, target.provider)

        return ready

    def _record_usage(self, p: Prepared, prompt_tokens: int, completion_tokens: int, request_type: str) -> None:
        """The usage event (keyed by the gateway's id, never the client's) and, in the same Redis round trip, the
        settlement of the request's reservation with what it really used."""
        reservation = p.reservation
        if reservation is not None:
            reservation.open = False
        record = metering_pb2.RecordUsageRequest(
            request_id=p.request_id or current_gateway_id(), client_request_id=p.client_request_id,
            tenant_id=p.principal.tenant_id, user_id=p.principal.user_id, app_id=p.principal.app_id,
            key_id=p.principal.key_id, session_id=p.req.session_id or "", model_id=p.model.id,
            provider_id=p.provider.id,
            usage=common_pb2.TokenUsage(prompt_tokens=prompt_tokens, completion_tokens=completion_tokens,
                                        total_tokens=prompt_tokens + completion_tokens),
            pricing=p.model.pricing, request_type=request_type,
            latency_ms=int((time.perf_counter() - p.started) * 1000), status="success",
            uncounted=reservation is not None and reservation.decision.uncounted)
        if reservation is not None and reservation.decision.held:
            self.usage.record(record, reservation.scopes, billed_pico(prompt_tokens, completion_tokens, p.model.pricing))
        else:
            self.usage.record(record)
        request_record.note_usage(p.model, p.provider, prompt_tokens, completion_tokens)

    async def embed(self, principal: common_pb2.Principal, req: EmbeddingRequest) -> dict:
        """OpenAI embeddings. The inputs pass admission and the PHI sanitizer exactly as chat messages do (fail
        closed); the vectors need no re-identification. Never falls back to another model: its vectors would live
        in a different space."""
        started = time.perf_counter()
        model, provider = await self.catalog.model(req.model)
        request_record.note_model(model, provider)
        req.check_model(model)
        tenant_settings = await policies.tenant_settings(self.auth_cache, self.up, principal.tenant_id)
        request_record.note_tenant_settings(tenant_settings)
        policies.check_access(tenant_settings, model, provider)
        texts = req.texts()
        prompt_estimate = sum(len(t) for t in texts) // 4
        paths = [f"input[{i}]" for i in range(len(texts))] if len(texts) > 1 else ["input"]
        try:
            # each input is a document of its own: no detection across inputs
            reservation, sanitized = await self._admitted(
                self._admit(principal, model, prompt_estimate, 0, "input"),
                self._sanitize(principal.tenant_id, texts, req, list(range(len(texts)))))
        except RadiantError as err:
            raise relabel(err, paths) from None
        if sanitized is not None:
            texts = list(sanitized.texts)
            self.prompt_audit.flag(principal, list(sanitized.injection), paths)
        request_record.note_sanitized(sanitized)
        body: dict = {"model": model.upstream_model or model.name, "input": texts,
                      "encoding_format": req.encoding_format}
        if req.dimensions is not None:
            body["dimensions"] = req.dimensions
        if req.user:
            body["user"] = _pseudonym(principal.tenant_id, req.user)

        async def ask(target: Target) -> dict:
            client, api_key = await self.providers.get(target.provider, target.model)
            return await client.embeddings({**body, "model": target.model.upstream_model or target.model.name},
                                           api_key)

        async def only_this_model() -> AsyncIterator[Target]:
            yield Target(model, provider)

        try:
            async with self.demand.request() as demand:
                target, answer = await self.resilience.first_answer(only_this_model(), ask, self._ready_for(demand))
            model = target.model
            vectors = _embedding_vectors(answer, len(texts), target.provider.id)
        except BaseException:
            self.gate.release(reservation)
            raise
        usage = answer.get("usage") if isinstance(answer.get("usage"), dict) else {}
        reported = usage.get("prompt_tokens")
        prompt_tokens = reported if isinstance(reported, int) and reported > 0 else \
            sum(tokens.count_text(t) for t in texts)
        self._record_usage(Prepared(principal, req, model, provider, body, sanitized.mapping_id if sanitized else "",
                                    {}, started, request_id=current_gateway_id(),
                                    client_request_id=current_request_id() or "", reservation=reservation),
                           prompt_tokens, 0, "embedding")
        return {"object": "list", "model": model.name,
                "data": [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)],
                "usage": {"prompt_tokens": prompt_tokens, "total_tokens": prompt_tokens}}

    async def limits(self, principal: common_pb2.Principal) -> metering_pb2.LimitsStatus:
        return await self.gate.status(principal)

    async def usage_report(self, tenant_id: str, start: datetime, end: datetime):
        return await call(self.up.metering.GetUsageReport(metering_pb2.UsageReportRequest(
            tenant_id=tenant_id, start=to_ts(start), end=to_ts(end))), "metering")
