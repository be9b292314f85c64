"""Steps/s from Python over one session, beside the Java client's figure against the same service
in the same run. Starts the env service jar (ROMs from $ALE_ROM_DIR) unless --address is given.

    python3 bench.py [--game pong] [--steps 20000] [--address host:port]
"""

import argparse
import os
import random
import re
import subprocess
import sys
import time

from ma3c_env import RemoteAtariEnv
from ma3c_env.local_service import LocalEnvService, find_jar


def python_steps_per_second(address, game, warmup, steps):
    """Random actions (seeded), resetting at episode ends; only the last `steps` are timed."""
    rng = random.Random(1)
    with RemoteAtariEnv(address, game, seed=1) as env:
        env.reset()
        n = env.action_space.n
        start = None
        for i in range(warmup + steps):
            if i == warmup:
                start = time.perf_counter()
            _, _, terminated, truncated, _ = env.step(rng.randrange(n))
            if terminated or truncated:
                env.reset()
        return steps / (time.perf_counter() - start)


def java_steps_per_second(address, game, warmup, steps, jar):
    out = subprocess.run(["java", "-jar", jar, "bench", "--address", address, "--game", game,
                          "--sessions", "1", "--steps", str(steps), "--warmup", str(warmup)],
                         check=True, capture_output=True, text=True).stdout
    match = re.search(r"([0-9.]+) steps/s", out)
    if not match:
        raise RuntimeError(f"unexpected output from the Java bench: {out}")
    return float(match.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address", help="an env service to use instead of starting one")
    parser.add_argument("--game", default="pong")
    parser.add_argument("--steps", type=int, default=20000)
    parser.add_argument("--warmup", type=int, default=3000)
    args = parser.parse_args()
    jar = find_jar()
    service = None if args.address else LocalEnvService(rom_dir=os.environ.get("ALE_ROM_DIR", "roms"))
    address = args.address or service.address
    try:
        print(f"{args.game}, frame skip 4, gray 84x84, sticky 0.25, random actions, "
              f"one session, {args.steps} steps after {args.warmup} warm-up, service {address}")
        py = python_steps_per_second(address, args.game, args.warmup, args.steps)
        print(f"python client (grpcio):  {py:8.0f} steps/s")
        java = java_steps_per_second(address, args.game, args.warmup, args.steps, jar)
        print(f"java client (grpc-java): {java:8.0f} steps/s")
        print(f"python / java = {py / java:.2f}")
    finally:
        if service is not None:
            service.stop()


if __name__ == "__main__":
    sys.exit(main())
