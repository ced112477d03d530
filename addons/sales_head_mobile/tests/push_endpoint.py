# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A push service stand-in on 127.0.0.1: records what it receives and
answers 201, or 404/410 for the paths that say so; and a browser's
subscription keys, to decrypt what it received as the browser would."""
import base64
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import http_ece
from cryptography.hazmat.backends import default_backend
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushEndpoint(object):
    def __init__(self):
        self.received = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                endpoint.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status = 410 if self.path.startswith("/gone") else 404 if self.path.startswith("/missing") else 201
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.host = "127.0.0.1:%d" % self.port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return "http://%s%s" % (self.host, path)

    def wait(self, count, timeout=30):
        deadline = time.time() + timeout
        while len(self.received) < count and time.time() < deadline:
            time.sleep(0.1)
        return self.received

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Browser(object):
    """The keys a browser makes when it subscribes."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1(), default_backend())
        self.auth = os.urandom(16)
        point = self.key.public_key().public_bytes(serialization.Encoding.X962,
                                                   serialization.PublicFormat.UncompressedPoint)
        self.p256dh = b64url(point)
        self.auth_b64 = b64url(self.auth)

    def decrypt(self, body):
        return json.loads(http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth,
                                           version="aes128gcm").decode("utf-8"))


def check_vapid(authorization, public_key, audience):
    """The Authorization header of a push: 'vapid t=<JWT>, k=<key>' whose
    JWT is signed (ES256) by ``public_key`` for ``audience``; returns the
    claims."""
    assert authorization.startswith("vapid "), authorization
    parts = dict(item.strip().split("=", 1) for item in authorization[len("vapid "):].split(","))
    assert parts["k"] == public_key
    header, claims, signature = parts["t"].split(".")
    raw = b64url_decode(signature)
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(public_key))
    der = utils.encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key.verify(der, ("%s.%s" % (header, claims)).encode("ascii"), ec.ECDSA(hashes.SHA256()))
    claims = json.loads(b64url_decode(claims))
    assert json.loads(b64url_decode(header))["alg"] == "ES256"
    assert claims["aud"] == audience and claims["exp"] > time.time() and claims["sub"]
    return claims
