# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

KEEP_EVENTS = 200  # per integration: "Check connection" needs the last ones only
KEEP_ERRORS = 50   # refusals and errors kept beyond those, per integration


class SalesTelephonyEvent(models.Model):
    """What a vendor posted and what became of it: the integration's log."""
    _name = "sales.telephony.event"
    _description = "Event received from a PBX or messenger"
    _order = "id desc"
    _rec_name = "event"

    integration_id = fields.Many2one("sales.telephony.integration", required=True, ondelete="cascade", index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    event = fields.Char(readonly=True)
    external_ref = fields.Char(string="Vendor's id", readonly=True)
    state = fields.Selection([
        ("recorded", "Recorded"),
        ("duplicate", "Duplicate"),
        ("ignored", "Ignored"),
        ("refused", "Refused"),
        ("error", "Error"),
    ], required=True, readonly=True)
    message = fields.Text(readonly=True)
    touch_id = fields.Many2one("sales.touch", readonly=True, ondelete="set null")

    @api.model
    def _log(self, integration, event, state, message="", external_ref="", touch=None):
        """One line of the log (written by the webhook as superuser). It only
        inserts: deleting the oldest lines here made two deliveries at once
        (or a webhook and the recording cron) delete the same row, and the
        later one failed to serialize (a 503, a cron batch lost). The log is
        trimmed by :meth:`_trim` from the recording cron."""
        return self.sudo().create({
            "integration_id": integration.id, "event": (event or "")[:128], "state": state,
            "message": (message or "")[:2000], "external_ref": (external_ref or "")[:256],
            "touch_id": touch.id if touch else False})

    @api.model
    def _trim(self, keep=KEEP_EVENTS, keep_errors=KEEP_ERRORS):
        """Deletes the lines of each integration beyond its last ``keep``,
        except its last ``keep_errors`` refusals and errors (so a flood of
        pings or unused events never pushes out why the PBX's events are
        refused). Run by one cron at a time, outside the webhooks'
        transactions; returns the number of lines deleted."""
        self.env.cr.execute("""
            DELETE FROM sales_telephony_event WHERE id IN (
                SELECT id FROM (
                    SELECT id, state IN ('refused', 'error') AS bad,
                           row_number() OVER (PARTITION BY integration_id ORDER BY id DESC) AS line,
                           row_number() OVER (PARTITION BY integration_id, state IN ('refused', 'error')
                                              ORDER BY id DESC) AS line_of_kind
                      FROM sales_telephony_event) AS numbered
                 WHERE line > %s AND (NOT bad OR line_of_kind > %s))""", (keep, keep_errors))
        return self.env.cr.rowcount
