"""Plays one episode with random actions on the env service and prints its return.

    python3 examples/random_agent.py --address 127.0.0.1:50051 --game pong
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runs from a checkout, uninstalled
from ma3c_env import RemoteAtariEnv  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description="Random agent for one episode.")
    parser.add_argument("--address", default="127.0.0.1:50051", help="env service host:port")
    parser.add_argument("--game", default="pong")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()

    with RemoteAtariEnv(args.address, args.game) as env:
        obs, info = env.reset(seed=args.seed)
        env.action_space.seed(args.seed)
        episode_return, steps, done = 0.0, 0, False
        while not done:
            obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
            episode_return += reward
            steps += 1
            done = terminated or truncated
        ending = "truncated by the frame cap" if truncated else "game over"
        print(f"{args.game}: return {episode_return:+.0f} in {steps} steps ({ending})")


if __name__ == "__main__":
    main()
