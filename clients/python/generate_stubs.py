"""Generates the Python protobuf and gRPC modules from the repository's proto/ directory.

The stubs are never hand-written nor committed: they are generated here, at build time (setup.py
calls this) or before the tests (.ci/run does). It uses grpcio-tools when installed (PyPI), else
Debian's protoc with grpc_python_plugin (apt-get install protobuf-compiler-grpc).

env.proto imports google/rpc/status.proto (in-band errors are google.rpc.Status). Its .proto and
Python module come from PyPI's googleapis-common-protos when installed; otherwise the .proto is
the copy that the Maven build of proto/ extracts, and its module is generated here as well.

    python3 generate_stubs.py            # writes ma3c/env/v1/*_pb2*.py and ma3c/policy/v1/*
"""

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROTO_ROOT = HERE.parent.parent / "proto" / "src" / "main" / "proto"
PROTOS = ["ma3c/env/v1/env.proto", "ma3c/policy/v1/policy.proto"]
STATUS_PROTO = "google/rpc/status.proto"
MAVEN_EXTRACTED = HERE.parent.parent / "proto" / "target" / "protoc-dependencies"


def _status_proto_root() -> Path:
    """A directory holding google/rpc/status.proto."""
    try:
        import google.rpc
        for d in google.rpc.__path__:
            if (Path(d) / "status.proto").is_file():
                return Path(d).parent.parent
    except ImportError:
        pass
    for found in sorted(MAVEN_EXTRACTED.glob("*/" + STATUS_PROTO)):
        return found.parents[2]
    raise SystemExit(f"need {STATUS_PROTO}: pip install googleapis-common-protos, or build the "
                     "proto module first (mvn -pl proto install)")


def _has_status_module() -> bool:
    try:
        import google.rpc.status_pb2  # noqa: F401
        return True
    except ImportError:
        return False


def generate(out: Path = HERE) -> None:
    if not PROTO_ROOT.is_dir():
        raise SystemExit(f"no proto directory at {PROTO_ROOT}: run from a checkout of the repository")
    status_root = _status_proto_root()
    if not _has_status_module():
        _protoc([f"-I{status_root}", f"--python_out={out}", str(status_root / STATUS_PROTO)])
    _protoc([f"-I{PROTO_ROOT}", f"-I{status_root}", f"--python_out={out}",
             f"--grpc_python_out={out}"] + [str(PROTO_ROOT / p) for p in PROTOS])


def _protoc(args: list) -> None:
    try:
        import grpc_tools
        from grpc_tools import protoc  # PyPI's grpcio-tools bundles protoc and the plugin
    except ImportError:
        protoc = None
    # grpcio-tools' protoc finds google/protobuf/*.proto (status.proto imports any.proto) only
    # in its own package; Debian's protoc has them built in.
    if protoc is not None and protoc.main(
            ["protoc", f"-I{Path(grpc_tools.__file__).parent / '_proto'}"] + args) == 0:
        return
    plugin = shutil.which("grpc_python_plugin")
    if shutil.which("protoc") is None or plugin is None:
        raise SystemExit("need grpcio-tools (pip) or protoc + grpc_python_plugin "
                         "(apt-get install protobuf-compiler-grpc) to generate the stubs")
    subprocess.run(["protoc", f"--plugin=protoc-gen-grpc_python={plugin}"] + args, check=True)


if __name__ == "__main__":
    generate(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
    print("generated stubs for", ", ".join(PROTOS))
