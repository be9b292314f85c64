"""RemoteAtariEnv against a real env service (the Java jar, started here on a free port).

Run from clients/python after `python3 generate_stubs.py`:  python3 -m unittest -v
Needs ROMs ($ALE_ROM_DIR) and the built jar (`mvn package`, or $MA3C_ENV_JAR).
"""

import os
import subprocess
import sys
import time
import unittest
from pathlib import Path

import numpy as np

import ma3c_env
from ma3c_env import RemoteAtariEnv, errors
from ma3c_env.local_service import LocalEnvService, free_port

ROMS = os.environ.get("ALE_ROM_DIR", "roms")
MAX_SESSIONS = 3
service = None


def setUpModule():
    global service
    if not os.path.isfile(os.path.join(ROMS, "pong.bin")):
        raise RuntimeError(f"these tests need ROMs: set ALE_ROM_DIR (no pong.bin in {ROMS})")
    service = LocalEnvService(rom_dir=ROMS, env={"ENV_MAX_SESSIONS": str(MAX_SESSIONS),
                                                 "ENV_IDLE_TIMEOUT": "PT3S",
                                                 "ENV_MAX_MESSAGE_BYTES": "65536"})


def tearDownModule():
    service.stop()


def open_now(**config):
    """Opens Pong at once (fails at the session limit)."""
    config.setdefault("seed", 5)
    return RemoteAtariEnv(service.address, "pong", **config)


