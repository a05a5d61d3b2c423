"""The error taxonomy of the seed, mapped once to HTTP status, gRPC status, the /api/v2 envelope and OpenAI's error shape."""
from __future__ import annotations

from typing import Any, ClassVar

import grpc

from radiant.common.v1 import common_pb2

ERROR_TRAILER = "radiant-error-bin"


class RadiantError(Exception):
    code: ClassVar[str] = "INTERNAL_ERROR"
    http_status: ClassVar[int] = 500
    grpc_status: ClassVar[grpc.StatusCode] = grpc.StatusCode.INTERNAL
    openai_type: ClassVar[str] = "api_error"
    default_message: ClassVar[str] = "An unexpected error occurred"

    def __init__(self, message: str | None = None, *, details: dict[str, list[str]] | None = None,
                 retry_after: int | None = None, headers: dict[str, str] | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)
        self.details = details or {}
        self.retry_after = retry_after
        self.headers = dict(headers or {})
        if retry_after is not None:
            self.headers.setdefault("Retry-After", str(retry_after))

    # --- REST shapes -------------------------------------------------------
    def to_openai(self) -> dict[str, Any]:
        param = next(iter(self.details), None)
        body: dict[str, Any] = {"message": self.message, "type": self.openai_type, "param": param,
                                "code": self.code.lower()}
        if self.details:
            body["details"] = self.details
        return {"error": body}

    def to_envelope(self, request_id: str | None = None) -> dict[str, Any]:
        err: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            err["details"] = self.details
        return {"success": False, "error": err, "meta": {"requestId": request_id}}

    # --- gRPC --------------------------------------------------------------
    def to_error_info(self) -> common_pb2.ErrorInfo:
        info = common_pb2.ErrorInfo(code=self.code, message=self.message, retry_after_seconds=self.retry_after or 0)
        for field, msgs in self.details.items():
            info.details[field].messages.extend(msgs)
        return info

    def trailing_metadata(self) -> tuple[tuple[str, bytes], ...]:
        return ((ERROR_TRAILER, self.to_error_info().SerializeToString()),)


class ValidationError(RadiantError):
    code, http_status, grpc_status, openai_type = "VALIDATION_ERROR", 400, grpc.StatusCode.INVALID_ARGUMENT, "invalid_request_error"
    default_message = "Invalid request"


class PayloadTooLargeError(ValidationError):
    http_status = 413
    default_message = "Request body is too large"


class SensitiveDataError(RadiantError):
    code, http_status, grpc_status, openai_type = "SENSITIVE_DATA_DETECTED", 400, grpc.StatusCode.INVALID_ARGUMENT, "invalid_request_error"
    default_message = "The request contains secrets and the tenant policy rejects such requests"


class PiiDetectedError(RadiantError):
    """The tenant's PHI policy blocks requests holding PHI instead of redacting it; details name categories and
    positions, never the values."""
    code, http_status, grpc_status, openai_type = "PII_DETECTED", 400, grpc.StatusCode.INVALID_ARGUMENT, "invalid_request_error"
    default_message = "The request contains PHI and the tenant policy refuses such requests"


class PromptInjectionError(RadiantError):
    code, http_status, grpc_status, openai_type = "PROMPT_INJECTION_DETECTED", 400, grpc.StatusCode.INVALID_ARGUMENT, "invalid_request_error"
    default_message = "The request looks like a prompt injection and the tenant policy refuses such requests"


class UnauthorizedError(RadiantError):
    code, http_status, grpc_status, openai_type = "UNAUTHORIZED", 401, grpc.StatusCode.UNAUTHENTICATED, "authentication_error"
    default_message = "Authentication required"


class ForbiddenError(RadiantError):
    code, http_status, grpc_status, openai_type = "FORBIDDEN", 403, grpc.StatusCode.PERMISSION_DENIED, "permission_error"
    default_message = "Access denied"


class NotFoundError(RadiantError):
    code, http_status, grpc_status, openai_type = "NOT_FOUND", 404, grpc.StatusCode.NOT_FOUND, "not_found_error"
    default_message = "Resource not found"


