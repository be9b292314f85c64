"""A bidirectional stream answered in order, one response per request: the env service's
`Session` and the policy service's `ActStream`. A request's error comes back in-band (the
response's `error`, a google.rpc.Status) and leaves the stream usable; the stream's own end
raises too."""

import queue
import threading

import grpc

from . import errors

_END = object()


class OrderedStream:
    """`start(requests)` opens the stream (a stub's method); `what` names it in errors. Threads
    may share it: one exchange at a time, so each gets its own request's answer."""

    def __init__(self, start, what: str, **call_options):
        self._what = what
        self._requests = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._ended = False  # the stream failed or was closed: no more exchanges
        self._half_closed = False  # the request iterator has ended (gRPC's thread is free)
        # gRPC pulls requests from this iterator on its own thread; exchange() waits for each answer.
        self._responses = start(iter(self._requests.get, _END), **call_options)

    def exchange(self, request):
        """Sends `request` and returns its response; raises its error (in-band or the stream's)."""
        with self._lock:
            if self._ended:
                raise errors.FailedPreconditionError(f"the {self._what} is closed")
            self._requests.put(request)
            try:
                response = next(self._responses)
            except grpc.RpcError as e:
                self._end()
                raise errors.from_rpc_error(e) from None
            except StopIteration:
                self._end()
                raise errors.ServiceUnavailableError(f"the service ended the {self._what}") from None
        if response.HasField("error"):
            raise errors.from_in_band(response.error.code, response.error.message)
        return response

    def close(self):
        """Half-closes and cancels the stream. Safe to call twice, and after a failure."""
        self._end()
        self._responses.cancel()

    def _end(self):
        self._ended = True
        if not self._half_closed:
            self._half_closed = True
            self._requests.put(_END)
