"""Generates the Python protobuf and gRPC modules from the repository's proto/ directory.

The stubs are never hand-written nor committed: they are generated here, at build time (setup.py
calls this) or before the tests (.ci/run does). It uses grpcio-tools when installed (PyPI), else
Debian's protoc with grpc_python_plugin (apt-get install protobuf-compiler-grpc).

    python3 generate_stubs.py            # writes ma3c/env/v1/*_pb2*.py and ma3c/policy/v1/*
"""

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROTO_ROOT = HERE.parent.parent / "proto" / "src" / "main" / "proto"
PROTOS = ["ma3c/env/v1/env.proto", "ma3c/policy/v1/policy.proto"]


def generate(out: Path = HERE) -> None:
    if not PROTO_ROOT.is_dir():
        raise SystemExit(f"no proto directory at {PROTO_ROOT}: run from a checkout of the repository")
    args = [f"-I{PROTO_ROOT}", f"--python_out={out}", f"--grpc_python_out={out}"]
    args += [str(PROTO_ROOT / p) for p in PROTOS]
    try:
        from grpc_tools import protoc  # PyPI's grpcio-tools bundles protoc and the plugin
    except ImportError:
        protoc = None
    if protoc is not None and protoc.main(["protoc"] + args) == 0:
        return
    plugin = shutil.which("grpc_python_plugin")
    if shutil.which("protoc") is None or plugin is None:
        raise SystemExit("need grpcio-tools (pip) or protoc + grpc_python_plugin "
                         "(apt-get install protobuf-compiler-grpc) to generate the stubs")
    subprocess.run(["protoc", f"--plugin=protoc-gen-grpc_python={plugin}"] + args, check=True)


if __name__ == "__main__":
    generate(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
    print("generated stubs for", ", ".join(PROTOS))
