# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models

TOUCH_TYPES = [
    ("call", "Call"),
    ("proposal", "Commercial Proposal"),
    ("meeting", "Meeting"),
    ("email", "Email"),
    ("messenger", "Messenger"),
]
TOUCH_SOURCES = [
    ("activity", "Activity Done"),
    ("email", "Chatter Email"),
    ("calendar", "Calendar"),
    ("proposal", "Proposal Composer"),
    ("telephony", "Telephony"),
    ("messenger", "Messenger"),
    ("manual", "Manual"),
]


class SalesTouch(models.Model):
    """One contact with a client, recorded by the system, never by a report.

    Managers only read touches (no ACL to write): whatever records them runs
    through ``record()``, which creates them as superuser on purpose so that a
    manager can neither invent nor change the history the head relies on."""
    _name = "sales.touch"
    _inherit = "sales.grouped.report.mixin"
    _description = "Client Touch"
    _order = "date desc, id desc"
    _rec_name = "summary"

    summary = fields.Char(required=True, default="/")
    touch_type = fields.Selection(TOUCH_TYPES, string="Type", required=True, index=True)
    direction = fields.Selection([("out", "Outgoing"), ("in", "Incoming")],
                                 required=True, default="out")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    duration = fields.Float(string="Duration (min)")
    outcome = fields.Char()
    source = fields.Selection(TOUCH_SOURCES, required=True, default="manual")
    user_id = fields.Many2one("res.users", string="Manager", index=True, ondelete="restrict")
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True)
    lead_id = fields.Many2one("crm.lead", string="Lead / Deal", index=True, ondelete="set null")
    lead_name = fields.Char(string="Deal Name", help="Kept when the deal is deleted.")
    # Stored for the record rules: a salesman sees the touches of his deals
    # in one indexed comparison, not through a list of all his deal ids.
    lead_user_id = fields.Many2one("res.users", related="lead_id.user_id", store=True, index=True,
                                   readonly=True, string="Deal Salesperson")
    partner_id = fields.Many2one("res.partner", string="Client", index=True, ondelete="set null")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.user.company_id)
    # Calls
    phone_from = fields.Char(string="Caller")
    phone_to = fields.Char(string="Callee")
    answered = fields.Boolean(default=True)
    recording_url = fields.Char()
    recording_attachment_id = fields.Many2one("ir.attachment", string="Recording File", ondelete="set null")
    # Telephony / messenger
    integration_id = fields.Many2one("sales.telephony.integration", ondelete="set null")
    external_ref = fields.Char(string="External ID", help="Call or message id given by the PBX or messenger.")
    channel = fields.Char()
    body = fields.Text(string="Text")
    # Links to what made the touch
    message_id = fields.Many2one("mail.message", ondelete="set null")
    activity_type_id = fields.Many2one("mail.activity.type", ondelete="set null")
    calendar_event_id = fields.Many2one("calendar.event", ondelete="set null", index=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Attachments")
    unmatched = fields.Boolean(compute="_compute_unmatched", store=True, index=True,
                               help="A call or message whose number matched no client.")

    _sql_constraints = [
        ("external_ref_unique", "unique(integration_id, external_ref)",
         "This call or message was already recorded."),
    ]

    @api.depends("partner_id", "lead_id", "source")
    def _compute_unmatched(self):
        for touch in self:
            touch.unmatched = (touch.source in ("telephony", "messenger")
                               and not touch.partner_id and not touch.lead_id)

    @api.model_cr
    def init(self):
        # The touches report groups by manager and day over a year of rows.
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS sales_touch_user_date_idx ON sales_touch (user_id, date);
            CREATE INDEX IF NOT EXISTS sales_touch_lead_date_idx ON sales_touch (lead_id, date DESC)
        """)

    @api.model
    def record(self, vals):
        """Record a touch, filling the manager, team, client and deal name
        from the deal (the team from the manager when the deal has none).
        Runs as superuser: see the class docstring."""
        vals = dict(vals)
        lead = self.env["crm.lead"].sudo().browse(vals.get("lead_id") or [])
        if lead:
            vals.setdefault("partner_id", lead.partner_id.id)
            vals.setdefault("user_id", lead.user_id.id)
            if lead.team_id:
                vals.setdefault("team_id", lead.team_id.id)
            vals.setdefault("lead_name", lead.name)
            vals.setdefault("company_id", lead.company_id.id)
        # A deal without a team: the touch goes to its manager's team.
        if vals.get("user_id") and "team_id" not in vals:
            vals["team_id"] = self.env["res.users"].sudo().browse(vals["user_id"]).sale_team_id.id
        if not vals.get("summary") or vals.get("summary") == "/":
            vals["summary"] = self._default_summary(vals)
        return self.sudo().create(vals)

    @api.multi
    def write(self, vals):
        """The head files an unmatched call on a deal: the touch takes the
        deal's client, name and team (and salesperson if it had none)."""
        if vals.get("lead_id"):
            lead = self.env["crm.lead"].browse(vals["lead_id"])
            vals = dict(vals)
            vals.setdefault("partner_id", lead.partner_id.id)
            vals.setdefault("lead_name", lead.name)
            vals.setdefault("team_id", lead.team_id.id)
            if lead.user_id and not vals.get("user_id") \
                    and any(not touch.user_id or touch.unmatched for touch in self):
                vals["user_id"] = lead.user_id.id
        return super(SalesTouch, self).write(vals)

    @api.model
    def _default_summary(self, vals):
        """The summary is stored: write it in the language of the manager who
        reads it when the caller (a webhook, an RPC script) brings none."""
        if not self.env.context.get("lang"):
            manager = self.env["res.users"].sudo().browse(vals.get("user_id"))
            lang = manager.lang or self.env.user.lang
            if lang:
                return self.with_context(lang=lang)._default_summary(vals)
        labels = dict(self._fields["touch_type"]._description_selection(self.env))
        label = labels.get(vals.get("touch_type"), _("Touch"))
        if vals.get("direction") == "in":
            return _("%s (incoming)") % label
        return label

    @api.multi
    def action_open_lead(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "view_mode": "form",
            "res_id": self.lead_id.id,
        }

    @api.model
    def _call_back_label(self):
        return _("Call back: missed call from")
