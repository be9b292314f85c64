"""A bidirectional stream answered in order, one response per request: the env service's
`Session` and the policy service's `ActStream`. A request's error comes back in-band (the
response's `error`, a google.rpc.Status) and leaves the stream usable; the stream's own end
raises too.

Each exchange waits at most `timeout` seconds for its answer. gRPC has no deadline per message of
a stream (a call's deadline would end a long session), and a server that freezes without a TCP
reset would otherwise block the caller forever: a watchdog thread cancels the stream instead."""

import numbers
import queue
import threading
import time

import grpc

from . import errors

# Seconds a request may wait for its answer: generous for a step (milliseconds) or an Open.
DEFAULT_TIMEOUT = 30.0

_END = object()


def check_timeout(timeout):
    """`timeout` if it is a number of seconds above 0, or None (wait forever); else
    InvalidArgumentError."""
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, numbers.Real) or not timeout > 0:
        raise errors.InvalidArgumentError(
            f"timeout must be a number of seconds above 0, or None, not {timeout!r}")
    return float(timeout)


class OrderedStream:
    """`start(requests)` opens the stream (a stub's method); `what` names it in errors. Threads
    may share it: one exchange at a time, so each gets its own request's answer. An exchange
    without an answer within `timeout` seconds ends the stream with SessionTimeoutError."""

    def __init__(self, start, what: str, timeout=DEFAULT_TIMEOUT, **call_options):
        self._what = what
        self._timeout = check_timeout(timeout)
        self._requests = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._ended = False  # the stream failed or was closed: no more exchanges
        self._half_closed = False  # the request iterator has ended (gRPC's thread is free)
        self._closed = threading.Event()  # stops the watchdog
        self._watch_lock = threading.Lock()  # guards the two fields below
        self._waiting_since = None  # time.monotonic() when the exchange in flight began
        self._timed_out = False
        # gRPC pulls requests from this iterator on its own thread; exchange() waits for each answer.
        self._responses = start(iter(self._requests.get, _END), **call_options)
        if self._timeout is not None:
            threading.Thread(target=self._watch, name=f"ma3c {what} timeout", daemon=True).start()

    def exchange(self, request):
        """Sends `request` and returns its response; raises its error (in-band or the stream's)."""
        with self._lock:
            if self._ended:
                raise errors.FailedPreconditionError(f"the {self._what} is closed")
            with self._watch_lock:
                self._waiting_since = time.monotonic()
            self._requests.put(request)
            failure = None
            try:
                response = next(self._responses)
            except grpc.RpcError as e:
                failure = errors.from_rpc_error(e)
            except StopIteration:
                failure = errors.ServiceUnavailableError(f"the service ended the {self._what}")
            with self._watch_lock:
                self._waiting_since = None
                if self._timed_out:  # the watchdog cancelled the stream, maybe as the answer came
                    failure = errors.SessionTimeoutError(
                        f"no answer from the service within {self._timeout:g} s (timeout);"
                        f" the {self._what} is closed")
            if failure is not None:
                self._end()
                raise failure
        if response.HasField("error"):
            raise errors.from_in_band(response.error.code, response.error.message)
        return response

    def close(self):
        """Half-closes and cancels the stream. Safe to call twice, and after a failure."""
        self._end()
        self._responses.cancel()

    def _end(self):
        self._ended = True
        self._closed.set()
        if not self._half_closed:
            self._half_closed = True
            self._requests.put(_END)

    def _watch(self):
        """Cancels the stream once an exchange has waited `timeout` seconds; sleeps otherwise
        (an exchange that begins while it sleeps cannot expire before it wakes)."""
        wait = self._timeout
        while not self._closed.wait(wait):
            with self._watch_lock:
                since = self._waiting_since
                wait = self._timeout if since is None else since + self._timeout - time.monotonic()
                if wait > 0:
                    continue
                self._timed_out = True
            self._responses.cancel()  # next() in exchange() raises CANCELLED
            return
