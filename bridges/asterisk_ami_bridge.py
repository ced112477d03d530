#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Asterisk AMI -> Odoo bridge: one call record per call.

    python3 asterisk_ami_bridge.py -c /etc/asterisk-odoo-bridge.ini

Runs next to Asterisk (Python 3.5+, standard library only). It connects to
the Asterisk Manager Interface, logs in, listens to the ``Cdr`` events
(``cdr_manager`` loaded, ``linkedid`` mapped to ``LinkedID`` in
cdr_manager.conf: docs/telephony/asterisk.md), joins the legs of one call
(same ``LinkedID``: the trunk leg and every phone a ring group rang) and,
once no leg came for ``settle_seconds``, posts ONE record to Odoo's JSON
webhook ``/sales_control/webhook/call`` (docs/telephony-webhooks.md) with the
integration's token in ``X-Sales-Token``. The MixMonitor file of the answered
leg (``recordingfile``) goes along as ``recording_base64``.

A record Odoo could not take (Odoo down, 5xx) stays in the spool directory
and is posted again with a growing delay, also after a restart; Odoo answers
a record it already has as a duplicate. A record Odoo refuses (4xx: wrong
token, bad field) is moved to ``<spool>/refused/`` and logged.

Why one record: every leg is a CDR, and Odoo keeps the first record of a call
id; posting legs one by one would keep the unanswered ring of the first phone
(../shared/TELEPHONY.md section 4).
"""
import argparse
import base64
import configparser
import json
import logging
import os
import re
import socket
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

_logger = logging.getLogger("asterisk_ami_bridge")

MAX_RECORDING = 12 * 1024 * 1024  # bytes: base64 of it stays under Odoo's 16 MB body
WEBHOOK = "/sales_control/webhook/call"
CHANNEL_EXTENSION = re.compile(r"^[A-Za-z0-9]+/([^-@/;]+)")
DEFAULTS = {
    "ami": {"host": "127.0.0.1", "port": "5038", "username": "", "secret": "", "ping_seconds": "30"},
    "odoo": {"url": "http://127.0.0.1:8069", "token": "", "timeout": "30"},
    "bridge": {
        "settle_seconds": "5", "recordings_dir": "/var/spool/asterisk/monitor", "spool_dir": "",
        "timezone": "", "internal_extension": r"^\d{2,5}$", "inbound_contexts": "from-trunk, from-pstn",
        "retry_seconds": "30", "max_retry_seconds": "3600",
    },
    "extensions": {},
}


# -- AMI -----------------------------------------------------------------------

class AmiConnection(object):
    """``Key: Value`` lines; a blank line ends a message."""

    def __init__(self, host, port, timeout=10):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buffer = b""
        self.counter = 0
        self.banner = self._line(block=True)

    def _line(self, block=False):
        while b"\n" not in self.buffer:
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                if block:
                    raise
                return None
            if not chunk:
                raise ConnectionError("AMI closed the connection")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode("utf-8", "replace").rstrip("\r")

    def read(self, block=True):
        """The next message (dict), or None when none came in the socket's
        timeout (``block=False``)."""
        message = {}
        while True:
            line = self._line(block=block or bool(message))
            if line is None:
                return None
            if not line:
                if message:
                    return message
                continue
            key, _sep, value = line.partition(":")
            message[key.strip()] = value.strip()

    def send(self, action, **headers):
        self.counter += 1
        action_id = "bridge-%d" % self.counter
        lines = ["Action: %s" % action, "ActionID: %s" % action_id]
        lines += ["%s: %s" % (key, value) for key, value in headers.items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8"))
        return action_id

    def login(self, username, secret):
        action_id = self.send("Login", Username=username, Secret=secret, Events="cdr")
        while True:
            message = self.read()
            if message.get("ActionID") == action_id and "Response" in message:
                if message["Response"] != "Success":
                    raise PermissionError("AMI login refused: %s" % message.get("Message", ""))
                return message

    def close(self):
        try:
            self.send("Logoff")
        except OSError:
            pass
        self.sock.close()


# -- one call out of its legs ----------------------------------------------------

def field(event, name):
    """A header of the event, whatever case cdr_manager.conf gave it."""
    lowered = name.lower()
    for key, value in event.items():
        if key.lower() == lowered:
            return value
    return ""


def channel_extension(channel):
    found = CHANNEL_EXTENSION.match(channel or "")
    return found.group(1) if found else ""


def to_int(value):
    try:
        return int(float(value or 0))
    except ValueError:
        return 0


class Calls(object):
    """The legs received per linkedid, until the call settles."""

    def __init__(self, settle_seconds):
        self.settle = settle_seconds
        self.legs = {}
        self.seen = {}

    def add(self, event):
        linkedid = field(event, "LinkedID") or field(event, "UniqueID")
        if not linkedid:
            _logger.warning("A Cdr event with neither LinkedID nor UniqueID: skipped")
            return None
        self.legs.setdefault(linkedid, []).append(event)
        self.seen[linkedid] = time.monotonic()
        return linkedid

    def settled(self, force=False):
        now = time.monotonic()
        done = [key for key, seen in self.seen.items() if force or now - seen >= self.settle]
        for key in done:
            del self.seen[key]
            yield key, self.legs.pop(key)


class Builder(object):
    """Turns the legs of a call into the webhook's record."""

    def __init__(self, config):
        bridge = config["bridge"]
        self.recordings_dir = bridge.get("recordings_dir", "")
        self.internal = re.compile(bridge.get("internal_extension") or r"^\d{2,5}$")
        self.inbound_contexts = {c.strip() for c in (bridge.get("inbound_contexts") or "").split(",") if c.strip()}
        self.zone = parse_zone(bridge.get("timezone", ""))
        self.logins = dict(config["extensions"]) if config.has_section("extensions") else {}

    def iso(self, text):
        moment = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S")
        if self.zone is None:
            return moment.astimezone().isoformat()  # the server's local time
        if hasattr(self.zone, "localize"):
            return self.zone.localize(moment).isoformat()
        return moment.replace(tzinfo=self.zone).isoformat()

    def build(self, linkedid, legs):
        """The record of the call, or None for an internal call."""
        legs = sorted(legs, key=lambda leg: field(leg, "StartTime"))
        first = legs[0]
        answered_legs = [leg for leg in legs if field(leg, "Disposition").upper() == "ANSWERED"
                         and to_int(field(leg, "BillableSeconds")) > 0]
        answered_legs = answered_legs or [leg for leg in legs if field(leg, "Disposition").upper() == "ANSWERED"]
        main = max(answered_legs, key=lambda leg: to_int(field(leg, "BillableSeconds"))) if answered_legs else first
        caller = channel_extension(field(first, "Channel"))
        source = field(first, "Source")
        destination = field(first, "Destination")
        from_inside = bool(self.internal.match(caller or "")) or bool(self.internal.match(source or ""))
        inbound = any(field(leg, "DestinationContext") in self.inbound_contexts for leg in legs) or not from_inside
        if not inbound and self.internal.match(destination or ""):
            _logger.info("Call %s is internal (%s -> %s): not posted", linkedid, source, destination)
            return None
        if inbound:
            extension = channel_extension(field(main, "DestinationChannel")) if answered_legs or len(legs) == 1 \
                else ""
            number_to = field(first, "DID") or destination
        else:
            extension = caller or source
            number_to = destination
        billsec = to_int(field(main, "BillableSeconds")) if answered_legs else 0
        record = {
            "call_id": "ast:%s" % linkedid,
            "direction": "in" if inbound else "out",
            "from": source or field(first, "CallerID") or "anonymous",
            "to": number_to or "unknown",
            "start": self.iso(field(first, "StartTime")),
            "duration": billsec,
            "answered": bool(answered_legs),
        }
        if extension:
            record["extension"] = extension
            if self.logins.get(extension):
                record["manager_login"] = self.logins[extension]
        recording = self.recording(main, legs)
        if recording:
            path, data = recording
            record["recording_base64"] = base64.b64encode(data).decode("ascii")
            record["recording_filename"] = os.path.basename(path)
        return record

    def recording(self, main, legs):
        """(path, bytes) of the MixMonitor file of the call, if it is there."""
        names = [field(main, "RecordingFile")] + [field(leg, "RecordingFile") for leg in legs]
        for name in sorted(set(filter(None, names)), key=names.index):
            path = self.find(name, field(main, "StartTime"))
            if not path:
                _logger.warning("Recording %s not found under %s", name, self.recordings_dir)
                continue
            size = os.path.getsize(path)
            if size > MAX_RECORDING:
                _logger.warning("Recording %s is %d bytes, over %d: the call goes without it",
                                path, size, MAX_RECORDING)
                return None
            with open(path, "rb") as handle:
                return path, handle.read()
        return None

    def find(self, name, start):
        """MixMonitor's file: an absolute path, or relative to the spool
        (FreePBX files it under YYYY/MM/DD of the call). Only a file under
        recordings_dir (links resolved) is read: the name comes from AMI, and
        whatever is read is posted to Odoo and filed on a deal."""
        candidates = [name] if os.path.isabs(name) else []
        base = self.recordings_dir or "."
        candidates.append(os.path.join(base, name))
        try:
            day = datetime.strptime(start.strip(), "%Y-%m-%d %H:%M:%S")
            candidates.append(os.path.join(base, day.strftime("%Y"), day.strftime("%m"), day.strftime("%d"),
                                           os.path.basename(name)))
        except ValueError:
            pass
        root = os.path.realpath(base)
        for path in sorted(set(candidates), key=candidates.index):
            real = os.path.realpath(path)
            if os.path.commonpath([root, real]) != root:
                _logger.warning("Recording %s is outside %s: not read", path, root)
                continue
            if os.path.isfile(real):
                return real
        return None


