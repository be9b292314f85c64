"""A self-signed certificate for 127.0.0.1/localhost, made by openssl, for the TLS tests."""

import shutil
import subprocess
from pathlib import Path


def self_signed(directory) -> tuple:
    """(certificate, key) PEM files in `directory`; the certificate is also the CA to trust."""
    if shutil.which("openssl") is None:
        raise RuntimeError("these tests make a certificate with openssl (apt-get install openssl)")
    d = Path(directory)
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key
