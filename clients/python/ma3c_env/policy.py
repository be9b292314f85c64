"""Exported MA3C policies served by the policy service (`java -jar ma3c-policy.jar`), from Python.

    from ma3c_env import RemoteAtariEnv, RemotePolicy

    with RemotePolicy("127.0.0.1:50052") as policy, \\
            RemoteAtariEnv("127.0.0.1:50051", "pong", **policy.env_config("pong")) as env, \\
            policy.agent("pong") as agent:
        obs, info = env.reset(seed=1)
        agent.reset()  # at every episode's start
        done = False
        while not done:
            obs, reward, terminated, truncated, info = env.step(agent.act(obs).action)
            done = terminated or truncated

An agent decides over one `ActStream` (answers in order, a request's error in-band, the stream
usable after it); `RemotePolicy.act` is one unary `Act` call. Errors raise ma3c_env.errors'
exceptions, one per gRPC code (NOT_FOUND: no model for the game; INVALID_ARGUMENT: an
observation or state of the wrong shape; FAILED_PRECONDITION: the server refused the model).
"""

import dataclasses
import json

import grpc
import numpy as np
from google.protobuf import json_format

from ma3c.env.v1 import env_pb2
from ma3c.policy.v1 import policy_pb2, policy_pb2_grpc

from . import errors
from ._stream import DEFAULT_TIMEOUT, OrderedStream, check_timeout
from .remote_env import _FORMATS, _PLAIN, _auth, channel


@dataclasses.dataclass(frozen=True)
class ModelInfo:
    """A served model: what to feed it (`observation_shape`: stacked frames, oldest first;
    `state_size`: 0 for feed-forward nets) and how it was trained."""
    game: str
    action_meanings: list
    observation_shape: tuple
    state_size: int
    architecture: str
    frames_trained: int
    preprocessing: dict
    file: str


@dataclasses.dataclass(frozen=True)
class Decision:
    """An action, the policy's probabilities and value, and the recurrent state after it."""
    action: int
    probs: np.ndarray
    value: float
    h: np.ndarray
    c: np.ndarray


class RemotePolicy:
    """The policy service at `address` ("host:port"), plaintext unless `tls_ca` is given. For a
    secured service (started with --tls-cert/--tls-key, --token-file): `tls_ca`, the path of the
    CA certificate(s) to trust (PEM), and `token`, the bearer token it expects. `timeout`: the
    seconds a call, or a decision of an agent's stream, may wait for its answer (None: no limit)."""

    def __init__(self, address: str, *, tls_ca=None, token=None, timeout=DEFAULT_TIMEOUT):
        self._timeout = check_timeout(timeout)
        self._channel = channel(address, tls_ca)
        self._stub = policy_pb2_grpc.PolicyStub(self._channel)
        self._metadata = _auth(token)

    def models(self) -> dict:
        """The models served now: {game: ModelInfo}."""
        response = self._call(self._stub.ListModels, policy_pb2.ListModelsRequest())
        return {m.game: _model_info(m) for m in response.models}

    def model(self, game: str) -> ModelInfo:
        """The model served for `game`; GameNotFoundError when there is none."""
        info = self.models().get(game)
        if info is None:
            raise errors.GameNotFoundError(f"no model for game '{game}' on the policy service")
        return info

    def env_config(self, game: str) -> dict:
        """RemoteAtariEnv keywords for the env settings `game`'s model was trained with (frame
        skip, max-pool, no-op starts, ...), with whole games as episodes (no terminal on a lost
        life), as `ma3c play` plays them."""
        return env_keywords(self.model(game).preprocessing)

    def act(self, game: str, observation, h=None, c=None, greedy: bool = False) -> Decision:
        """One decision (a unary Act call): `observation` of the model's observation_shape,
        `h`/`c` the previous decision's state (None at an episode's start)."""
        response = self._call(self._stub.Act, _request(game, observation, h, c, greedy))
        return _decision(response)

    def agent(self, game: str, greedy: bool = False) -> "PolicyAgent":
        """An agent that plays `game` frame by frame over its own ActStream."""
        return PolicyAgent(self._stub, self.model(game), greedy, metadata=self._metadata,
                           timeout=self._timeout)

    def close(self):
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _call(self, method, request):
        try:
            return method(request, timeout=self._timeout, metadata=self._metadata)
        except grpc.RpcError as e:
            raise errors.from_rpc_error(e) from None


