"""The client's `timeout` on stream exchanges, against in-process gRPC servers that take requests
and never answer them (a service frozen without a TCP reset). No jar and no ROMs needed."""

import threading
import time
import unittest
from concurrent import futures

import grpc
import numpy as np

from ma3c.env.v1 import env_pb2, env_pb2_grpc
from ma3c.policy.v1 import policy_pb2_grpc
from ma3c_env import RemoteAtariEnv, RemotePolicy, errors
from ma3c_env.policy import ModelInfo, PolicyAgent

SPEC = env_pb2.EnvSpec(game="frozen", action_count=3, observation=env_pb2.ObservationSpec(
    shape=[84, 84], min=0, max=255, data_type=env_pb2.UINT8))
# A hung answer shows up within this many seconds of a 0.3 s timeout, or not at all.
PATIENCE = 15.0


class FrozenEnv(env_pb2_grpc.EnvironmentServicer):
    """Answers Open (unless told not to), then takes requests and never answers."""

    def __init__(self, thawed: threading.Event, answer_open: bool):
        self.thawed = thawed
        self.answer_open = answer_open

    def Session(self, requests, context):
        for request in requests:
            if request.HasField("open") and self.answer_open:
                yield env_pb2.Response(open=env_pb2.OpenResponse(spec=SPEC))
            else:
                self.thawed.wait()
                return


class FrozenPolicy(policy_pb2_grpc.PolicyServicer):
    def __init__(self, thawed: threading.Event):
        self.thawed = thawed

    def ActStream(self, requests, context):
        next(requests)
        self.thawed.wait()
        return iter(())


class TimeoutTest(unittest.TestCase):
    def serve(self, add, servicer):
        """A server on a free loopback port, stopped (and its frozen handlers freed) after the test."""
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        add(servicer, server)
        port = server.add_insecure_port("127.0.0.1:0")
        server.start()
        self.addCleanup(server.stop, 0)
        self.addCleanup(servicer.thawed.set)
        return f"127.0.0.1:{port}"

    def env_service(self, answer_open=True):
        return self.serve(env_pb2_grpc.add_EnvironmentServicer_to_server,
                          FrozenEnv(threading.Event(), answer_open))

    def assertTimesOut(self, call):
        """`call` raises SessionTimeoutError soon after its 0.3 s, where it used to block forever."""
        outcome = []

        def run():
            try:
                call()
                outcome.append(None)
            except BaseException as e:  # handed to the test's thread
                outcome.append(e)

        start = time.monotonic()
        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        worker.join(PATIENCE)
        self.assertTrue(outcome, f"no answer and no error after {PATIENCE} s: blocked")
        self.assertIsInstance(outcome[0], errors.SessionTimeoutError)
        self.assertIn("no answer from the service within 0.3 s", str(outcome[0]))
        self.assertGreaterEqual(time.monotonic() - start, 0.3)

    def test_a_step_without_an_answer_times_out_and_closes_the_session(self):
        env = RemoteAtariEnv(self.env_service(), "frozen", timeout=0.3)
        self.addCleanup(env.close)
        self.assertTimesOut(lambda: env.step(0))
        with self.assertRaises(errors.FailedPreconditionError):
            env.reset()

    def test_an_open_without_an_answer_times_out(self):
        address = self.env_service(answer_open=False)
        self.assertTimesOut(lambda: RemoteAtariEnv(address, "frozen", timeout=0.3))

    def test_a_decision_without_an_answer_times_out(self):
        address = self.serve(policy_pb2_grpc.add_PolicyServicer_to_server,
                             FrozenPolicy(threading.Event()))
        info = ModelInfo(game="frozen", action_meanings=["NOOP"], observation_shape=(1, 84, 84),
                         state_size=0, architecture="a3c", frames_trained=0, preprocessing={},
                         file="frozen.onnx")
        with RemotePolicy(address, timeout=0.3) as policy:
            agent = PolicyAgent(policy._stub, info, timeout=0.3)
            self.addCleanup(agent.close)
            self.assertTimesOut(lambda: agent.act(np.zeros((84, 84), dtype=np.uint8)))

    def test_time_between_exchanges_does_not_count(self):
        """Only waiting for an answer counts: a session idle longer than the timeout stays open."""
        env = RemoteAtariEnv(self.env_service(), "frozen", timeout=0.3)
        self.addCleanup(env.close)
        self.assertEqual(env.action_space.n, 3)
        time.sleep(0.6)  # idle between exchanges is not waiting for an answer
        self.assertTimesOut(lambda: env.step(0))

    def test_a_bad_timeout_is_refused_before_connecting(self):
        for bad in (0, -1.0, "30", True, float("nan")):
            with self.assertRaises(errors.InvalidArgumentError, msg=repr(bad)) as e:
                RemoteAtariEnv("127.0.0.1:1", "pong", timeout=bad)
            self.assertIn("timeout must be", str(e.exception))
            with self.assertRaises(errors.InvalidArgumentError, msg=repr(bad)):
                RemotePolicy("127.0.0.1:1", timeout=bad)


if __name__ == "__main__":
    unittest.main()
