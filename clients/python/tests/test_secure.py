"""The client against a service that wants TLS and a bearer token (the Java jar, started here
with a certificate made by openssl)."""

import tempfile
import unittest
from pathlib import Path

from ma3c_env import RemoteAtariEnv, UnauthenticatedError, list_games
from ma3c_env.local_service import LocalEnvService
from tests.certs import self_signed

TOKEN = "py-s3cret"


def setUpModule():
    global service, tmp, ca
    tmp = tempfile.TemporaryDirectory()
    d = Path(tmp.name)
    ca, key = self_signed(d)
    (d / "token").write_text(TOKEN + "\n")
    service = LocalEnvService(tls_ca=ca, args=["--tls-cert", ca, "--tls-key", key,
                                               "--token-file", d / "token"])


def tearDownModule():
    service.stop()
    tmp.cleanup()


class SecureServiceTest(unittest.TestCase):
    def test_the_ca_and_token_play_a_game(self):
        self.assertIn("catch", list_games(service.address, tls_ca=ca, token=TOKEN))
        with RemoteAtariEnv(service.address, "catch", tls_ca=ca, token=TOKEN, seed=1) as env:
            obs, _ = env.reset()
            self.assertEqual(obs.shape, (84, 84))
            env.step(0)

    def test_a_missing_or_wrong_token_is_unauthenticated(self):
        for token in (None, "py-s3cret-not"):
            with self.assertRaises(UnauthenticatedError) as e:
                RemoteAtariEnv(service.address, "catch", tls_ca=ca, token=token)
            self.assertEqual(e.exception.details, "missing or invalid bearer token")
            with self.assertRaises(UnauthenticatedError):
                list_games(service.address, tls_ca=ca, token=token)


if __name__ == "__main__":
    unittest.main()