def parse_zone(text):
    """'' -> None (the server's local time); '+03:00' -> a fixed offset; a
    zone name -> pytz's zone (pytz needed)."""
    text = (text or "").strip()
    if not text:
        return None
    found = re.match(r"^([+-])(\d{2}):?(\d{2})$", text)
    if found:
        offset = timedelta(hours=int(found.group(2)), minutes=int(found.group(3)))
        return timezone(-offset if found.group(1) == "-" else offset)
    import pytz  # a zone name: pytz knows its summer times
    return pytz.timezone(text)


# -- to Odoo -------------------------------------------------------------------

class Poster(object):
    """Posts records; keeps the ones Odoo could not take yet."""

    def __init__(self, config):
        odoo = config["odoo"]
        self.url = odoo.get("url", "").rstrip("/") + WEBHOOK
        self.token = odoo.get("token", "")
        self.timeout = float(odoo.get("timeout", "30"))
        bridge = config["bridge"]
        self.spool = bridge.get("spool_dir", "")
        self.retry = float(bridge.get("retry_seconds", "30"))
        self.max_retry = float(bridge.get("max_retry_seconds", "3600"))
        self.pending = {}  # name -> [record, attempts, next_try]
        if self.spool:
            os.makedirs(self.spool, exist_ok=True)
            for name in sorted(os.listdir(self.spool)):
                if name.endswith(".json"):
                    with open(os.path.join(self.spool, name), encoding="utf-8") as handle:
                        self.pending[name] = [json.load(handle), 0, 0.0]
        self.sent = []

    def submit(self, record):
        name = re.sub(r"[^0-9A-Za-z._-]", "_", record["call_id"]) + ".json"
        if self.spool:
            path = os.path.join(self.spool, name)
            with open(path + ".tmp", "w", encoding="utf-8") as handle:
                json.dump(record, handle)
            os.replace(path + ".tmp", path)
        self.pending[name] = [record, 0, 0.0]
        self.flush()

    def flush(self):
        now = time.monotonic()
        for name, item in list(self.pending.items()):
            record, attempts, next_try = item
            if next_try > now:
                continue
            outcome = self.post(record)
            if outcome == "retry":
                item[1] = attempts + 1
                item[2] = now + min(self.retry * 2 ** attempts, self.max_retry)
                continue
            del self.pending[name]
            if self.spool:
                path = os.path.join(self.spool, name)
                if outcome == "refused":
                    os.makedirs(os.path.join(self.spool, "refused"), exist_ok=True)
                    os.replace(path, os.path.join(self.spool, "refused", name))
                elif os.path.exists(path):
                    os.remove(path)

    def post(self, record):
        body = json.dumps(record).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json", "X-Sales-Token": self.token})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode("utf-8") or "{}")
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")[:300]
            if error.code in (408, 429) or error.code >= 500:
                _logger.warning("Odoo answered %s to %s, will retry: %s", error.code, record["call_id"], text)
                return "retry"
            _logger.error("Odoo refused %s (%s): %s", record["call_id"], error.code, text)
            return "refused"
        except (OSError, ValueError) as error:
            _logger.warning("Odoo unreachable for %s, will retry: %s", record["call_id"], error)
            return "retry"
        _logger.info("Posted %s: touch %s%s", record["call_id"], answer.get("touch_id"),
                     " (duplicate)" if answer.get("duplicate") else "")
        self.sent.append(record["call_id"])
        return "sent"


