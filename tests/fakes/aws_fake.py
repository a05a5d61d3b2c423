"""What the local AWS fakes (Bedrock Runtime, SageMaker Runtime) share: an aiohttp server on an ephemeral port,
SigV4 verification with botocore against the test credentials, AWS error responses (`x-amzn-errortype` header and a
JSON body), request recording and a script of injected failures."""
from __future__ import annotations

import datetime
import hmac
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import web
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

_AUTH = re.compile(r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/(?P<service>[^/]+)"
                   r"/aws4_request, ?SignedHeaders=(?P<signed>[^,]+), ?Signature=(?P<signature>[0-9a-f]{64})$")
MAX_SKEW = datetime.timedelta(minutes=15)


@dataclass
class Failure:
    """An injected failure: an AWS error response, or (mid_stream) an event-stream exception after `after` events."""
    status: int
    error_type: str
    message: str = "injected failure"
    retry_after: str | None = None
    mid_stream: bool = False
    after: int = 1
    extra: dict[str, Any] = field(default_factory=dict)


def error_response(status: int, error_type: str, message: str, *, message_key: str = "message",
                   headers: dict[str, str] | None = None, **extra: Any) -> web.Response:
    return web.Response(status=status, body=orjson.dumps({message_key: message, **extra}),
                        content_type="application/json",
                        headers={"x-amzn-errortype": f"{error_type}:http://internal.amazon.com/coral/com.amazon.fake/",
                                 "x-amzn-requestid": "fake-request-id", **(headers or {})})


def check_sigv4(request: web.Request, body: bytes, secret_for: Callable[[str], str | None],
                service: str) -> str | None:
    """None when the Authorization header is a valid SigV4 signature for `service` by a key `secret_for` knows;
    otherwise why not (AWS's own wording where it has one)."""
    header = request.headers.get("authorization", "")
    match = _AUTH.match(header)
    if match is None:
        return "Missing Authentication Token"
    secret_key = secret_for(match["key"])
    if secret_key is None:
        return "The security token included in the request is invalid."
    if match["service"] != service:
        return f"Credential should be scoped to correct service: '{service}'."
    amz_date = request.headers.get("x-amz-date", "")
    try:
        signed_at = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        return "X-Amz-Date is missing or malformed"
    if abs(datetime.datetime.now(datetime.timezone.utc) - signed_at) > MAX_SKEW or amz_date[:8] != match["date"]:
        return "Signature expired"
    signed = match["signed"].split(";")
    if "host" not in signed:
        return "'Host' must be a signed header"
    aws_request = AWSRequest(method=request.method, url=f"http://{request.host}{request.raw_path}", data=body,
                             headers={name: request.headers.get(name, "") for name in signed})
    aws_request.context["timestamp"] = amz_date
    signer = SigV4Auth(Credentials(match["key"], secret_key), service, match["region"])
    canonical = signer.canonical_request(aws_request)
    expected = signer.signature(signer.string_to_sign(aws_request, canonical), aws_request)
    if not hmac.compare_digest(expected, match["signature"]):
        return ("The request signature we calculated does not match the signature you provided. Check your AWS "
                "Secret Access Key and signing method.")
    return None


class AwsFakeServer:
    service = ""

    def __init__(self, access_key: str = "AKIDFAKEEXAMPLE", secret_key: str = "fake-secret-key",
                 bearer_token: str | None = None, secret_for: Callable[[str], str | None] | None = None) -> None:
        """`secret_for` (access key id -> secret) accepts keys issued elsewhere, e.g. by STS."""
        self.access_key, self.secret_key, self.bearer_token = access_key, secret_key, bearer_token
        self.secret_for = secret_for or (lambda key: secret_key if key == access_key else None)
        self.requests: list[dict[str, Any]] = []
        self.failures: deque[Failure] = deque()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    def routes(self) -> list[web.RouteDef]:
        raise NotImplementedError

    def fail(self, status: int, error_type: str, message: str = "injected failure", **kw: Any) -> None:
        self.failures.append(Failure(status, error_type, message, **kw))

    async def start(self) -> "AwsFakeServer":
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.add_routes(self.routes())
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def admit(self, request: web.Request, **record: Any) -> tuple[Any, web.Response | None]:
        """Read, record and authenticate a request; returns (parsed JSON body or None, early error response)."""
        raw = await request.read()
        try:
            body = orjson.loads(raw)
        except orjson.JSONDecodeError:
            body = None
        self.requests.append({"path": request.raw_path, "headers": dict(request.headers), "body": body,
                              "raw": raw, **record})
        authorization = request.headers.get("authorization", "")
        if authorization.startswith("Bearer "):
            if self.bearer_token is None or not hmac.compare_digest(authorization[7:], self.bearer_token):
                return body, error_response(403, "UnrecognizedClientException", "Invalid API key")
        else:
            problem = check_sigv4(request, raw, self.secret_for, self.service)
            if problem is not None:
                kind = "MissingAuthenticationTokenException" if problem.startswith("Missing") else \
                    "InvalidSignatureException" if "signature" in problem.lower() else "UnrecognizedClientException"
                return body, error_response(403, kind, problem)
        return body, None

    def next_failure(self, streaming: bool) -> Failure | None:
        """The next scripted failure that applies to this kind of call (mid-stream ones only to streams)."""
        if self.failures and (streaming or not self.failures[0].mid_stream):
            return self.failures.popleft()
        return None


def failure_response(failure: Failure, message_key: str = "message") -> web.Response:
    headers = {"Retry-After": failure.retry_after} if failure.retry_after else None
    return error_response(failure.status, failure.error_type, failure.message, message_key=message_key,
                          headers=headers, **failure.extra)
