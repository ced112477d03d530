"""What the vendors' stand-ins share: a threaded, quiet WSGI server on a
free loopback port, started in a process of its own (as onec/process.py
starts the 1C stand-in)."""
import os
import socket
import subprocess
import sys
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
