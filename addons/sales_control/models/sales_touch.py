# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .common import ContextMark, check_superuser

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

# What the capture hooks and the webhooks observed: only they write these.
# The head corrects the rest (manager, deal, date, kind...), and the chatter
# keeps what he changed.
OBSERVED_FIELDS = frozenset([
    "source", "integration_id", "external_ref", "captured_user_id", "message_id",
    "activity_type_id", "calendar_event_id", "entered_late", "phone_from", "phone_to",
    "recording_url", "recording_attachment_id", "channel", "body", "attachment_ids",
])

# The capture hooks' mark in the context (see ContextMark).
_CAPTURED = ContextMark("sales_touch_capture")

# The stored summary of a touch whose source gave no text.
NO_SUMMARY = "/"


class TouchSummary(fields.Char):
    """A touch's summary. The text its source gave (an activity's summary,
    a meeting's name, a message's subject, what the head typed) is stored
    as it was given. A touch recorded without one (a PBX call, a messenger
    message without text...) stores "/" and reads as its kind and
    direction in the language of whoever reads it ("Call (incoming)",
    "Звонок (входящий)"): made when read, from stored parts, never stored
    in the language of whoever recorded it. Searching matches the stored
    text only."""

    def convert_to_record(self, value, record):
        if value in (None, False, NO_SUMMARY):
            return record._summary_label(record.touch_type, record.direction)
        return value


class SalesTouch(models.Model):
    """One contact with a client, recorded by the system, never by a report.

    Managers only read touches (no ACL to write). The capture hooks and the
    webhooks record them through the private ``_record()``, as superuser and
    with a mark no RPC client can send, and say what made each one
    (``captured_user_id``, ``integration_id``). The head may add or correct a
    touch by hand: his touches are "manual", their observed fields stay the
    system's, and the chatter tracks every correction."""
    _name = "sales.touch"
    _inherit = ["sales.grouped.report.mixin", "mail.thread"]
    _description = "Client Touch"
    _order = "date desc, id desc"
    _rec_name = "summary"

    summary = TouchSummary(required=True, default=NO_SUMMARY)
    touch_type = fields.Selection(TOUCH_TYPES, string="Type", required=True, index=True, track_visibility="onchange")
    direction = fields.Selection([("out", "Outgoing"), ("in", "Incoming")],
                                 required=True, default="out", track_visibility="onchange")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True, track_visibility="onchange")
    duration = fields.Float(string="Duration (min)", track_visibility="onchange")
    outcome = fields.Char(track_visibility="onchange")
    source = fields.Selection(TOUCH_SOURCES, required=True, default="manual", readonly=True)
    captured_user_id = fields.Many2one(
        "res.users", string="Captured From", readonly=True, ondelete="set null",
        help="The user whose action recorded this touch: the activity he marked done, the email or "
             "proposal he sent, the meeting he planned, or the head who entered it by hand. Empty "
             "for touches that an integration (PBX, messenger) or the mail gateway reported.")
    entered_late = fields.Boolean(
        string="Entered After the Fact", readonly=True,
        help="A meeting whose time was entered into the calendar after it had begun: a report typed "
             "in afterwards, which the head may want to check.")
    user_id = fields.Many2one("res.users", string="Salesperson", index=True, ondelete="restrict",
                              track_visibility="onchange")
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True, track_visibility="onchange")
    lead_id = fields.Many2one("crm.lead", string="Lead / Deal", index=True, ondelete="set null",
                              track_visibility="onchange")
    lead_name = fields.Char(string="Deal Name", help="Kept when the deal is deleted.")
    # Stored for the record rules: a salesman sees the touches of his deals
    # in one indexed comparison, not through a list of all his deal ids.
    lead_user_id = fields.Many2one("res.users", related="lead_id.user_id", store=True, index=True,
                                   readonly=True, string="Deal Salesperson")
    partner_id = fields.Many2one("res.partner", string="Client", index=True, ondelete="set null",
                                 track_visibility="onchange")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.user.company_id)
    # Calls
    phone_from = fields.Char(string="Caller")
    phone_to = fields.Char(string="Callee")
    answered = fields.Boolean(default=True, track_visibility="onchange")
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
        # Public by Odoo's naming: only the registry (as superuser) runs it.
        check_superuser(self)
        # The touches report groups by manager and day over a year of rows.
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS sales_touch_user_date_idx ON sales_touch (user_id, date);
            CREATE INDEX IF NOT EXISTS sales_touch_lead_date_idx ON sales_touch (lead_id, date DESC)
        """)

    @api.model
    def _record(self, vals):
        """Record a touch observed by the system, filling the manager, team,
        client and deal name from the deal (the team from the manager when
        the deal has none). Private: only capture hooks and webhooks call it,
        and it runs as superuser (see the class docstring)."""
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
        if not vals.get("summary"):
            vals["summary"] = NO_SUMMARY
        # A context of the system's own: the caller's ``default_*`` keys
        # would otherwise fill in whatever the hook left empty (a duration,
        # a PBX call id, a meeting...).
        context = {key: self.env.context[key] for key in ("lang", "tz") if self.env.context.get(key)}
        context.update(_CAPTURED.context(), tracking_disable=True)
        touch = self.sudo().with_context(context).create(vals)
        # Handed back without the mark, so that no later write rides on it.
        return touch.with_env(self.env)

    def _captured(self):
        return _CAPTURED.on(self)

    def _is_captured(self):
        return _CAPTURED.is_on(self)

    @api.model
    def create(self, vals):
        """Outside the capture hooks a touch is the head's manual entry:
        whatever the caller says about its origin, it is "manual" and
        captured from him."""
        if not self._is_captured():
            vals = {key: value for key, value in vals.items() if key not in OBSERVED_FIELDS}
            vals.update(source="manual", captured_user_id=self.env.uid)
            # Nor do context defaults fill them in, and the chatter says who
            # entered the touch.
            context = {key: value for key, value in self.env.context.items()
                       if not key.startswith("default_") and key not in ("tracking_disable", "mail_create_nolog")}
            self = self.with_context(context)
        return super(SalesTouch, self).create(vals)

    @api.multi
    def write(self, vals):
        """The head files an unmatched call on a deal: the touch takes the
        deal's client, name and team (and salesperson if it had none). What
        the system observed stays as it was recorded."""
        observed = OBSERVED_FIELDS.intersection(vals)
        if not self._is_captured():
            if observed:
                raise AccessError(_("What the system observed (origin, integration, numbers, recording, "
                                    "text, files) cannot be changed by hand: %s.") % ", ".join(sorted(observed)))
            # A correction by hand always leaves its trace in the chatter.
            self = self.with_context(tracking_disable=False, mail_notrack=False)
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

    @api.multi
    def unlink(self):
        self.check_access_rights("unlink")
        if self.env.uid != SUPERUSER_ID and self.filtered(lambda touch: touch.source != "manual"):
            raise UserError(_("Touches recorded by the system cannot be deleted; correct them instead "
                              "(the chatter keeps the correction)."))
        return super(SalesTouch, self).unlink()

    @api.model
    def _summary_label(self, touch_type, direction):
        """The summary of a touch without text, in the language of the
        context: its kind, and "(incoming)" for an incoming one."""
        labels = dict(self._fields["touch_type"]._description_selection(self.env))
        label = labels.get(touch_type) or _("Touch")
        if direction == "in":
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
