"""Mango Office VPBX API stand-in for the tests (../shared/TELEPHONY.md section 1).

    python tests/standins/mango.py --port 8097 [--key testkey --salt testsalt]

It answers, as app.mango-office.ru does, the two commands the CRM sends,
both form posts of ``vpbx_api_key``, ``sign``, ``json`` with
``sign = sha256_hex(key + json + salt)`` (a wrong key or sign: 401 and
``{"result": 3102}``):

* ``POST /vpbx/commands/callback`` ``{command_id, from: {extension}, to_number}``
  -> ``{"result": 1000}``;
* ``POST /vpbx/queries/recording/post`` ``{recording_id, action: "download"}``
  -> ``302`` to a single-use link ``/download/<token>`` (a second GET of it is
  404, as Mango's temporary links); an unknown recording, or one told to be
  not ready yet, -> 404 ``{"result": 3300}``.

``received`` lists every command (path, form, json) for the tests to assert
on; ``recordings`` maps recording ids to bytes; ``not_ready[recording_id]``
is how many more requests answer "not ready". ``start()`` runs it in a
thread on a free loopback port (``url``), ``stop()`` ends it.
A test may set ``location`` (the 302's Location, e.g. an internal address)
to play a hostile API.
"""
import argparse
import hashlib
import json
import secrets
import threading
from urllib.parse import parse_qsl

try:
    from standins.common import ThreadedStandIn, respond
except ImportError:  # run as a script (tests/ is not on the path then)
    from common import ThreadedStandIn, respond


def sign(key, text, salt):
    return hashlib.sha256(("%s%s%s" % (key, text, salt)).encode("utf-8")).hexdigest()


class MangoStandIn(ThreadedStandIn):
    def __init__(self, key="testkey", salt="testsalt"):
        super(MangoStandIn, self).__init__()
        self.key = key
        self.salt = salt
        self.recordings = {}     # recording_id -> bytes
        self.not_ready = {}      # recording_id -> requests still answered "not ready"
        self.links = {}          # token -> recording_id, single use
        self.callback_result = 1000
        self.location = None     # a test's own Location for the 302 (a hostile API)

    def app(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        if path.startswith("/download/") and environ["REQUEST_METHOD"] == "GET":
            with self.lock:
                recording_id = self.links.pop(path[len("/download/"):], None)
            if recording_id is None:
                return respond(start_response, "404 Not Found", b"link expired", "text/plain")
            return respond(start_response, "200 OK", self.recordings[recording_id], "audio/mpeg")
        if environ["REQUEST_METHOD"] != "POST" or not path.startswith("/vpbx/"):
            return respond(start_response, "404 Not Found", {"result": 4001})
        form = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
        text = form.get("json", "")
        try:
            payload = json.loads(text)
        except ValueError:
            payload = None
        with self.lock:
            self.received.append({"path": path, "form": form, "json": payload})
        if form.get("vpbx_api_key") != self.key or form.get("sign") != sign(self.key, text, self.salt):
            return respond(start_response, "401 Unauthorized", {"result": 3102})
        if not isinstance(payload, dict):
            return respond(start_response, "400 Bad Request", {"result": 3101})
        if path == "/vpbx/commands/callback":
            return respond(start_response, "200 OK", {"result": self.callback_result})
        if path == "/vpbx/queries/recording/post":
            recording_id = str(payload.get("recording_id"))
            with self.lock:
                if recording_id not in self.recordings or self.not_ready.get(recording_id, 0) > 0:
                    if self.not_ready.get(recording_id, 0) > 0:
                        self.not_ready[recording_id] -= 1
                    return respond(start_response, "404 Not Found", {"result": 3300})
                token = secrets.token_urlsafe(16)
                self.links[token] = recording_id
            return respond(start_response, "302 Found", b"", "text/plain",
                           [("Location", self.location or self.url + "/download/" + token)])
        return respond(start_response, "404 Not Found", {"result": 4001})

    def calls(self, path):
        with self.lock:
            return [item for item in self.received if item["path"] == path]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8097)
    parser.add_argument("--key", default="testkey")
    parser.add_argument("--salt", default="testsalt")
    args = parser.parse_args()
    stand_in = MangoStandIn(args.key, args.salt).start(args.port)
    print("Mango stand-in on %s" % stand_in.url)
    threading.Event().wait()


if __name__ == "__main__":
    main()
