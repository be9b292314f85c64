"""Parts of the client that need no server: error mapping, config building, the space stand-ins."""

import unittest

import grpc
import numpy as np

from ma3c_env import env_config, errors, spaces
from ma3c_env.policy import _request, env_keywords
from ma3c.env.v1 import env_pb2


class ErrorMappingTest(unittest.TestCase):
    def test_each_contract_code_has_its_exception(self):
        expected = {
            grpc.StatusCode.NOT_FOUND: errors.GameNotFoundError,
            grpc.StatusCode.INVALID_ARGUMENT: errors.InvalidArgumentError,
            grpc.StatusCode.FAILED_PRECONDITION: errors.FailedPreconditionError,
            grpc.StatusCode.RESOURCE_EXHAUSTED: errors.ResourceExhaustedError,
            grpc.StatusCode.DEADLINE_EXCEEDED: errors.SessionTimeoutError,
            grpc.StatusCode.UNAVAILABLE: errors.ServiceUnavailableError,
            grpc.StatusCode.CANCELLED: errors.SessionCancelledError,
            grpc.StatusCode.INTERNAL: errors.InternalError,
            grpc.StatusCode.UNAUTHENTICATED: errors.UnauthenticatedError,
        }
        for code, cls in expected.items():
            e = errors.from_in_band(code.value[0], "why")
            self.assertIs(type(e), cls, code)
            self.assertEqual(e.code, code)
            self.assertEqual(str(e), f"{code.name}: why")

    def test_other_codes_keep_their_code(self):
        e = errors.from_status(grpc.StatusCode.PERMISSION_DENIED, "no")
        self.assertIs(type(e), errors.EnvServiceError)
        self.assertEqual(e.code, grpc.StatusCode.PERMISSION_DENIED)
        self.assertEqual(errors.from_in_band(999, "?").code, grpc.StatusCode.UNKNOWN)


class EnvConfigTest(unittest.TestCase):
    def test_keywords_map_to_the_contract(self):
        config = env_config(frame_skip=2, repeat_action_probability=0.0, seed=7,
                            observation_format="rgb", full_action_space=True, compression="zlib")
        self.assertEqual(config.frame_skip, 2)
        self.assertTrue(config.HasField("repeat_action_probability"), "an explicit 0 is sent")
        self.assertEqual(config.seed, 7)
        self.assertEqual(config.observation_format, env_pb2.RGB_FULL)
        self.assertEqual(config.action_set, env_pb2.FULL)
        self.assertEqual(config.compression, env_pb2.ZLIB)

    def test_left_out_keywords_are_left_to_the_service(self):
        self.assertEqual(env_config(), env_pb2.EnvConfig())

    def test_values_protobuf_would_refuse_raise_invalid_argument(self):
        # Not protobuf's bare ValueError / TypeError: the client's own error, naming the keyword.
        for key, bad in (("seed", -1), ("seed", 2**64), ("frame_skip", 2**31),
                         ("noop_max", -2**31 - 1), ("max_episode_frames", 1.5),
                         ("frame_skip", True), ("max_pool", "yes"),
                         ("repeat_action_probability", "0.1"), ("observation_format", "grey")):
            with self.assertRaises(errors.InvalidArgumentError, msg=(key, bad)) as e:
                env_config(**{key: bad})
            self.assertIn(key, str(e.exception))
        self.assertEqual(env_config(seed=np.uint64(2**64 - 1), frame_skip=np.int32(3)),
                         env_pb2.EnvConfig(seed=2**64 - 1, frame_skip=3))


class SpacesTest(unittest.TestCase):
    def test_discrete(self):
        space = spaces.Discrete(6)
        space.seed(1)
        samples = {space.sample() for _ in range(200)}
        self.assertEqual(samples, set(range(6)))
        self.assertTrue(space.contains(5))
        self.assertFalse(space.contains(6))

    def test_box(self):
        space = spaces.Box(0, 255, (84, 84), np.uint8)
        sample = space.sample()
        self.assertEqual(sample.shape, (84, 84))
        self.assertEqual(sample.dtype, np.uint8)
        self.assertTrue(space.contains(sample))
        self.assertFalse(space.contains(np.zeros((84, 83), np.uint8)))


class ActRequestTest(unittest.TestCase):
    """What the policy client sends: arguments it cannot send exactly are refused first."""

    def test_pixels_are_sent_as_uint8(self):
        request = _request("pong", [[0, 255]], [0.5], None, True)
        self.assertEqual(request.observation, bytes([0, 255]))
        self.assertEqual(list(request.h), [0.5])
        self.assertEqual(list(request.c), [])
        self.assertTrue(request.greedy)
        exact = _request("pong", np.array([[3.0]]), None, None, False)  # a whole number
        self.assertEqual(exact.observation, b"\x03")

    def test_bad_arguments_raise_invalid_argument(self):
        good = np.zeros((1, 2), np.uint8)
        for args in ((np.full((1, 2), 0.5), None, None, False),  # scaled to [0, 1]: not pixels
                     ([[0, 256]], None, None, False), ([[-1, 0]], None, None, False),
                     ([["a", "b"]], None, None, False), ([[0], [0, 1]], None, None, False),
                     (good, ["a"], None, False), (good, None, [[0.0]], False),
                     (good, None, None, "yes")):
            with self.assertRaises(errors.InvalidArgumentError, msg=repr(args)):
                _request("pong", *args)


class EnvKeywordsTest(unittest.TestCase):
    """A model's preprocessing (an EnvConfig as the learner exports it) as RemoteAtariEnv keywords."""

    def test_every_trained_setting_is_kept(self):
        keywords = env_keywords({
            "frameSkip": 3, "maxPool": False, "observationFormat": "GRAY_FULL",
            "repeatActionProbability": 0.0, "noopMax": 7, "fireOnReset": True,
            "actionSet": "FULL", "maxEpisodeFrames": 5000, "terminalOnLifeLoss": True,
            "compression": "ZLIB", "seed": "9"})
        self.assertEqual(keywords, {
            "frame_skip": 3, "max_pool": False, "observation_format": "gray",
            "repeat_action_probability": 0.0, "noop_max": 7, "fire_on_reset": True,
            "full_action_space": True, "max_episode_frames": 5000,
            # whole games, whatever training did; the seed and the transport are the caller's
            "terminal_on_life_loss": False})
        env_config(**keywords)  # RemoteAtariEnv takes them

    def test_a_setting_left_out_keeps_the_service_default(self):
        self.assertEqual(env_keywords({"frameSkip": 4}),
                         {"frame_skip": 4, "terminal_on_life_loss": False})


if __name__ == "__main__":
    unittest.main()
