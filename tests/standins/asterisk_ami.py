"""Asterisk Manager Interface stand-in: a TCP server on 127.0.0.1.

    python tests/standins/asterisk_ami.py --port 5038 --events FILE [--user U --secret S]

It speaks AMI as Asterisk 16-20 does, for what Odoo and the bridge use:

* the banner ``Asterisk Call Manager/5.0.1``;
* ``Login`` (Username/Secret): ``Response: Success`` /
  ``Message: Authentication accepted`` and ``FullyBooted``, or
  ``Response: Error`` / ``Message: Authentication failed`` and the connection
  closed;
* after a login with events on, it replays the recorded event text it was
  given (AMI messages separated by blank lines, ``\\n`` or ``\\r\\n``), then
  closes the connection when ``close_after_replay`` (the bridge's ``--once``);
* ``Originate`` answers ``Originate successfully queued`` (with ``Async``)
  and is recorded; ``Ping`` -> ``Pong``; ``Logoff`` -> ``Goodbye``, closed;
  any other action: ``Response: Error`` / ``Message: Invalid/unknown command``.

``received`` holds every action (dict) of every connection, for the tests.
"""
import argparse
import socket
import socketserver
import threading
import time

BANNER = b"Asterisk Call Manager/5.0.1\r\n"


def parse_events(text):
    """Recorded AMI text -> list of messages (dicts), in order."""
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        message = {}
        for line in block.split("\n"):
            if not line.strip() or line.startswith(";"):
                continue
            key, _sep, value = line.partition(":")
            message[key.strip()] = value.strip()
        if message:
            events.append(message)
    return events


def render(message):
    return ("".join("%s: %s\r\n" % item for item in message.items()) + "\r\n").encode("utf-8")


class AmiStandIn(object):
    def __init__(self, events_text="", username="odoo", secret="secret", close_after_replay=False,
                 event_delay=0.0):
        self.events = parse_events(events_text)
        self.username = username
        self.secret = secret
        self.close_after_replay = close_after_replay
        self.event_delay = event_delay
        self.received = []
        self.logins = []
        self._server = None

    # -- life -----------------------------------------------------------------
    def start(self, port=0):
        stand_in = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                stand_in.serve(self.connection, self.rfile)

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        return "ami://127.0.0.1:%d" % self.port

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def originates(self):
        return [action for action in self.received if action.get("Action", "").lower() == "originate"]

    # -- one connection ----------------------------------------------------------
    def serve(self, sock, rfile):
        sock.sendall(BANNER)
        logged_in = False
        while True:
            action = self._read(rfile)
            if action is None:
                return
            self.received.append(action)
            name = action.get("Action", "").lower()
            answer = {"Response": "Success"}
            if "ActionID" in action:
                answer["ActionID"] = action["ActionID"]
            if name == "login":
                ok = action.get("Username") == self.username and action.get("Secret") == self.secret
                self.logins.append(ok)
                if not ok:
                    answer.update(Response="Error", Message="Authentication failed")
                    sock.sendall(render(answer))
                    return
                answer["Message"] = "Authentication accepted"
                sock.sendall(render(answer))
                sock.sendall(render({"Event": "FullyBooted", "Privilege": "system,all", "Uptime": "1",
                                     "LastReload": "1", "Status": "Fully Booted"}))
                logged_in = True
                if action.get("Events", "on").lower() != "off" and self.events:
                    for event in self.events:
                        if self.event_delay:
                            time.sleep(self.event_delay)
                        sock.sendall(render(event))
                    if self.close_after_replay:
                        time.sleep(0.2)
                        sock.shutdown(socket.SHUT_RDWR)
                        return
            elif not logged_in:
                answer.update(Response="Error", Message="Permission denied")
                sock.sendall(render(answer))
            elif name == "originate":
                answer["Message"] = "Originate successfully queued"
                sock.sendall(render(answer))
            elif name == "ping":
                answer.update(Ping="Pong", Timestamp="%.6f" % time.time())
                sock.sendall(render(answer))
            elif name == "logoff":
                answer.update(Response="Goodbye", Message="Thanks for all the fish.")
                sock.sendall(render(answer))
                return
            else:
                answer.update(Response="Error", Message="Invalid/unknown command")
                sock.sendall(render(answer))

    @staticmethod
    def _read(rfile):
        message = {}
        while True:
            try:
                line = rfile.readline()
            except OSError:
                return None
            if not line:
                return None
            line = line.decode("utf-8", "replace").rstrip("\r\n")
            if not line:
                if message:
                    return message
                continue
            key, _sep, value = line.partition(":")
            message[key.strip()] = value.strip()


def main():
    parser = argparse.ArgumentParser(description="AMI stand-in")
    parser.add_argument("--port", type=int, default=5038)
    parser.add_argument("--events", help="recorded AMI event text to replay after each login")
    parser.add_argument("--user", default="odoo")
    parser.add_argument("--secret", default="secret")
    args = parser.parse_args()
    text = open(args.events, encoding="utf-8").read() if args.events else ""
    stand_in = AmiStandIn(text, args.user, args.secret).start(args.port)
    print("AMI stand-in on 127.0.0.1:%d" % stand_in.port, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        stand_in.stop()


if __name__ == "__main__":
    main()
