"""A game on the MA3C environment service, as a Gymnasium environment.

One RemoteAtariEnv is one `Session` stream of ma3c.env.v1.Environment: opened on construction,
then reset/step requests answered in order, closed by close() or leaving a `with` block.
"""

import operator
import zlib

import grpc
import numpy as np

from ma3c.env.v1 import env_pb2, env_pb2_grpc

from . import errors, spaces
from ._stream import DEFAULT_TIMEOUT, OrderedStream, check_timeout

try:
    import gymnasium
    _Env = gymnasium.Env
except ImportError:
    _Env = object

_FORMATS = {"gray84": env_pb2.GRAY_84, "gray": env_pb2.GRAY_FULL, "rgb": env_pb2.RGB_FULL}
_COMPRESSION = {"none": env_pb2.NONE, "zlib": env_pb2.ZLIB}
# Plain EnvConfig fields a keyword sets directly; the enum ones are mapped from names above.
_PLAIN = ("frame_skip", "max_pool", "repeat_action_probability", "noop_max", "fire_on_reset",
          "max_episode_frames", "terminal_on_life_loss", "seed")
CONFIG_KEYS = _PLAIN + ("observation_format", "full_action_space", "compression")
_INT32 = (-2**31, 2**31 - 1)
_UINT64 = (0, 2**64 - 1)
# The integer fields and the ranges of their protobuf types (int32, uint64). The client checks
# these itself: protobuf would raise a bare ValueError outside them. Narrower limits (frame skip
# 1..64, ...) are the service's to check; it answers INVALID_ARGUMENT.
_INTEGERS = {"frame_skip": _INT32, "noop_max": _INT32, "max_episode_frames": _INT32,
             "seed": _UINT64}


def env_config(**config) -> env_pb2.EnvConfig:
    """An EnvConfig from keywords; anything left out takes the service's default
    (Machado et al. 2018: frame skip 4, sticky actions 0.25, 84x84 gray, ...)."""
    unknown = sorted(set(config) - set(CONFIG_KEYS))
    if unknown:
        raise TypeError(f"unknown config keyword(s) {unknown}; known: {list(CONFIG_KEYS)}")
    message = env_pb2.EnvConfig()
    for key in _PLAIN:
        value = config.get(key)
        if value is None:
            continue
        if key in _INTEGERS:
            value = _integer(key, value, *_INTEGERS[key])
        try:
            setattr(message, key, value)
        except (TypeError, ValueError) as e:  # protobuf's type check: a str for a bool, ...
            raise errors.InvalidArgumentError(f"{key}: {e}") from None
    if config.get("observation_format") is not None:
        message.observation_format = _choice("observation_format", config["observation_format"], _FORMATS)
    if config.get("compression") is not None:
        message.compression = _choice("compression", config["compression"], _COMPRESSION)
    if config.get("full_action_space") is not None:
        message.action_set = env_pb2.FULL if config["full_action_space"] else env_pb2.MINIMAL
    return message


def _integer(name: str, value, low: int, high: int) -> int:
    """`value` as an int in [low, high], else InvalidArgumentError (nothing is sent). Python and
    NumPy integers pass; bools and floats do not (int() would quietly make 1.7 a 1)."""
    if isinstance(value, (bool, np.bool_)):
        raise errors.InvalidArgumentError(f"{name} must be an integer, not {value!r}")
    try:
        value = operator.index(value)
    except TypeError:
        raise errors.InvalidArgumentError(f"{name} must be an integer, not {value!r}") from None
    if not low <= value <= high:
        raise errors.InvalidArgumentError(f"{name} must be in [{low}, {high}], not {value}")
    return value


def _choice(key, value, names):
    if value not in names:
        raise errors.InvalidArgumentError(f"{key} must be one of {sorted(names)}, not {value!r}")
    return names[value]


def channel(address: str, tls_ca=None) -> grpc.Channel:
    """A channel to `address`: TLS trusting the PEM CA certificate(s) at the path `tls_ca`
    (a service started with --tls-cert/--tls-key), else plaintext."""
    if tls_ca is None:
        return grpc.insecure_channel(address)
    with open(tls_ca, "rb") as f:
        return grpc.secure_channel(address, grpc.ssl_channel_credentials(root_certificates=f.read()))


def _auth(token):
    """The call metadata that carries a bearer token (a service started with --token-file)."""
    return None if token is None else (("authorization", f"Bearer {token}"),)


