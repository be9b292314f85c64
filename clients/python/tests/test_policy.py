"""RemotePolicy and PolicyAgent against a real policy service serving real exports.

The learner's jar trains two tiny runs (an LSTM net on catch, a feed-forward one on Pong) and
exports them; the policy service's jar serves them (also with TLS and a bearer token, from a
certificate made by openssl); the env service's jar plays the games. Needs ROMs ($ALE_ROM_DIR)
and the built jars (`mvn package`).
"""

import dataclasses
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

import numpy as np

from ma3c_env import RemoteAtariEnv, RemotePolicy, errors, list_games
from ma3c_env.local_service import LocalEnvService, LocalPolicyService, free_port
from ma3c_env.policy import PolicyAgent
from tests.certs import self_signed

ROMS = os.environ.get("ALE_ROM_DIR", "roms")
LEARNER_JAR = Path(__file__).resolve().parents[3] / "learner" / "target" / "ma3c-learner.jar"
TOKEN = "policy-s3cret"
workdir = env_service = policy_service = secure_service = ca = None


def learner(*args):
    result = subprocess.run(["java", "--add-modules", "jdk.incubator.vector", "-jar",
                             str(LEARNER_JAR), *args], capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"ma3c {' '.join(args)} failed: {result.stderr[-2000:]}")


def export(models, game, *train_args):
    """Trains a short run of `game` and copies its export into `models`."""
    run = Path(workdir.name) / f"{game}-run"
    learner("train", "--games", game, "--arch", "a3c", "--threads", "1", "--frames", "800",
            "--rom-dir", ROMS, "--run-dir", str(run), "--progress-every", "60", *train_args)
    learner("export", "--run", str(run))
    (models / f"{game}.onnx").write_bytes((run / "export" / f"{game}.onnx").read_bytes())


def setUpModule():
    global workdir, env_service, policy_service, secure_service, ca
    if not os.path.isfile(os.path.join(ROMS, "pong.bin")):
        raise RuntimeError(f"these tests need ROMs: set ALE_ROM_DIR (no pong.bin in {ROMS})")
    if not LEARNER_JAR.is_file():
        raise RuntimeError(f"no learner jar at {LEARNER_JAR}: run `mvn -B package -DskipTests`")
    workdir = tempfile.TemporaryDirectory()
    unittest.addModuleCleanup(workdir.cleanup)
    models = Path(workdir.name) / "models"
    models.mkdir()
    export(models, "catch", "--lstm")
    export(models, "pong")
    # Cleanups run even when a later step of the set-up fails.
    env_service = LocalEnvService(rom_dir=ROMS)
    unittest.addModuleCleanup(env_service.stop)
    policy_service = LocalPolicyService(models=models)
    unittest.addModuleCleanup(policy_service.stop)
    ca, key = self_signed(workdir.name)
    token = Path(workdir.name) / "token"
    token.write_text(TOKEN + "\n")
    secure_service = LocalPolicyService(models=models, tls_ca=ca, args=[
        "--tls-cert", ca, "--tls-key", key, "--token-file", token])
    unittest.addModuleCleanup(secure_service.stop)


def frames(count, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.integers(0, 256, (84, 84), dtype=np.uint8) for _ in range(count)]


class ModelsTest(unittest.TestCase):
    def test_models_say_what_to_feed(self):
        with RemotePolicy(policy_service.address) as policy:
            models = policy.models()
        self.assertEqual(set(models), {"catch", "pong"})
        games = list_games(env_service.address)
        catch, pong = models["catch"], models["pong"]
        self.assertEqual(catch.observation_shape, (1, 84, 84))
        self.assertEqual(catch.state_size, 256)
        self.assertEqual(pong.observation_shape, (4, 84, 84))
        self.assertEqual(pong.state_size, 0)
        self.assertEqual(pong.action_meanings, games["pong"])
        self.assertEqual(catch.action_meanings, games["catch"])
        self.assertEqual(pong.architecture, "a3c")
        self.assertGreaterEqual(pong.frames_trained, 800)

    def test_env_config_opens_the_game_as_trained(self):
        with RemotePolicy(policy_service.address) as policy:
            keywords = policy.env_config("pong")
            trained = policy.models()["pong"].preprocessing
        self.assertFalse(keywords["terminal_on_life_loss"])
        self.assertNotIn("seed", keywords)
        with RemoteAtariEnv(env_service.address, "pong", **keywords) as env:
            self.assertEqual(env.config.frame_skip, trained["frameSkip"])
            self.assertEqual(env.config.noop_max, trained["noopMax"])
            self.assertEqual(env.config.max_pool, trained["maxPool"])
            self.assertEqual(env.observation_space.shape, (84, 84))


