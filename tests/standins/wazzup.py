"""Wazzup24 API v3 stand-in for the tests: answers ``POST /v3/message`` and
``PATCH /v3/webhooks`` as api.wazzup24.com does and records what it received.

    python tests/standins/wazzup.py --port 8098 [--key API_KEY]

* ``POST /v3/message`` ``{channelId, chatType, chatId, text}`` with
  ``Authorization: Bearer <key>``: 201 ``{"messageId": <uuid>, "chatId": ...}``;
  a wrong key gets 401, a missing field 400 ``{"error": "validationFailed"}``;
* ``PATCH /v3/webhooks`` ``{webhooksUri, subscriptions}``: like Wazzup, first
  POSTs ``{"test": true}`` to the address and answers 200 ``{"ok": true}`` only
  when the address answered 200 (else 400 ``webhooksUriNotAvailable``);
* ``GET /__sent__``: the ``{"method", "path", "auth", "payload"}`` received;
* ``POST /__control__`` ``{"fail": "error"}`` / ``{"fail": null}`` / ``{"clear": true}`` /
  ``{"crm_key": "..."}`` (then its posts carry ``Authorization: Bearer <crm_key>``, as Wazzup's do
  when it has the CRM's key).

``start()`` / ``stop()`` run it in a subprocess on a free loopback port."""
import argparse
import json
import threading
import uuid

try:
    from standins import common
except ImportError:  # run as a script (tests/ is not on the path then)
    import common


class State(object):
    def __init__(self, key):
        self.key = key
        self.sent = []
        self.fail = None
        self.crm_key = None
        self.lock = threading.Lock()


def _json(start_response, status, payload):
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def app_for(state):
    def app(environ, start_response):
        import requests
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD")
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
                if "crm_key" in values:
                    state.crm_key = values["crm_key"]
            return _json(start_response, "200 OK", {"ok": True})
        auth = environ.get("HTTP_AUTHORIZATION") or ""
        try:
            payload = json.loads(raw.decode("utf-8") or "{}")
        except ValueError:
            return _json(start_response, "400 Bad Request", {"error": "invalidJson"})
        with state.lock:
            state.sent.append({"method": method, "path": path, "auth": auth, "payload": payload})
            fail = state.fail
        if state.key and auth != "Bearer %s" % state.key:
            return _json(start_response, "401 Unauthorized", {"error": "unauthorized",
                                                              "description": "Invalid API key"})
        if fail:
            return _json(start_response, "400 Bad Request", {"error": fail, "description": fail})
        if path == "/v3/message" and method == "POST":
            if not all(payload.get(key) for key in ("channelId", "chatType", "chatId")) or not payload.get("text"):
                return _json(start_response, "400 Bad Request", {"error": "validationFailed",
                                                                 "description": "channelId, chatType, chatId, text"})
            return _json(start_response, "201 Created", {"messageId": str(uuid.uuid4()),
                                                         "chatId": payload["chatId"]})
        if path == "/v3/webhooks" and method == "PATCH":
            try:
                headers = {"Authorization": "Bearer %s" % state.crm_key} if state.crm_key else {}
                check = requests.post(payload.get("webhooksUri") or "", json={"test": True}, headers=headers,
                                      timeout=30)
                ok = check.status_code == 200
            except (requests.RequestException, ValueError):
                ok = False
            if not ok:
                return _json(start_response, "400 Bad Request", {"error": "webhooksUriNotAvailable"})
            return _json(start_response, "200 OK", {"ok": True})
        return _json(start_response, "404 Not Found", {"error": "notFound"})
    return app


def start(key=""):
    """Returns (process, url) of a stand-in on a free loopback port."""
    return common.start_process(__file__, "/__sent__", "Wazzup", "--key", key)


stop = common.stop


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8098)
    parser.add_argument("--key", default="")
    args = parser.parse_args()
    common.serve(app_for(State(args.key)), args.port, args.host)


if __name__ == "__main__":
    main()
