"""Telegram Bot API stand-in for the tests: answers ``sendMessage`` and
``setWebhook`` as api.telegram.org does and records what it received.

    python tests/standins/telegram.py --port 8099 [--token 123:ABC]

* ``POST /bot<token>/<method>`` (JSON or form): ``{"ok": true, "result": ...}``;
  a token other than ``--token`` gets Telegram's 401 ``Unauthorized``;
* ``GET /__sent__``: the list of ``{"method", "token", "payload"}`` received;
* ``POST /__control__`` ``{"fail": "description"}``: the next calls answer 400
  with that description (``{"fail": null}`` heals; ``{"clear": true}`` forgets).

``start()`` / ``stop()`` run it in a subprocess on a free loopback port."""
import argparse
import json
import threading
import time
from urllib.parse import parse_qsl

try:
    from standins import common
except ImportError:  # run as a script (tests/ is not on the path then)
    import common


class State(object):
    def __init__(self, token):
        self.token = token
        self.sent = []
        self.fail = None
        self.next_id = 1000
        self.lock = threading.Lock()


def _json(start_response, status, payload):
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def app_for(state):
    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        if path == "/__sent__":
            with state.lock:
                return _json(start_response, "200 OK", state.sent)
        if path == "/__control__":
            values = json.loads(raw.decode("utf-8") or "{}")
            with state.lock:
                if "fail" in values:
                    state.fail = values["fail"]
                if values.get("clear"):
                    state.sent = []
            return _json(start_response, "200 OK", {"ok": True})
        parts = path.strip("/").split("/")
        if len(parts) != 2 or not parts[0].startswith("bot"):
            return _json(start_response, "404 Not Found", {"ok": False, "error_code": 404,
                                                           "description": "Not Found"})
        token, method = parts[0][3:], parts[1]
        if state.token and token != state.token:
            return _json(start_response, "401 Unauthorized", {"ok": False, "error_code": 401,
                                                              "description": "Unauthorized"})
        if "json" in (environ.get("CONTENT_TYPE") or ""):
            payload = json.loads(raw.decode("utf-8") or "{}")
        else:
            payload = dict(parse_qsl(raw.decode("utf-8")))
        with state.lock:
            state.sent.append({"method": method, "token": token, "payload": payload})
            if state.fail:
                return _json(start_response, "400 Bad Request", {"ok": False, "error_code": 400,
                                                                 "description": state.fail})
            state.next_id += 1
            message_id = state.next_id
        if method == "sendMessage":
            if not payload.get("chat_id") or not payload.get("text"):
                return _json(start_response, "400 Bad Request", {
                    "ok": False, "error_code": 400, "description": "Bad Request: message text is empty"})
            return _json(start_response, "200 OK", {"ok": True, "result": {
                "message_id": message_id, "date": int(time.time()),
                "from": {"id": 7000000001, "is_bot": True, "first_name": "Sales", "username": "sales_bot"},
                "chat": {"id": int(payload["chat_id"]), "type": "private"}, "text": payload["text"]}})
        if method == "setWebhook":
            if not str(payload.get("url", "")).startswith(("http://", "https://")):
                return _json(start_response, "400 Bad Request", {
                    "ok": False, "error_code": 400, "description": "Bad Request: bad webhook: invalid URL"})
            return _json(start_response, "200 OK", {"ok": True, "result": True,
                                                    "description": "Webhook was set"})
        return _json(start_response, "404 Not Found", {"ok": False, "error_code": 404, "description": "Not Found"})
    return app


def start(token=""):
    """Returns (process, url) of a stand-in on a free loopback port."""
    return common.start_process(__file__, "/__sent__", "Telegram", "--token", token)


stop = common.stop


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--token", default="")
    args = parser.parse_args()
    common.serve(app_for(State(args.token)), args.port, args.host)


if __name__ == "__main__":
    main()
