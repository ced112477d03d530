# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

KEEP_EVENTS = 200  # per integration: "Check connection" needs the last ones only


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
        """One line of the log (written by the webhook as superuser); the
        oldest lines beyond KEEP_EVENTS go."""
        line = self.sudo().create({
            "integration_id": integration.id, "event": (event or "")[:128], "state": state,
            "message": (message or "")[:2000], "external_ref": (external_ref or "")[:256],
            "touch_id": touch.id if touch else False})
        self.env.cr.execute("""
            DELETE FROM sales_telephony_event WHERE integration_id = %s AND id < (
                SELECT min(id) FROM (SELECT id FROM sales_telephony_event WHERE integration_id = %s
                                      ORDER BY id DESC LIMIT %s) AS kept)""",
                            (integration.id, integration.id, KEEP_EVENTS))
        return line
