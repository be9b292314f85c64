"""Starts the Java services as child processes: for tests, benchmarks, notebooks.

    with LocalEnvService(rom_dir="roms") as service:
        env = RemoteAtariEnv(service.address, "pong")
    with LocalPolicyService(models="runs/<run>/export") as service:
        policy = RemotePolicy(service.address)
"""

import glob
import os
import signal
import socket
import subprocess
from pathlib import Path

import grpc

from .remote_env import channel

_REPO = Path(__file__).resolve().parents[3]
DEFAULT_JAR_GLOB = str(_REPO / "env-service" / "target" / "ma3c-env-service-*-all.jar")
DEFAULT_POLICY_JAR = str(_REPO / "policy" / "target" / "ma3c-policy.jar")


def find_jar() -> str:
    """The env service jar: $MA3C_ENV_JAR, else the jar `mvn package` builds in this checkout."""
    jar = os.environ.get("MA3C_ENV_JAR")
    if jar:
        return jar
    found = sorted(glob.glob(DEFAULT_JAR_GLOB))
    if not found:
        raise FileNotFoundError(f"no env service jar ({DEFAULT_JAR_GLOB}): run `mvn -B package -DskipTests` "
                                "in the repository, or set MA3C_ENV_JAR")
    return found[-1]


def find_policy_jar() -> str:
    """The policy service jar: $MA3C_POLICY_JAR, else the one `mvn package` builds here."""
    jar = os.environ.get("MA3C_POLICY_JAR", DEFAULT_POLICY_JAR)
    if not os.path.isfile(jar):
        raise FileNotFoundError(f"no policy service jar ({jar}): run `mvn -B package -DskipTests` "
                                "in the repository, or set MA3C_POLICY_JAR")
    return jar


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _LocalService:
    """`java -jar <jar> --port <free port> <args>`, ready once it accepts a gRPC channel."""

    name = "service"

    def __init__(self, jar, args, env=None, java="java", startup_timeout=60.0, tls_ca=None):
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        command = [java, "-Xmx1g", "-jar", jar, "--port", str(self.port)] + [str(a) for a in args]
        self.process = subprocess.Popen(command, env={**os.environ, **(env or {})},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            with channel(self.address, tls_ca) as ch:
                grpc.channel_ready_future(ch).result(timeout=startup_timeout)
        except grpc.FutureTimeoutError:
            self.stop()
            raise RuntimeError(f"{self.name} did not start on {self.address}") from None

    def stop(self, timeout=30.0):
        """SIGTERM (the service drains its calls), then waits for the process."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


class LocalEnvService(_LocalService):
    """`java -jar env-service.jar` on a free port; `env` adds service settings such as
    ENV_MAX_SESSIONS, ENV_IDLE_TIMEOUT (ISO-8601) or ENV_MAX_MESSAGE_BYTES."""

    name = "env service"

    def __init__(self, rom_dir=None, jar=None, env=None, java="java", startup_timeout=60.0,
                 args=(), tls_ca=None):
        """`args`: more service options (e.g. --tls-cert, --tls-key, --token-file); `tls_ca`: the
        CA to trust while waiting for a TLS service to listen."""
        options = (["--rom-dir", rom_dir] if rom_dir is not None else []) + list(args)
        super().__init__(jar or find_jar(), options, env, java, startup_timeout, tls_ca)


class LocalPolicyService(_LocalService):
    """`java -jar ma3c-policy.jar --models <models>` on a free port (`models`: a directory of
    exported <game>.onnx files, e.g. runs/<run>/export); `args`: more options (--max-batch,
    --tls-cert, --tls-key, --token-file, ...); `tls_ca`: the CA to trust while waiting for a TLS
    service to listen."""

    name = "policy service"

    def __init__(self, models, jar=None, java="java", startup_timeout=60.0, args=(), tls_ca=None):
        super().__init__(jar or find_policy_jar(), ["--models", models] + list(args), None, java,
                         startup_timeout, tls_ca)