class ConflictError(RadiantError):
    code, http_status, grpc_status, openai_type = "CONFLICT", 409, grpc.StatusCode.ALREADY_EXISTS, "conflict_error"
    default_message = "Conflict"


class UnprocessableError(RadiantError):
    code, http_status, grpc_status, openai_type = "UNPROCESSABLE_ENTITY", 422, grpc.StatusCode.FAILED_PRECONDITION, "invalid_request_error"
    default_message = "Unprocessable entity"


class RateLimitError(RadiantError):
    code, http_status, grpc_status, openai_type = "RATE_LIMITED", 429, grpc.StatusCode.RESOURCE_EXHAUSTED, "rate_limit_error"
    default_message = "Rate limit exceeded"


class BudgetExceededError(RateLimitError):
    """A spent cost cap: 429 like a rate limit (SDKs raise their rate-limit error), with its own code, until the
    budget's period ends."""
    code, openai_type = "BUDGET_EXCEEDED", "insufficient_quota"
    default_message = "Budget exceeded"


class InternalError(RadiantError):
    pass


class ProviderError(RadiantError):
    code, http_status, grpc_status, openai_type = "PROVIDER_ERROR", 502, grpc.StatusCode.UNKNOWN, "api_error"
    default_message = "The model provider returned an error"


class ServiceUnavailableError(RadiantError):
    code, http_status, grpc_status, openai_type = "SERVICE_UNAVAILABLE", 503, grpc.StatusCode.UNAVAILABLE, "api_error"
    default_message = "Service temporarily unavailable"


BY_CODE: dict[str, type[RadiantError]] = {
    cls.code: cls for cls in (ValidationError, SensitiveDataError, PiiDetectedError, PromptInjectionError,
                              UnauthorizedError, ForbiddenError, NotFoundError, ConflictError, UnprocessableError,
                              RateLimitError, BudgetExceededError, InternalError, ProviderError,
                              ServiceUnavailableError)
}

# Used when a peer answered without our trailer (e.g. a proxy, or a crash before our interceptor).
_BY_GRPC_STATUS: dict[grpc.StatusCode, type[RadiantError]] = {
    grpc.StatusCode.INVALID_ARGUMENT: ValidationError,
    grpc.StatusCode.OUT_OF_RANGE: ValidationError,
    grpc.StatusCode.UNAUTHENTICATED: UnauthorizedError,
    grpc.StatusCode.PERMISSION_DENIED: ForbiddenError,
    grpc.StatusCode.NOT_FOUND: NotFoundError,
    grpc.StatusCode.ALREADY_EXISTS: ConflictError,
    grpc.StatusCode.ABORTED: ConflictError,
    grpc.StatusCode.FAILED_PRECONDITION: UnprocessableError,
    grpc.StatusCode.RESOURCE_EXHAUSTED: RateLimitError,
    grpc.StatusCode.UNAVAILABLE: ServiceUnavailableError,
    grpc.StatusCode.DEADLINE_EXCEEDED: ServiceUnavailableError,
    grpc.StatusCode.CANCELLED: ServiceUnavailableError,
}


def from_grpc_error(exc: grpc.aio.AioRpcError, service: str = "upstream service") -> RadiantError:
    """Turn a failed gRPC call back into the taxonomy, using our trailer when the peer sent one."""
    for key, value in exc.trailing_metadata() or ():
        if key == ERROR_TRAILER:
            info = common_pb2.ErrorInfo.FromString(value)
            cls = BY_CODE.get(info.code, InternalError)
            details = {k: list(v.messages) for k, v in info.details.items()}
            return cls(info.message, details=details, retry_after=info.retry_after_seconds or None)
    cls = _BY_GRPC_STATUS.get(exc.code(), InternalError)
    if cls is ServiceUnavailableError:
        return ServiceUnavailableError(f"{service} is unavailable")
    if cls is InternalError:
        return InternalError(f"{service} failed")
    return cls(exc.details() or None)