class PolicyAgent:
    """Plays one game with a served model: stacks the env's frames as the model was trained
    (the first frame of an episode fills the stack) and carries its recurrent state from one
    decision to the next. Call reset() when an episode starts, then act(frame) for each frame.
    A decision not answered within `timeout` seconds closes the stream (SessionTimeoutError)."""

    def __init__(self, stub, info: ModelInfo, greedy: bool = False, metadata=None,
                 timeout=DEFAULT_TIMEOUT):
        self.info = info
        self.greedy = greedy
        self._stream = OrderedStream(stub.ActStream, "agent's stream", timeout, metadata=metadata)
        self.reset()

    def reset(self):
        """A new episode: an empty frame stack and a zero recurrent state."""
        self._stack = None
        self._h = None
        self._c = None

    def act(self, frame) -> Decision:
        """The decision for the game's newest frame (uint8, one 84x84 frame)."""
        frames = self.info.observation_shape[0]
        frame = _pixels("frame", frame)
        if frame.shape != tuple(self.info.observation_shape[1:]):
            raise errors.InvalidArgumentError(
                f"a frame of {self.info.game}'s model is {tuple(self.info.observation_shape[1:])},"
                f" not {frame.shape} (an env with this model's env_config gives it)")
        if self._stack is None:
            stack = np.repeat(frame[np.newaxis], frames, axis=0)
        else:
            stack = np.concatenate([self._stack[1:], frame[np.newaxis]])
        decision = self._exchange(_request(self.info.game, stack, self._h, self._c, self.greedy))
        # Only an answered frame joins the stack: after an error the same frame can be retried.
        self._stack = stack
        if self.info.state_size:
            self._h, self._c = decision.h, decision.c
        return decision

    def close(self):
        """Ends the stream. Safe to call twice."""
        self._stream.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _exchange(self, request) -> Decision:
        return _decision(self._stream.exchange(request).decision)


def env_keywords(preprocessing: dict) -> dict:
    """RemoteAtariEnv keywords from a model's preprocessing (an EnvConfig as JSON), whole games
    as episodes; a setting it leaves out keeps the service's default. Compression is left to
    the caller: it changes the transport, not what the model sees."""
    config = json_format.ParseDict(preprocessing, env_pb2.EnvConfig(), ignore_unknown_fields=True)
    keywords = {k: getattr(config, k) for k in _PLAIN if k != "seed" and config.HasField(k)}
    keywords["terminal_on_life_loss"] = False
    keywords.update({"observation_format": name for name, v in _FORMATS.items()
                     if v == config.observation_format})
    if config.action_set != env_pb2.ACTION_SET_UNSPECIFIED:
        keywords["full_action_space"] = config.action_set == env_pb2.FULL
    return keywords


def _request(game, observation, h, c, greedy) -> policy_pb2.ActRequest:
    # Every check here comes before anything is sent: a bad argument leaves a stream usable.
    pixels = _pixels("observation", observation).tobytes()
    h, c = _state("h", h), _state("c", c)
    try:
        return policy_pb2.ActRequest(game=game, observation=pixels, greedy=greedy, h=h, c=c)
    except (TypeError, ValueError) as e:  # protobuf's type check of game and greedy
        raise errors.InvalidArgumentError(f"game must be a str and greedy a bool: {e}") from None


def _pixels(name, value) -> np.ndarray:
    """`value` as contiguous uint8. A value that casting would change (a frame scaled to [0, 1],
    one over 255, a string) is an InvalidArgumentError: numpy would truncate or wrap it quietly."""
    try:
        pixels = np.asarray(value)
    except (TypeError, ValueError):  # e.g. ragged nesting
        pixels = np.asarray(None)
    numbers = pixels.dtype.kind in "iuf"
    if pixels.dtype != np.uint8 and not (numbers and np.all(
            (pixels >= 0) & (pixels <= 255) & (np.floor(pixels) == pixels))):
        raise errors.InvalidArgumentError(
            f"{name} must be uint8 pixels (integers in [0, 255]), not {pixels.dtype}"
            + (" values outside them" if numbers else ""))
    return np.ascontiguousarray(pixels, dtype=np.uint8)


def _state(name, value) -> list:
    """A recurrent state (h or c) as a list of floats; None is the empty state."""
    if value is None:
        return []
    try:
        state = np.asarray(value, dtype=np.float32)
    except (TypeError, ValueError) as e:  # strings, ragged nesting: numpy's bare errors
        raise errors.InvalidArgumentError(f"{name} must be a vector of floats: {e}") from None
    if state.ndim != 1:
        raise errors.InvalidArgumentError(
            f"{name} must be a vector of floats, not of shape {state.shape}")
    return state.tolist()


def _decision(response) -> Decision:
    return Decision(action=response.action, probs=np.array(response.probs, dtype=np.float32),
                    value=response.value, h=np.array(response.h, dtype=np.float32),
                    c=np.array(response.c, dtype=np.float32))


def _model_info(m) -> ModelInfo:
    return ModelInfo(game=m.game, action_meanings=list(m.action_meanings),
                     observation_shape=tuple(m.observation_shape), state_size=m.state_size,
                     architecture=m.architecture, frames_trained=m.frames_trained,
                     preprocessing=json.loads(m.preprocessing) if m.preprocessing else {},
                     file=m.file)