# -- the loop ------------------------------------------------------------------

def load_config(path=None, text=None):
    config = configparser.ConfigParser(interpolation=None)
    config.optionxform = str  # extension names as written
    config.read_dict(DEFAULTS)
    if path:
        if not config.read(path, encoding="utf-8"):
            raise SystemExit("cannot read %s" % path)
    if text:
        config.read_string(text)
    return config


class Bridge(object):

    def __init__(self, config):
        self.config = config
        self.calls = Calls(float(config["bridge"].get("settle_seconds", "5")))
        self.builder = Builder(config)
        self.poster = Poster(config)
        self.stopping = False

    def handle(self, event):
        if event.get("Event", "").lower() == "cdr":
            self.calls.add(event)

    def tick(self, force=False):
        for linkedid, legs in self.calls.settled(force=force):
            try:
                record = self.builder.build(linkedid, legs)
            except Exception:  # pylint: disable=broad-except
                _logger.exception("Call %s could not be built from %d legs", linkedid, len(legs))
                continue
            if record:
                self.poster.submit(record)
        self.poster.flush()

    def session(self):
        """One AMI connection, until it closes."""
        ami_conf = self.config["ami"]
        ami = AmiConnection(ami_conf.get("host"), int(ami_conf.get("port", "5038")))
        _logger.info("Connected to %s", ami.banner)
        try:
            ami.login(ami_conf.get("username", ""), ami_conf.get("secret", ""))
            ami.sock.settimeout(0.5)
            ping = float(ami_conf.get("ping_seconds", "30"))
            last_ping = time.monotonic()
            while not self.stopping:
                message = ami.read(block=False)
                if message is not None:
                    self.handle(message)
                    continue
                self.tick()
                if time.monotonic() - last_ping > ping:
                    ami.send("Ping")
                    last_ping = time.monotonic()
        finally:
            ami.sock.close()

    def run(self, once=False):
        delay = 1
        while not self.stopping:
            try:
                self.session()
            except PermissionError as error:  # an OSError too: first
                _logger.error("%s", error)
                if once:
                    raise
            except OSError as error:
                _logger.warning("AMI connection lost: %s", error)
            # The legs already received are a whole call only if its last leg
            # came; they are posted after the settle time as usual.
            self.tick(force=once)
            if once:
                return
            time.sleep(delay)
            delay = min(delay * 2, 60)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="the .ini file (asterisk_ami_bridge.ini.sample)")
    parser.add_argument("--once", action="store_true", help="stop when AMI closes the connection (tests)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(message)s")
    bridge = Bridge(load_config(args.config))
    try:
        bridge.run(once=args.once)
    except KeyboardInterrupt:
        bridge.tick(force=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
