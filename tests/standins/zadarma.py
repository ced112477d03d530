"""Zadarma / Novofon API v1 stand-in for the tests (../shared/TELEPHONY.md section 2).

    python tests/standins/zadarma.py --port 8098 [--key testkey --secret testsecret]

Every request must carry Zadarma's ``Authorization: <key>:<signature>``,
``signature = base64(hex(HMAC-SHA1(secret, path + query + md5(query))))``
with the query's parameters sorted (else 401 ``{"status": "error"}``):

* ``GET /v1/pbx/record/request/?call_id=…[&lifetime=…]`` -> ``{"status":
  "success", "link": ".../rec/<call_id>.mp3", "lifetime_till": ...}``; an
  unknown or not-yet-ready recording -> ``{"status": "error", "message":
  "record not found"}`` (HTTP 400);
* ``GET /rec/<call_id>.mp3`` -> the file;
* ``GET /v1/request/callback/?from=…&to=…`` -> ``{"status": "success",
  "from": …, "to": …, "time": …}``.

``received`` lists every API request (path, params, authorized);
``recordings`` maps call ids to bytes, ``not_ready[call_id]`` counts the
requests still answered "not found". ``start()`` / ``stop()`` as the Mango one.
A test may set ``link`` (the link the API answers, e.g. an internal
address) and ``redirects[call_id]`` (the Location its ``/rec/`` link answers
with a 302), to play a hostile or a storage-redirecting API.
"""
import argparse
import base64
import hashlib
import hmac
import threading
import time
from urllib.parse import parse_qsl, unquote, urlencode

try:
    from .common import ThreadedStandIn, respond
except ImportError:  # run as a script
    from common import ThreadedStandIn, respond


def signature(secret, method, params):
    query = urlencode(sorted(params.items()))
    digest = hmac.new(secret.encode("utf-8"), (method + query + hashlib.md5(query.encode("utf-8")).hexdigest())
                      .encode("utf-8"), hashlib.sha1).hexdigest()
    return base64.b64encode(digest.encode("ascii")).decode("ascii")


class ZadarmaStandIn(ThreadedStandIn):
    def __init__(self, key="testkey", secret="testsecret"):
        super(ZadarmaStandIn, self).__init__()
        self.key = key
        self.secret = secret
        self.recordings = {}
        self.not_ready = {}
        self.link = None         # a test's own link in the API's answer (a hostile API)
        self.redirects = {}      # call_id -> Location its /rec/ link answers with a 302

    def app(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/rec/"):
            call_id = unquote(path[len("/rec/"):])[:-len(".mp3")]
            data = self.recordings.get(call_id)
            if call_id in self.redirects:
                with self.lock:
                    self.received.append({"path": path, "params": {}, "authorized": False})
                return respond(start_response, "302 Found", b"", "text/plain",
                               [("Location", self.redirects[call_id])])
            if data is None:
                return respond(start_response, "404 Not Found", b"", "text/plain")
            return respond(start_response, "200 OK", data, "audio/mpeg")
        params = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        auth = environ.get("HTTP_AUTHORIZATION", "")
        authorized = auth == "%s:%s" % (self.key, signature(self.secret, path, params))
        with self.lock:
            self.received.append({"path": path, "params": params, "authorized": authorized})
        if not authorized:
            return respond(start_response, "401 Unauthorized", {"status": "error", "message": "Not authorized"})
        if path == "/v1/pbx/record/request/":
            call_id = params.get("call_id") or params.get("pbx_call_id") or ""
            with self.lock:
                if call_id not in self.recordings or self.not_ready.get(call_id, 0) > 0:
                    if self.not_ready.get(call_id, 0) > 0:
                        self.not_ready[call_id] -= 1
                    return respond(start_response, "400 Bad Request",
                                   {"status": "error", "message": "record not found"})
            lifetime = int(params.get("lifetime") or 1800)
            return respond(start_response, "200 OK", {
                "status": "success", "link": self.link or "%s/rec/%s.mp3" % (self.url, call_id),
                "lifetime_till": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() + lifetime))})
        if path == "/v1/request/callback/":
            if not params.get("from") or not params.get("to"):
                return respond(start_response, "400 Bad Request", {"status": "error", "message": "Wrong parameters"})
            return respond(start_response, "200 OK", {"status": "success", "from": params["from"],
                                                      "to": params["to"], "time": int(time.time())})
        return respond(start_response, "404 Not Found", {"status": "error", "message": "Method not found"})

    def calls(self, path):
        with self.lock:
            return [item for item in self.received if item["path"] == path]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8098)
    parser.add_argument("--key", default="testkey")
    parser.add_argument("--secret", default="testsecret")
    args = parser.parse_args()
    stand_in = ZadarmaStandIn(args.key, args.secret).start(args.port)
    print("Zadarma stand-in on %s" % stand_in.url)
    threading.Event().wait()


if __name__ == "__main__":
    main()
