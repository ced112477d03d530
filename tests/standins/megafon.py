"""MegaFon Virtual PBX API stand-in: a small threaded WSGI server on 127.0.0.1.

    python tests/standins/megafon.py --port 8090 [--api-key KEY]

What Odoo uses of ``https://<name>.megapbx.ru`` (../shared/TELEPHONY.md section 3):

* ``POST /crmapi/v1/makecall`` JSON ``{user, phone}`` with ``X-API-KEY``:
  200 ``{"result": "ok", "callid": ...}``; a wrong key: 401; an unknown
  user: 400 (``users`` limits the logins when given);
* ``GET /records/<name>``: a recording link as ``cmd=history`` gives it
  (``link``); serves the bytes put with :meth:`MegafonStandIn.add_record`,
  404 for an unknown one; ``fail_records`` makes that many downloads answer
  503 first (a file not ready yet).

``received`` lists every request (method, path, headers, JSON body).
"""
import argparse
import json
import time

try:
    from standins.common import ThreadedStandIn
except ImportError:  # run as a script (tests/ is not on the path then)
    from common import ThreadedStandIn


class MegafonStandIn(ThreadedStandIn):
    def __init__(self, api_key="demo-megafon-key", users=None):
        self.api_key = api_key
        self.users = set(users) if users else None
        self.records = {}
        self.fail_records = 0
        super(MegafonStandIn, self).__init__()
        self._lock = self.lock

    def add_record(self, name, data):
        self.records[name] = data
        return "%s/records/%s" % (self.url, name)

    @property
    def calls(self):
        return [item["json"] for item in self.received if item["path"] == "/crmapi/v1/makecall"]

    # -- WSGI --------------------------------------------------------------------
    def app(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        try:
            payload = json.loads(body.decode("utf-8")) if body else None
        except ValueError:
            payload = None
        headers = {key[5:].replace("_", "-").title(): value for key, value in environ.items()
                   if key.startswith("HTTP_")}
        with self._lock:
            self.received.append({"method": method, "path": path, "headers": headers, "json": payload,
                                  "time": time.time()})
        if path == "/crmapi/v1/makecall" and method == "POST":
            return self._makecall(headers, payload, start_response)
        if path.startswith("/records/") and method == "GET":
            return self._record(path[len("/records/"):], start_response)
        return self._json(start_response, "404 Not Found", {"error": "not found"})

    def _makecall(self, headers, payload, start_response):
        if headers.get("X-Api-Key") != self.api_key:
            return self._json(start_response, "401 Unauthorized", {"error": "Unauthorized"})
        if not isinstance(payload, dict) or not payload.get("user") or not payload.get("phone"):
            return self._json(start_response, "400 Bad Request", {"error": "user and phone are required"})
        if self.users is not None and payload["user"] not in self.users:
            return self._json(start_response, "400 Bad Request", {"error": "unknown user"})
        return self._json(start_response, "200 OK", {"result": "ok", "callid": "mf-%d" % len(self.received)})

    def _record(self, name, start_response):
        with self._lock:
            if self.fail_records > 0:
                self.fail_records -= 1
                return self._json(start_response, "503 Service Unavailable", {"error": "not ready"})
        data = self.records.get(name)
        if data is None:
            return self._json(start_response, "404 Not Found", {"error": "no such record"})
        start_response("200 OK", [("Content-Type", "audio/mpeg"), ("Content-Length", str(len(data)))])
        return [data]

    @staticmethod
    def _json(start_response, status, payload):
        body = json.dumps(payload).encode("utf-8")
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]


def main():
    parser = argparse.ArgumentParser(description="MegaFon Virtual PBX API stand-in")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--api-key", default="demo-megafon-key")
    args = parser.parse_args()
    stand_in = MegafonStandIn(args.api_key).start(args.port)
    stand_in.add_record("demo.mp3", b"ID3 demo recording")
    print("MegaFon stand-in on %s" % stand_in.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        stand_in.stop()


if __name__ == "__main__":
    main()
