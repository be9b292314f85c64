"""Python client for the MA3C services: a remote game as a Gymnasium env (the env service),
and exported policies deciding from Python (the policy service).

    from ma3c_env import RemoteAtariEnv, RemotePolicy
    with RemoteAtariEnv("localhost:50051", "pong", repeat_action_probability=0.0) as env:
        obs, info = env.reset(seed=1)
        obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
"""

from .errors import (EnvServiceError, FailedPreconditionError, GameNotFoundError, InternalError,
                     InvalidArgumentError, ResourceExhaustedError, ServiceUnavailableError,
                     SessionCancelledError, SessionTimeoutError, UnauthenticatedError)
from .policy import Decision, ModelInfo, PolicyAgent, RemotePolicy
from .remote_env import CONFIG_KEYS, RemoteAtariEnv, env_config, list_games

__all__ = ["RemoteAtariEnv", "list_games", "env_config", "CONFIG_KEYS", "RemotePolicy",
           "PolicyAgent", "Decision", "ModelInfo", "EnvServiceError",
           "GameNotFoundError", "InvalidArgumentError", "FailedPreconditionError", "UnauthenticatedError",
           "ResourceExhaustedError", "SessionTimeoutError", "ServiceUnavailableError",
           "SessionCancelledError", "InternalError"]
