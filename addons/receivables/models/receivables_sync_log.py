# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ReceivablesSyncLog(models.Model):
    """One run of the exchange with 1C and what it did."""

    _name = "receivables.sync.log"
    _description = "1C sync log"
    _order = "id desc"
    _rec_name = "started"

    backend_id = fields.Many2one("receivables.onec.backend", required=True, ondelete="cascade", readonly=True)
    started = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    finished = fields.Datetime(readonly=True)
    state = fields.Selection([
        ("queued", "Queued"),
        ("running", "Running"),
        ("done", "Done"),
        ("failed", "Failed"),
        ("skipped", "Skipped"),
    ], default="running", required=True, readonly=True)
    trigger = fields.Selection([("cron", "Schedule"), ("manual", "By hand")], default="cron", readonly=True)
    cursor_from = fields.Char(readonly=True)
    cursor_to = fields.Char(readonly=True)
    fetched = fields.Integer(readonly=True)
    created = fields.Integer(readonly=True)
    updated = fields.Integer(readonly=True)
    cancelled = fields.Integer(readonly=True)
    failed = fields.Integer(readonly=True)
    unchanged = fields.Integer(readonly=True)
    error = fields.Text(readonly=True)
    details = fields.Text(readonly=True)

    @api.multi
    def add_line(self, text):
        for log in self:
            log.details = "%s%s\n" % (log.details or "", text)

    @api.multi
    def add_counts(self, counts):
        for log in self:
            log.write({key: log[key] + counts.get(key, 0)
                       for key in ("fetched", "created", "updated", "cancelled", "failed", "unchanged")})
