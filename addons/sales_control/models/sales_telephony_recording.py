# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The recordings of calls still to fetch from the vendors' APIs.

A vendor says "the recording of call X is ready" in an event of its own; the
webhook answers at once and only queues the recording here
(:meth:`SalesTelephonyRecording._enqueue`). A cron every minute asks the
vendor's adapter class (telephony/) for the file,
``download_recording(integration, pending) -> (bytes, filename)``, and
attaches it to the touch of the call (``external_ref`` = the call's prefixed
id, e.g. ``mango:<entry_id>``), whichever of the two events came first. A
failed download is tried again later with a growing delay; nothing is lost
while the vendor keeps the file.
"""
import base64
import hashlib
import logging
import os
import threading
from datetime import datetime, timedelta

import psycopg2
import psycopg2.errorcodes

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12                   # about 13 hours of retries in all
MAX_DELAY = timedelta(hours=2)      # between two attempts
WAIT_FOR_CALL = timedelta(days=7)   # a file downloaded for a call never recorded
BATCH = 20                          # recordings per cron run (each a download)
MAX_KEY = 200                       # characters of a key kept as it is; a longer one is hashed
# The only file types a recording is stored as: whatever the vendor or the
# link says, the attachment is never HTML/SVG/XML served inline on our origin.
AUDIO_TYPES = {
    "mp3": "audio/mpeg", "wav": "audio/wav", "ogg": "audio/ogg", "oga": "audio/ogg", "opus": "audio/ogg",
    "m4a": "audio/mp4", "aac": "audio/aac", "amr": "audio/amr", "gsm": "application/octet-stream",
    "webm": "audio/webm", "flac": "audio/flac",
}


def recording_key(recording_id=None, url=None):
    """The queue's key of a recording: its vendor id, else its link; a key
    longer than MAX_KEY is kept as ``sha256:<hex>`` (a unique index holds
    it, and a btree row has room for about 2.7 kB only)."""
    key = str(recording_id or url or "")
    if len(key) > MAX_KEY:
        key = "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return key


def safe_recording_file(filename, default="recording"):
    """(name, mimetype) to store a recording under: the name of the file
    without its folders, with an audio extension (``.mp3`` added to any
    other), and the audio type of that extension. Nothing else: a name such
    as ``call.html`` or ``x.svg`` would make the superuser's attachment an
    HTML page served inline by /web/content (stored XSS)."""
    name = os.path.basename(str(filename or "").replace("\\", "/")).strip()
    name = "".join(char for char in name if char.isprintable() and char not in '/\\:*?"<>|;')[-120:]
    name = name.strip(". ") or default
    base, dot, extension = name.rpartition(".")
    extension = extension.lower()
    if not dot or not base or extension not in AUDIO_TYPES:
        extension = "mp3"
        name = "%s.mp3" % name
    return name, AUDIO_TYPES[extension]


class RecordingError(Exception):
    """What an adapter's ``download_recording`` raises when the vendor has no
    file (yet): the message goes to the recording's last error, the recording
    is tried again later, with no traceback in the server log."""


class SalesTelephonyRecording(models.Model):
    """One recording of a call to download from the vendor's API."""
    _name = "sales.telephony.recording"
    _description = "Call recording to download"
    _order = "id desc"
    _rec_name = "call_ref"

    integration_id = fields.Many2one("sales.telephony.integration", required=True, ondelete="cascade",
                                     index=True, readonly=True)
    call_ref = fields.Char(string="Call", required=True, index=True, readonly=True,
                           help="The call's id as the touch keeps it (external_ref), e.g. mango:<entry_id>.")
    recording_ref = fields.Char(string="Vendor's recording id", readonly=True)
    url = fields.Char(string="Vendor's link", readonly=True)
    key = fields.Char(required=True, readonly=True,
                      help="recording_ref or url (hashed when long): one line per recording.")
    touch_id = fields.Many2one("sales.touch", readonly=True, ondelete="set null", index=True)
    attachment_id = fields.Many2one("ir.attachment", string="File", readonly=True, ondelete="set null")
    state = fields.Selection([("pending", "Pending"), ("done", "Done"), ("failed", "Failed")],
                             required=True, default="pending", readonly=True, index=True)
    attempts = fields.Integer(readonly=True)
    next_try = fields.Datetime(string="Next attempt", default=fields.Datetime.now, readonly=True, index=True)
    last_error = fields.Text(readonly=True)
    company_id = fields.Many2one(related="integration_id.company_id", store=True, readonly=True)

    _sql_constraints = [
        ("recording_unique", "unique(integration_id, call_ref, key)",
         "A recording is queued once per call."),
    ]

    # -- the queue -------------------------------------------------------------
    @api.model
    def _enqueue(self, integration, call_ref, recording_id=None, url=None):
        """Queues the recording ``recording_id`` (or the file at ``url``) of
        the call ``call_ref`` of ``integration``; returns (the queued line,
        whether this call queued it). The same recording announced again (a
        vendor's retry, a concurrent delivery) is queued once. Call it from
        the webhook: it writes one row and does no network I/O."""
        key = recording_key(recording_id, url)
        call_ref = str(call_ref or "")[:256]
        if not call_ref:
            raise ValueError("a recording needs the call it belongs to")
        Recording = self.sudo()
        existing = Recording.search([("integration_id", "=", integration.id), ("call_ref", "=", call_ref),
                                     ("key", "=", key)], limit=1)
        if existing:
            return existing, False
        vals = {
            "integration_id": integration.id,
            "call_ref": call_ref,
            "recording_ref": str(recording_id) if recording_id else False,
            "url": url or False,
            "key": key,
            "touch_id": self._touch_of(integration, call_ref).id,
        }
        try:
            with self.env.cr.savepoint():
                return Recording.create(vals), True
        except psycopg2.IntegrityError as error:
            if error.pgcode != psycopg2.errorcodes.UNIQUE_VIOLATION:
                raise
            # Another delivery queued it at the same moment.
            existing = Recording.search([("integration_id", "=", integration.id), ("call_ref", "=", call_ref),
                                         ("key", "=", key)], limit=1)
            if existing:
                return existing, False
            with self.env.registry.cursor() as cr:
                if not Recording.with_env(Recording.env(cr=cr)).search_count([
                        ("integration_id", "=", integration.id), ("call_ref", "=", call_ref), ("key", "=", key)]):
                    raise
            return Recording.browse(), False

    @api.model
    def _touch_of(self, integration, call_ref):
        return self.env["sales.touch"].sudo().search([("integration_id", "=", integration.id),
                                                      ("external_ref", "=", call_ref)], limit=1)

    @api.model
    def _cron_download(self, limit=BATCH):
        """Downloads the recordings that are due, one by one, each committed
        at once (a download may take seconds: nothing waits for the batch,
        and one recording's failure loses nobody else's file); trims the
        integrations' event logs first. Returns the number of recordings
        tried."""
        auto_commit = not getattr(threading.currentThread(), "testing", False)
        self._trim_log(auto_commit)
        done = [0]
        for _number in range(limit):
            self.env.cr.execute("""
                SELECT id FROM sales_telephony_recording
                 WHERE state = 'pending' AND (next_try IS NULL OR next_try <= %s) AND NOT (id = ANY(%s))
                 ORDER BY next_try, id LIMIT 1 FOR UPDATE SKIP LOCKED""", (fields.Datetime.now(), done))
            row = self.env.cr.fetchone()
            if not row:
                break
            done.append(row[0])
            recording = self.sudo().browse(row[0])
            try:
                with self.env.cr.savepoint():
                    recording._process()
            except Exception as error:  # pylint: disable=broad-except
                _logger.exception("Recording %s of %s: not processed", recording.key, recording.call_ref)
                self.env.invalidate_all()
                recording._failed(str(error) or error.__class__.__name__)
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return len(done) - 1

    @api.model
    def _trim_log(self, auto_commit=True):
        """The event log's trim, here in the cron and not in each webhook's
        transaction; a concurrent trim (the cron run by hand meanwhile) only
        makes this one skip."""
        try:
            with self.env.cr.savepoint():
                self.env["sales.telephony.event"].sudo()._trim()
        except psycopg2.OperationalError as error:
            _logger.info("The telephony event log was not trimmed this time: %s", error)
            return
        if auto_commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.multi
    def _process(self):
        """One attempt: download (unless done already), then attach."""
        self.ensure_one()
        if not self.attachment_id:
            try:
                with self.env.cr.savepoint():
                    self._download()
            except Exception as error:  # pylint: disable=broad-except
                if not isinstance(error, RecordingError):
                    _logger.exception("Recording %s of %s: download failed", self.key, self.call_ref)
                self._failed(str(error) or error.__class__.__name__)
                return
        self._attach()

    def _download(self):
        from ..telephony import ADAPTERS
        integration = self.integration_id
        adapter = ADAPTERS.get(integration.vendor)
        if adapter is None or not hasattr(adapter, "download_recording"):
            raise RecordingError("the %s adapter downloads no recordings" % integration.vendor)
        data, filename = adapter.download_recording(integration.sudo(), self)
        if not data:
            raise RecordingError("the vendor sent an empty file")
        filename, mimetype = safe_recording_file(filename, "recording-%s" % self.id)
        self.write({"attachment_id": self.env["ir.attachment"].sudo().create({
            "name": filename,
            "datas": base64.b64encode(data),
            "datas_fname": filename,
            "mimetype": mimetype,
            "res_model": self._name,
            "res_id": self.id,
        }).id, "last_error": False})

    def _attach(self):
        """Hands the file to the touch of the call; waits for the touch when
        the recording came first (a week at most)."""
        touch = self.touch_id or self._touch_of(self.integration_id, self.call_ref)
        if not touch:
            age = datetime.utcnow() - fields.Datetime.from_string(self.create_date)
            if age > WAIT_FOR_CALL:
                self.write({"state": "failed", "touch_id": False,
                            "last_error": "no call %s was recorded: the file stays here" % self.call_ref})
                self._log("error", self.last_error)
            else:
                self.write({"next_try": fields.Datetime.to_string(datetime.utcnow() + timedelta(minutes=1)),
                            "last_error": "waiting for the call %s" % self.call_ref})
            return
        self.attachment_id.sudo().write({"res_model": "sales.touch", "res_id": touch.id})
        if not touch.recording_attachment_id:
            touch._captured().sudo().write({"recording_attachment_id": self.attachment_id.id})
        self.write({"state": "done", "touch_id": touch.id, "last_error": False})
        self._log("recorded", "", touch)

    def _failed(self, message):
        attempts = self.attempts + 1
        vals = {"attempts": attempts, "last_error": message[:2000]}
        if attempts >= MAX_ATTEMPTS:
            vals["state"] = "failed"
        else:
            delay = min(timedelta(minutes=2 ** (attempts - 1)), MAX_DELAY)
            vals["next_try"] = fields.Datetime.to_string(datetime.utcnow() + delay)
        self.write(vals)
        if attempts >= MAX_ATTEMPTS:
            self._log("error", "recording not downloaded after %d attempts: %s" % (attempts, message))

    def _log(self, state, message, touch=None):
        self.env["sales.telephony.event"]._log(self.integration_id, "%s recording" % self.integration_id.vendor,
                                               state, message, self.call_ref, touch)
