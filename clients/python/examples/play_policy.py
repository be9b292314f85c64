"""Plays episodes with an exported policy: the policy service decides, the env service plays.

    java -jar policy/target/ma3c-policy.jar --models runs/<run>/export      # port 50052
    java -jar env-service/target/ma3c-env-service-*-all.jar --rom-dir /path/to/roms   # 50051
    python3 examples/play_policy.py --game pong --episodes 3
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runs from a checkout, uninstalled
from ma3c_env import RemoteAtariEnv, RemotePolicy  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description="Play a served policy on the env service.")
    parser.add_argument("--policy", default="127.0.0.1:50052", help="policy service host:port")
    parser.add_argument("--env", default="127.0.0.1:50051", help="env service host:port")
    parser.add_argument("--game", default="pong")
    parser.add_argument("--episodes", type=int, default=1)
    parser.add_argument("--greedy", action="store_true", help="most probable action, not sampled")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with RemotePolicy(args.policy) as policy, \
            RemoteAtariEnv(args.env, args.game, seed=args.seed,
                           **policy.env_config(args.game)) as env, \
            policy.agent(args.game, greedy=args.greedy) as agent:
        info = policy.model(args.game)
        print(f"{args.game}: {info.architecture} model, {info.frames_trained:,} frames trained")
        returns, decisions, started = [], 0, time.monotonic()
        for episode in range(args.episodes):
            obs, _ = env.reset()
            agent.reset()
            episode_return, done = 0.0, False
            while not done:
                obs, reward, terminated, truncated, _ = env.step(agent.act(obs).action)
                episode_return += reward
                decisions += 1
                done = terminated or truncated
            returns.append(episode_return)
            print(f"episode {episode + 1}: return {episode_return:+.0f}")
        seconds = time.monotonic() - started
        print(f"mean return {sum(returns) / len(returns):+.2f} over {len(returns)} episodes; "
              f"{decisions / seconds:,.0f} steps/s (a decision and an env step each)")


if __name__ == "__main__":
    main()