class AgentTest(unittest.TestCase):
    def setUp(self):
        self.policy = RemotePolicy(policy_service.address)

    def tearDown(self):
        self.policy.close()

    def test_the_lstm_state_is_carried_and_reset(self):
        f1, f2 = frames(2)
        with self.policy.agent("catch") as agent:
            d1 = agent.act(f1)
            d2 = agent.act(f2)
            self.assertEqual(d1.h.shape, (256,))
            self.assertFalse(np.array_equal(d1.h, d2.h))
            # The stream's second decision is Act's with the first decision's state.
            unary = self.policy.act("catch", f2[np.newaxis], h=d1.h, c=d1.c)
            np.testing.assert_allclose(d2.probs, unary.probs, rtol=1e-5)
            np.testing.assert_allclose(d2.h, unary.h, rtol=1e-5, atol=1e-7)
            agent.reset()
            again = agent.act(f1)
            np.testing.assert_allclose(again.probs, d1.probs, rtol=1e-5)
            np.testing.assert_allclose(again.h, d1.h, rtol=1e-5, atol=1e-7)

    def test_frames_are_stacked_as_in_training(self):
        f1, f2, f3 = frames(3, seed=1)
        with self.policy.agent("pong") as agent:
            agent.act(f1)
            d = agent.act(f2)
            self.assertEqual(d.h.size, 0)
            np.testing.assert_allclose(
                d.probs, self.policy.act("pong", np.stack([f1, f1, f1, f2])).probs, rtol=1e-5)
            # The order matters to the net: the newest frame last, as in training.
            self.assertFalse(np.allclose(
                d.probs, self.policy.act("pong", np.stack([f2, f1, f1, f1])).probs, rtol=1e-5))
            agent.reset()
            d = agent.act(f3)
            np.testing.assert_allclose(
                d.probs, self.policy.act("pong", np.stack([f3] * 4)).probs, rtol=1e-5)

    def test_an_agent_plays_a_whole_game(self):
        with RemoteAtariEnv(env_service.address, "catch", seed=3,
                            **self.policy.env_config("catch")) as env, \
                self.policy.agent("catch", greedy=True) as agent:
            obs, info = env.reset()
            steps, done = 0, False
            while not done:
                decision = agent.act(obs)
                self.assertTrue(0 <= decision.action < env.action_space.n)
                self.assertAlmostEqual(float(decision.probs.sum()), 1.0, places=4)
                self.assertEqual(decision.action, int(np.argmax(decision.probs)))
                obs, reward, terminated, truncated, info = env.step(decision.action)
                steps += 1
                done = terminated or truncated
            self.assertIn("episode_return", info)
            self.assertGreater(steps, 1)


class ErrorsTest(unittest.TestCase):
    def setUp(self):
        self.policy = RemotePolicy(policy_service.address)

    def tearDown(self):
        self.policy.close()

    def test_no_model_for_the_game(self):
        with self.assertRaises(errors.GameNotFoundError):
            self.policy.agent("breakout")
        with self.assertRaises(errors.GameNotFoundError):
            self.policy.act("breakout", np.zeros((4, 84, 84), np.uint8))

    def test_a_wrong_observation_is_invalid(self):
        with self.assertRaises(errors.InvalidArgumentError) as e:
            self.policy.act("pong", np.zeros((3, 84, 84), np.uint8))
        self.assertIn("observation", str(e.exception))
        with self.policy.agent("pong") as agent:
            with self.assertRaises(errors.InvalidArgumentError):
                agent.act(np.zeros((84, 83), np.uint8))
            # Refused here rather than cast (to zeros, or wrapped): the stream goes on.
            for frame in (np.full((84, 84), 0.5), np.full((84, 84), 300)):
                with self.assertRaises(errors.InvalidArgumentError):
                    agent.act(frame)
            agent.act(np.zeros((84, 84)))  # whole numbers in [0, 255] are pixels
        with self.assertRaises(errors.InvalidArgumentError):
            self.policy.act("catch", np.zeros((1, 84, 84), np.uint8), h=["a"] * 256)

    def test_in_band_errors_leave_the_stream_usable(self):
        pong = self.policy.models()["pong"]
        # Agents that believe in another game, or another stack depth, than the service's model:
        # the service answers each request with an in-band error, and answers the next one too.
        for info, error in ((dataclasses.replace(pong, game="breakout"), errors.GameNotFoundError),
                            (dataclasses.replace(pong, observation_shape=(2, 84, 84)),
                             errors.InvalidArgumentError)):
            with PolicyAgent(self.policy._stub, info) as agent:
                for _ in range(2):
                    with self.assertRaises(error):
                        agent.act(np.zeros((84, 84), np.uint8))

    def test_a_service_that_is_gone(self):
        with self.assertRaises(errors.ServiceUnavailableError):
            with RemotePolicy(f"127.0.0.1:{free_port()}", timeout=5) as policy:
                policy.models()


class SecureServiceTest(unittest.TestCase):
    """A policy service started with --tls-cert/--tls-key and --token-file."""

    def test_the_ca_and_token_serve_decisions(self):
        with RemotePolicy(secure_service.address, tls_ca=ca, token=TOKEN) as policy:
            self.assertEqual(set(policy.models()), {"catch", "pong"})
            self.assertEqual(policy.act("pong", np.zeros((4, 84, 84), np.uint8)).probs.shape, (6,))
            with policy.agent("catch") as agent:  # the token rides on the stream too
                self.assertEqual(agent.act(np.zeros((84, 84), np.uint8)).h.shape, (256,))

    def test_a_missing_or_wrong_token_is_unauthenticated(self):
        for token in (None, "policy-s3cret-not"):
            with RemotePolicy(secure_service.address, tls_ca=ca, token=token) as policy:
                with self.assertRaises(errors.UnauthenticatedError) as e:
                    policy.models()
                self.assertEqual(e.exception.details, "missing or invalid bearer token")
                with self.assertRaises(errors.UnauthenticatedError):
                    policy.act("pong", np.zeros((4, 84, 84), np.uint8))
        with RemotePolicy(secure_service.address, tls_ca=ca, token=TOKEN) as policy:
            info = policy.model("catch")
            with PolicyAgent(policy._stub, info) as agent:  # a stream without the token
                with self.assertRaises(errors.UnauthenticatedError):
                    agent.act(np.zeros((84, 84), np.uint8))


if __name__ == "__main__":
    unittest.main()
