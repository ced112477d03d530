"""What the vendors' stand-ins share: a threaded, quiet WSGI server on a
free loopback port, started in a process of its own (as onec/process.py
starts the 1C stand-in)."""
import json
import os
import socket
import subprocess
import sys
import threading
import time
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(app, port, host="127.0.0.1"):
    make_server(host, port, app, ThreadingServer, QuietHandler).serve_forever()


def start_process(script, probe_path, name, *args):
    """Runs ``script --port <free> *args``; returns (process, url) once
    ``probe_path`` answers."""
    import requests
    port = free_port()
    process = subprocess.Popen([sys.executable, os.path.abspath(script), "--port", str(port)] + list(args),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = "http://127.0.0.1:%d" % port
    for _i in range(100):
        try:
            requests.get(url + probe_path, timeout=2)
            return process, url
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the %s stand-in did not start on %s" % (name, url))


def stop(process):
    process.terminate()
    process.wait(10)


def respond(start_response, status, body=b"", content_type="application/json", headers=()):
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode("utf-8")
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))] + list(headers))
    return [body]


class ThreadedStandIn(object):
    """Runs ``self.app`` on a free loopback port in a daemon thread of the
    test process (``with StandIn() as api:``)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received = []
        self._server = None

    def start(self, port=0):
        self._server = make_server("127.0.0.1", port, self.app, server_class=ThreadingServer,
                                   handler_class=QuietHandler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self._server.server_address[1]

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def app(self, environ, start_response):
        raise NotImplementedError