def list_games(address: str, timeout: float = DEFAULT_TIMEOUT, *, tls_ca=None, token=None):
    """The games the service at `address` offers: {name: [action meanings]}."""
    with channel(address, tls_ca) as ch:
        try:
            response = env_pb2_grpc.EnvironmentStub(ch).ListGames(
                env_pb2.ListGamesRequest(), timeout=timeout, metadata=_auth(token))
        except grpc.RpcError as e:
            raise errors.from_rpc_error(e) from None
    return {g.name: list(g.minimal_action_meanings) for g in response.games}


class RemoteAtariEnv(_Env):
    """`game` played on the environment service at `address` ("host:port").

    Keywords configure the emulator (see CONFIG_KEYS): frame_skip, max_pool,
    repeat_action_probability, noop_max, fire_on_reset, max_episode_frames,
    terminal_on_life_loss, seed, observation_format ("gray84", "gray", "rgb"),
    full_action_space, compression ("none", "zlib"). For a secured service: `tls_ca`, the path
    of the CA certificate(s) to trust (PEM), and `token`, the bearer token it expects.
    `timeout`: the seconds each request (open, reset, step) may wait for its answer (None: no
    limit); past it the session is closed and SessionTimeoutError raised.

    Observations are numpy uint8 arrays of `observation_space.shape`, one frame each (stack
    frames yourself, e.g. with gymnasium's FrameStackObservation). Every gRPC error raises its
    exception from ma3c_env.errors.
    """

    metadata = {"render_modes": []}
    render_mode = None

    def __init__(self, address: str, game: str, *, tls_ca=None, token=None,
                 timeout=DEFAULT_TIMEOUT, **config):
        request = env_pb2.OpenRequest(game=game, config=env_config(**config))
        timeout = check_timeout(timeout)
        self._channel = channel(address, tls_ca)
        self._stream = OrderedStream(env_pb2_grpc.EnvironmentStub(self._channel).Session,
                                     "session", timeout, metadata=_auth(token))
        try:
            self.env_spec = self._exchange(env_pb2.Request(open=request)).open.spec
        except BaseException:
            self.close()
            raise
        observation = self.env_spec.observation
        self._dtype = _DTYPES.get(observation.data_type)
        if self._dtype is None:
            self.close()
            raise errors.from_status(grpc.StatusCode.UNIMPLEMENTED,
                                     f"observation data type {observation.data_type} is not one "
                                     "this client knows; upgrade ma3c-env")
        shape = tuple(observation.shape)
        self.action_space = spaces.Discrete(self.env_spec.action_count)
        self.observation_space = spaces.Box(observation.min, observation.max, shape, self._dtype)
        self._shape = shape

    @property
    def game(self) -> str:
        return self.env_spec.game

    @property
    def action_meanings(self):
        """What each action does, e.g. ["NOOP", "FIRE", "RIGHT", ...]."""
        return list(self.env_spec.action_meanings)

    @property
    def config(self) -> env_pb2.EnvConfig:
        """The configuration in force, every default filled in (the seed too)."""
        return self.env_spec.config

    def reset(self, *, seed=None, options=None):
        """Starts a new episode; a seed re-seeds the emulator. Returns (observation, info)."""
        if seed is not None:
            seed = _integer("seed", seed, *_UINT64)  # before gymnasium's own seeding sees it
        if _Env is not object:
            super().reset(seed=seed)
        reset = env_pb2.ResetRequest() if seed is None else env_pb2.ResetRequest(seed=seed)
        response = self._exchange(env_pb2.Request(reset=reset)).reset
        return self._pixels(response.observation), _info(response.info)

    def step(self, action):
        """Plays `action` for frame_skip frames.
        Returns (observation, reward, terminated, truncated, info)."""
        # An int32 is all StepRequest can carry; the service answers one out of the action space.
        index = _integer("action", action, *_INT32)
        response = self._exchange(env_pb2.Request(step=env_pb2.StepRequest(action=index))).step
        return (self._pixels(response.observation), float(response.reward),
                response.state == env_pb2.TERMINATED, response.state == env_pb2.TRUNCATED,
                _info(response.info))

    def close(self):
        """Ends the session (the server frees the emulator). Safe to call twice."""
        self._stream.close()
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _exchange(self, request):
        return self._stream.exchange(request)

    def _pixels(self, observation) -> np.ndarray:
        data = observation.data
        # The service marks every observation with its compression.
        if observation.compression == env_pb2.ZLIB:
            data = zlib.decompress(data)
        return np.frombuffer(data, dtype=self._dtype).reshape(self._shape).copy()


_DTYPES = {env_pb2.UINT8: np.uint8}


def _info(info) -> dict:
    out = {"lives": info.lives, "episode_frame_number": info.episode_frame_number,
           "life_lost": info.life_lost, "game_over": info.game_over}
    if info.HasField("episode_return"):
        out["episode_return"] = info.episode_return
        out["episode_length"] = info.episode_length
    return out