def pong(timeout=10.0, **config):
    """Opens Pong, waiting while sessions that an earlier test closed are still being released
    (a closed stream frees its slot on the server a moment later)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return open_now(**config)
        except errors.ResourceExhaustedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class GymnasiumApiTest(unittest.TestCase):
    def test_spaces_and_spec(self):
        with pong() as env:
            self.assertEqual(env.action_space.n, 6)
            self.assertEqual(env.observation_space.shape, (84, 84))
            self.assertEqual(env.observation_space.dtype, np.uint8)
            self.assertEqual(env.action_meanings[:2], ["NOOP", "FIRE"])
            self.assertEqual(env.config.frame_skip, 4, "defaults come back filled in")
            self.assertEqual(env.config.seed, 5)

    def test_reset_returns_an_observation_in_the_space_and_info(self):
        with pong() as env:
            obs, info = env.reset()
            self.assertIsInstance(obs, np.ndarray)
            self.assertTrue(env.observation_space.contains(obs))
            self.assertGreater(int(obs.max()), 0, "a real frame, not zeros")
            self.assertEqual(set(info), {"lives", "episode_frame_number", "life_lost", "game_over"})

    def test_steps_to_the_end_of_an_episode(self):
        with pong(repeat_action_probability=0.0) as env:
            env.reset()
            total, steps, terminated, truncated = 0.0, 0, False, False
            while not (terminated or truncated):
                obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
                total += reward
                steps += 1
            self.assertTrue(terminated and not truncated, "random Pong ends by the rules")
            self.assertTrue(info["game_over"])
            self.assertEqual(info["episode_return"], total)
            self.assertEqual(info["episode_length"], steps)
            self.assertLessEqual(total, -15)
            with self.assertRaises(errors.FailedPreconditionError):
                env.step(0)
            env.reset()
            env.step(0)

    def test_frame_cap_is_truncation(self):
        with pong(max_episode_frames=100) as env:
            env.reset()
            for _ in range(30):
                _, _, terminated, truncated, _ = env.step(0)
                if terminated or truncated:
                    break
            self.assertTrue(truncated and not terminated)

    def test_seeds_give_identical_observations(self):
        def rollout(env, seed):
            frames = [env.reset(seed=seed)[0]]
            frames += [env.step(a % 6)[0] for a in range(60)]
            return frames

        with pong() as a, pong() as b:
            first, second = rollout(a, 42), rollout(b, 42)
            again = rollout(a, 42)
            other = rollout(b, 43)
        for x, y, z in zip(first, second, again):
            np.testing.assert_array_equal(x, y)
            np.testing.assert_array_equal(x, z)
        self.assertFalse(all(np.array_equal(x, y) for x, y in zip(first, other)),
                         "another seed plays differently (sticky actions)")

    def test_other_observation_formats_and_zlib(self):
        with pong(observation_format="rgb", compression="zlib") as env:
            obs, _ = env.reset()
            self.assertEqual(obs.shape, (210, 160, 3))
            self.assertEqual(env.observation_space.shape, (210, 160, 3))
        with pong(observation_format="gray", full_action_space=True) as env:
            self.assertEqual(env.reset()[0].shape, (210, 160))
            self.assertEqual(env.action_space.n, 18)

    def test_context_manager_frees_the_session(self):
        for _ in range(MAX_SESSIONS + 2):  # more than the limit, one after another
            with pong() as env:
                env.reset()
        with self.assertRaises(errors.FailedPreconditionError):
            env.step(0)  # closed
        env.close()  # twice is fine

    def test_list_games(self):
        games = ma3c_env.list_games(service.address)
        self.assertEqual(games["pong"], ["NOOP", "FIRE", "RIGHT", "LEFT", "RIGHTFIRE", "LEFTFIRE"])
        self.assertIn("breakout", games)

    def test_the_example_plays_an_episode(self):
        example = Path(__file__).resolve().parents[1] / "examples" / "random_agent.py"
        out = subprocess.run([sys.executable, str(example), "--address", service.address,
                              "--game", "pong", "--seed", "1"],
                             capture_output=True, text=True, timeout=300, check=True).stdout
        self.assertRegex(out, r"^pong: return -\d+ in \d+ steps \(game over\)$")


class ErrorsTest(unittest.TestCase):
    def test_unknown_game(self):
        with self.assertRaises(errors.GameNotFoundError) as e:
            RemoteAtariEnv(service.address, "no_such_game")
        self.assertIn("no_such_game", str(e.exception))
        self.assertIsInstance(e.exception, LookupError)

    def test_bad_config_value(self):
        with self.assertRaises(errors.InvalidArgumentError):
            pong(repeat_action_probability=1.5)

    def test_unknown_config_keyword_is_caught_before_connecting(self):
        with self.assertRaises(TypeError):
            pong(frameskip=4)
        with self.assertRaises(errors.InvalidArgumentError):
            pong(observation_format="grey")

    def test_a_value_protobuf_cannot_carry_is_caught_before_connecting(self):
        for config in ({"seed": -1}, {"seed": 2**64}, {"frame_skip": 2**40}, {"noop_max": 1.5},
                       {"max_pool": "yes"}, {"repeat_action_probability": "0"}):
            with self.assertRaises(errors.InvalidArgumentError, msg=config):
                RemoteAtariEnv(f"127.0.0.1:{free_port()}", "pong", **config)  # nobody listens

    def test_invalid_action_and_the_session_goes_on(self):
        with pong() as env:
            env.reset()
            # The service answers the int32s; the client refuses what a StepRequest cannot carry
            # and what is no integer (int() would make 1.7 a 1), sending nothing.
            for bad in (-1, 6, 18, "left", 2**40, -2**31 - 1, np.int64(2**40), 1.7,
                        np.float64(2.0), True, None):
                with self.assertRaises(errors.InvalidArgumentError, msg=repr(bad)):
                    env.step(bad)
            env.step(np.int64(2))
            env.step(np.array(1, dtype=np.int32))

    def test_invalid_seed_and_the_session_goes_on(self):
        with pong() as env:
            for bad in (-5, 2**64, 1.5, "1"):
                with self.assertRaises(errors.InvalidArgumentError, msg=repr(bad)) as e:
                    env.reset(seed=bad)
            self.assertIn("seed", str(e.exception))
            first = env.reset(seed=2**64 - 1)[0]  # the whole uint64 range is a seed
            np.testing.assert_array_equal(env.reset(seed=np.uint64(2**64 - 1))[0], first)
            env.step(0)

    def test_step_before_reset(self):
        with pong() as env:
            with self.assertRaises(errors.FailedPreconditionError):
                env.step(0)
            env.reset()

    def test_session_limit(self):
        opened = [pong() for _ in range(MAX_SESSIONS)]
        try:
            with self.assertRaises(errors.ResourceExhaustedError):
                open_now()
        finally:
            for env in opened:
                env.close()

    def test_oversized_request(self):
        with self.assertRaises(errors.ResourceExhaustedError):
            RemoteAtariEnv(service.address, "x" * 100_000)

    def test_idle_session_times_out(self):
        with pong() as env:
            time.sleep(5)
            with self.assertRaises(errors.SessionTimeoutError):
                env.reset()

    def test_unreachable_service(self):
        with self.assertRaises(errors.ServiceUnavailableError):
            RemoteAtariEnv(f"127.0.0.1:{free_port()}", "pong")

    def test_service_shutting_down(self):
        with LocalEnvService(rom_dir=ROMS) as doomed:
            env = RemoteAtariEnv(doomed.address, "pong")
            env.reset()
            doomed.stop()
            with self.assertRaises(errors.ServiceUnavailableError):
                env.step(0)
            env.close()

    def test_closed_env(self):
        env = pong()
        env.close()
        with self.assertRaises(errors.FailedPreconditionError):
            env.reset()


if __name__ == "__main__":
    unittest.main()
