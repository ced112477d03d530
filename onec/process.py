"""Start the stand-in in a subprocess on a free loopback port, for the
cross-addon tests and the benchmarks (addons' own tests carry their own, so
that an addon does not import the repository)."""
import json
import os
import socket
import subprocess
import sys
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(data_path=None):
    """Returns (process, url). Without data_path the stand-in starts empty:
    the caller puts in it what it needs through /__control__."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "onec.server", "--host", "127.0.0.1", "--port", str(port),
         "--data", data_path or os.path.join(ROOT, "no-such-file.json")],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = "http://127.0.0.1:%d" % port
    for _i in range(100):
        try:
            requests.get(url + "/__control__", timeout=2)
            return process, url
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the 1C stand-in did not start on %s" % url)


def stop(process):
    process.terminate()
    process.wait(10)


def control(url, **values):
    """POST to the stand-in's /__control__ (see onec/server.py): a fault
    mode, the answer style, new data or an upsert; returns its state."""
    answer = requests.post(url + "/__control__", data=json.dumps(values).encode("utf-8"), timeout=120)
    if answer.status_code != 200:
        raise RuntimeError("the 1C stand-in refused %s: %s" % (sorted(values), answer.text))
    return answer.json()
