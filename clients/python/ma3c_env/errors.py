"""One Python exception per gRPC status code the environment service uses.

Errors about one request (a bad action, a step before reset) come back in-band and leave the
session usable; errors that end the session (unknown game, session limit, idle timeout, a
server going away) end the gRPC stream. Both surface as the same exceptions.
"""

import grpc


class EnvServiceError(Exception):
    """Base class: `code` is the grpc.StatusCode, `details` the server's message."""

    code = grpc.StatusCode.UNKNOWN

    def __init__(self, details: str, code: grpc.StatusCode = None):
        super().__init__(details)
        self.details = details
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return f"{self.code.name}: {self.details}"


class GameNotFoundError(EnvServiceError, LookupError):
    """NOT_FOUND: no such game, or its ROM is missing or not one ALE supports."""
    code = grpc.StatusCode.NOT_FOUND


class InvalidArgumentError(EnvServiceError, ValueError):
    """INVALID_ARGUMENT: an action out of range, a bad config value, a malformed request."""
    code = grpc.StatusCode.INVALID_ARGUMENT


class FailedPreconditionError(EnvServiceError):
    """FAILED_PRECONDITION: step before reset, or after the episode ended (reset first)."""
    code = grpc.StatusCode.FAILED_PRECONDITION


class ResourceExhaustedError(EnvServiceError):
    """RESOURCE_EXHAUSTED: the server's session limit, or a message over its size limit."""
    code = grpc.StatusCode.RESOURCE_EXHAUSTED


class SessionTimeoutError(EnvServiceError, TimeoutError):
    """DEADLINE_EXCEEDED: the session sat idle past the server's idle timeout, or a request got no
    answer within the client's `timeout` (the stream is then closed)."""
    code = grpc.StatusCode.DEADLINE_EXCEEDED


class ServiceUnavailableError(EnvServiceError, ConnectionError):
    """UNAVAILABLE: the service cannot be reached, or it is shutting down (draining)."""
    code = grpc.StatusCode.UNAVAILABLE


class SessionCancelledError(EnvServiceError):
    """CANCELLED: the session's stream was cancelled (e.g. the env was closed)."""
    code = grpc.StatusCode.CANCELLED


class UnauthenticatedError(EnvServiceError, PermissionError):
    """UNAUTHENTICATED: the service wants a bearer token (token=) and got none or another."""
    code = grpc.StatusCode.UNAUTHENTICATED


class InternalError(EnvServiceError):
    """INTERNAL: the environment failed on the server (a bug: please report it)."""
    code = grpc.StatusCode.INTERNAL


_BY_CODE = {cls.code: cls for cls in (
    GameNotFoundError, InvalidArgumentError, FailedPreconditionError, ResourceExhaustedError,
    SessionTimeoutError, ServiceUnavailableError, SessionCancelledError, UnauthenticatedError,
    InternalError)}
_BY_VALUE = {code.value[0]: code for code in grpc.StatusCode}


def from_status(code: grpc.StatusCode, details: str) -> EnvServiceError:
    """The exception for a status: its own class, or EnvServiceError carrying the code."""
    cls = _BY_CODE.get(code)
    return cls(details) if cls is not None else EnvServiceError(details, code)


def from_rpc_error(error: grpc.RpcError) -> EnvServiceError:
    """The exception for a failed call or stream."""
    return from_status(error.code(), error.details() or "")


def from_in_band(code_value: int, message: str) -> EnvServiceError:
    """The exception for a `Response.error` (a numeric gRPC code and a message)."""
    return from_status(_BY_VALUE.get(code_value, grpc.StatusCode.UNKNOWN), message)
