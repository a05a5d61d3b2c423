"""What the Bedrock and SageMaker adapters share: region and config from the registry provider, SigV4 signing with
botocore (credentials from its default chain: env, web identity / IRSA, container or instance role; resolved once,
refreshed by botocore when they expire), one pooled keep-alive HTTP session, AWS error bodies and event-stream
exceptions mapped to the taxonomy."""
from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import botocore.session
import orjson
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import RefreshableCredentials, ReadOnlyCredentials
from yarl import URL

from radiant.registry.v1 import registry_pb2
from services.router.formats import aws_eventstream
from services.router.providers.base import Timeouts, provider_config, status_error
from services.router.providers.http import ProviderHttp
from services.runtime.errors import ProviderError, RadiantError, ServiceUnavailableError

_REGION_IN_HOST = re.compile(r"\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com$")
# Error types that mean "slow down" or "try again shortly", whatever HTTP status carried them (some AWS services
# answer throttling with 400).
_THROTTLED = {"ThrottlingException", "ThrottledException", "TooManyRequestsException", "ModelNotReadyException"}
_UNAVAILABLE = {"ServiceUnavailableException", "ServiceUnavailable", "InternalServerException", "InternalFailure",
                "ModelTimeoutException", "InternalDependencyException", "InternalStreamFailure"}


def region_of(provider: registry_pb2.Provider) -> str:
    region = provider_config(provider).get("region")
    if not region:
        match = _REGION_IN_HOST.search(urlsplit(provider.base_url).hostname or "")
        region = match.group(1) if match else None
    if not region:
        raise ServiceUnavailableError(f"Provider '{provider.id}' has no AWS region: set config.region")
    return region


def aws_error(name: str, status: int, error_type: str | None, retry_after: str | None = None) -> RadiantError:
    """Taxonomy error for an AWS failure. The error type (never the message, which may quote the prompt) is kept."""
    error_type = (error_type or "").strip()
    if error_type[:1].islower():  # event-stream exception members are camelCase ("throttlingException")
        error_type = error_type[0].upper() + error_type[1:]
    if error_type in _THROTTLED:
        status = 429
    elif error_type in _UNAVAILABLE:
        status = 503
    err = status_error(name, max(status, 400), retry_after) or ProviderError()
    if error_type:
        err.message = f"{err.message} ({error_type})"
        err.args = (err.message,)
    return err


def error_type_of(headers: Any, payload: bytes) -> str | None:
    """`x-amzn-errortype` ("ValidationException:http://...") or the body's `__type` ("ns#ValidationException")."""
    value = headers.get("x-amzn-errortype")
    if not value:
        try:
            body = orjson.loads(payload)
            value = body.get("__type") or body.get("code") if isinstance(body, dict) else None
        except orjson.JSONDecodeError:
            value = None
    if not value:
        return None
    return str(value).split(":", 1)[0].rsplit("#", 1)[-1]


def _original_status(payload: bytes) -> int | None:
    try:
        body = orjson.loads(payload)
        return int(body["OriginalStatusCode"])
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return None


class AwsSigner:
    def __init__(self, service: str, region: str, name: str) -> None:
        self.service, self.region, self.name = service, region, name
        self._credentials = None
        self._lock = asyncio.Lock()

    async def _frozen(self) -> ReadOnlyCredentials:
        if self._credentials is None:
            async with self._lock:
                if self._credentials is None:
                    # The chain may query instance metadata or STS: never on the event loop.
                    self._credentials = await asyncio.to_thread(botocore.session.get_session().get_credentials)
        if self._credentials is None:
            raise ServiceUnavailableError(f"Provider '{self.name}' has no AWS credentials (environment, web "
                                          "identity or instance role)")
        creds = self._credentials
        if isinstance(creds, RefreshableCredentials) and creds.refresh_needed():
            return await asyncio.to_thread(creds.get_frozen_credentials)
        return creds.get_frozen_credentials()

    async def sign(self, url: str, body: bytes, headers: dict[str, str]) -> dict[str, str]:
        request = AWSRequest(method="POST", url=url, data=body, headers=headers)
        SigV4Auth(await self._frozen(), self.service, self.region).add_auth(request)
        return dict(request.headers.items())


class AwsClient:
    """One provider endpoint: signed POSTs over a pooled keep-alive aiohttp session. A credential given by the pool
    (AUTH_TYPE_API_KEY: a Bedrock API key) is sent as `Authorization: Bearer` instead of a SigV4 signature."""

    def __init__(self, provider: registry_pb2.Provider, timeouts: Timeouts, service: str) -> None:
        self.name = provider.id
        self.base_url = provider.base_url.rstrip("/")
        self.signer = AwsSigner(service, region_of(provider), provider.id)
        self.http = ProviderHttp(provider.id, timeouts, on_error=self._error)

    def _error(self, resp: aiohttp.ClientResponse, payload: bytes) -> RadiantError:
        error_type = error_type_of(resp.headers, payload)
        status = resp.status
        if error_type == "ModelError":  # SageMaker: the container's own status says what happened
            status = _original_status(payload) or status
        return aws_error(self.name, status, error_type, resp.headers.get("retry-after"))

    @asynccontextmanager
    async def post(self, path: str, body: bytes, headers: dict[str, str], *, stream: bool,
                   bearer: str | None = None) -> AsyncIterator[aiohttp.ClientResponse]:
        """`path` is already percent-encoded; it is signed and sent byte for byte as given."""
        url = self.base_url + path
        if bearer:
            headers = {**headers, "authorization": f"Bearer {bearer}"}
        else:
            headers = await self.signer.sign(url, body, headers)
        async with self.http.post(URL(url, encoded=True), body, headers, stream=stream) as resp:
            yield resp

    async def events(self, resp: aiohttp.ClientResponse) -> AsyncIterator[tuple[str, bytes]]:
        """(event type, payload) of an application/vnd.amazon.eventstream body; exception messages raise."""
        try:
            async for message in aws_eventstream.decode(resp.content.iter_any()):
                kind = message.headers.get(":message-type")
                if kind == "event":
                    yield message.headers.get(":event-type", ""), message.payload
                else:
                    # Mid-stream failures are the model's unless their type says throttled or unavailable.
                    raise aws_error(self.name, 424, message.headers.get(":exception-type")
                                    or message.headers.get(":error-code"))
        except aws_eventstream.ParserError:
            raise ProviderError(f"Provider '{self.name}' sent a corrupt event stream") from None

    async def close(self) -> None:
        await self.http.close()


def not_json(name: str) -> ProviderError:
    return ProviderError(f"Provider '{name}' returned a response that is not JSON")
