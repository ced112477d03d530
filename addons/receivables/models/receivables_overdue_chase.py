# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import html_escape

_logger = logging.getLogger(__name__)

DEFAULT_LEADER_DAYS = 3
DEFAULT_HEAD_DAYS = 7
PARAM_LEADER_DAYS = "receivables.chase_leader_days"
PARAM_HEAD_DAYS = "receivables.chase_head_days"
PARAM_HEAD = "receivables.chase_head_id"
CALL_TYPE = "sales_control.mail_activity_type_call"
LEVELS = [("salesman", "Salesperson"), ("leader", "Team leader"), ("head", "Head of sales")]
ACTIVITY_FIELDS = {"salesman": "salesman_activity_id", "leader": "leader_activity_id", "head": "head_activity_id"}


def fmt_amount(amount, currency):
    text = "{:,.2f}".format(amount or 0.0).replace(",", "\u00a0")
    return "%s\u00a0%s" % (text, currency.symbol or currency.name or "") if currency else text


def fmt_date(value):
    return fields.Date.from_string(value).strftime("%d.%m.%Y") if value else ""


class ReceivablesOverdueChase(models.Model):
    """The chase of one overdue planned receipt: who was asked to call, when
    it went up to the team leader and the head, the touch the call produced,
    and how it ended. Odoo 11 deletes an activity when it is done, so this
    record, not the activity, keeps the story. Made and moved by the daily
    cron and by the 1C import only (users read it)."""

    _name = "receivables.overdue.chase"
    _description = "Overdue payment chase"
    _order = "start_date desc, id desc"
    _rec_name = "line_id"

    line_id = fields.Many2one("receivables.schedule.line", string="Planned receipt", required=True,
                              ondelete="cascade", index=True, readonly=True)
    contract_id = fields.Many2one(related="line_id.contract_id", store=True, readonly=True)
    partner_id = fields.Many2one(related="line_id.partner_id", store=True, readonly=True, string="Client")
    user_id = fields.Many2one(related="line_id.user_id", store=True, readonly=True, index=True, string="Salesperson")
    team_id = fields.Many2one(related="line_id.team_id", store=True, readonly=True, index=True,
                              string="Sales team")
    currency_id = fields.Many2one(related="line_id.currency_id", readonly=True)
    residual = fields.Monetary(related="line_id.residual", readonly=True, string="Outstanding")
    lead_id = fields.Many2one("crm.lead", string="Deal", readonly=True, ondelete="set null")
    overdue_date = fields.Date(string="Due", readonly=True, required=True)
    start_date = fields.Date(string="Chased since", readonly=True, required=True, index=True)
    level = fields.Selection(LEVELS, required=True, default="salesman", readonly=True, index=True)
    state = fields.Selection([("open", "Chasing"), ("paid", "Paid"), ("cancelled", "Cancelled")],
                             required=True, default="open", readonly=True, index=True)
    salesman_activity_id = fields.Many2one("mail.activity", string="Salesperson's activity", readonly=True,
                                           ondelete="set null")
    leader_id = fields.Many2one("res.users", string="Team leader", readonly=True)
    leader_date = fields.Date(string="Escalated to the team leader", readonly=True)
    leader_activity_id = fields.Many2one("mail.activity", string="Team leader's activity", readonly=True,
                                         ondelete="set null")
    head_id = fields.Many2one("res.users", string="Head of sales", readonly=True)
    head_date = fields.Date(string="Escalated to the head of sales", readonly=True)
    head_activity_id = fields.Many2one("mail.activity", string="Activity of the head of sales", readonly=True,
                                       ondelete="set null")
    called_date = fields.Datetime(string="Called", readonly=True)
    touch_id = fields.Many2one("sales.touch", string="Call", readonly=True, ondelete="set null",
                               help="The call the chase produced: the activity marked done, or the salesperson's "
                                    "call on the deal after the chase began.")
    closed_date = fields.Date(string="Closed", readonly=True)
    note = fields.Text(readonly=True)

    _sql_constraints = [
        ("line_unique", "UNIQUE(line_id)", "A planned receipt is chased once."),
    ]

    # -- settings --------------------------------------------------------------
    @api.model
    def _settings(self):
        """(leader days, head days, head user) from the receivables
        settings. sudo: configuration parameters are the administrator's to
        read; the cron and the import only need these three numbers."""
        params = self.env["ir.config_parameter"].sudo()

        def days(key, default):
            try:
                value = int(params.get_param(key, default))
            except (TypeError, ValueError):
                value = default
            return value if value > 0 else default
        leader_days = days(PARAM_LEADER_DAYS, DEFAULT_LEADER_DAYS)
        head_days = max(days(PARAM_HEAD_DAYS, DEFAULT_HEAD_DAYS), leader_days + 1)
        head = self.env["res.users"]
        try:
            head = head.browse(int(params.get_param(PARAM_HEAD) or 0)).exists()
        except (TypeError, ValueError):
            head = head.browse()
        if not head:
            head = self._default_head()
        return leader_days, head_days, head

    @api.model
    def _default_head(self):
        """The first head of sales (Sales: Manager) who is not an
        administrator: the one the department calls the head."""
        managers = self.env.ref("sales_team.group_sale_manager").sudo().users.filtered(
            lambda user: user.active and not user._is_superuser() and not user.has_group("base.group_system"))
        return managers.sorted("id")[:1]

    # -- the daily run ---------------------------------------------------------
    @api.model
    def _cron_chase(self, today=None):
        """Daily: closes the chases of receipts paid in the meantime, starts
        one for each receipt newly overdue, and escalates those still unpaid
        after the configured days. Each step happens once: the chase records
        what was done."""
        today = fields.Date.from_string(today or fields.Date.context_today(self))
        leader_days, head_days, head = self._settings()
        paid = self.search([("state", "=", "open"), ("line_id.state", "=", "paid")])
        self._close_paid(paid.mapped("line_id").ids)
        self._start(today)
        due_leader = self.search([("state", "=", "open"), ("level", "=", "salesman"),
                                  ("start_date", "<=", fields.Date.to_string(today - timedelta(days=leader_days)))])
        for chase in due_leader:
            chase._escalate_leader(today)
        due_head = self.search([("state", "=", "open"), ("level", "=", "leader"),
                                ("start_date", "<=", fields.Date.to_string(today - timedelta(days=head_days)))])
        for chase in due_head:
            chase._escalate_head(today, head)
        return True

    @api.model
    def _start(self, today):
        Line = self.env["receivables.schedule.line"]
        lines = Line.search([("date", "<", fields.Date.to_string(today)), ("state", "!=", "paid"),
                             ("residual", ">", 0), ("overdue_chase_ids", "=", False)])
        for line in lines:
            lead = line.lead_id
            chase = self.create({"line_id": line.id, "lead_id": lead.id, "overdue_date": line.date,
                                 "start_date": fields.Date.to_string(today)})
            user = lead.user_id or line.user_id
            if user:
                activity = chase._schedule(user, today, chase._with_lang(user)._salesman_summary())
                chase.salesman_activity_id = activity
        return True

    def _with_lang(self, user):
        return self.with_context(lang=user.lang or "en_US")

    def _salesman_summary(self):
        line = self.line_id
        return _("Call the client about the overdue payment of %(amount)s due %(date)s") % {
            "amount": fmt_amount(line.residual, line.currency_id), "date": fmt_date(line.date)}

    def _escalation_summary(self, today):
        line = self.line_id
        return _("Unpaid %(days)s days after the due date: %(client)s, %(amount)s due %(date)s "
                 "(salesperson: %(manager)s)") % {
            "days": (today - fields.Date.from_string(line.date)).days - 1,
            "client": line.partner_id.name or "", "amount": fmt_amount(line.residual, line.currency_id),
            "date": fmt_date(line.date), "manager": line.user_id.name or _("none")}

    def _document(self):
        """The deal the receipt belongs to; without one, the client's card
        (res.partner has activities too)."""
        if self.lead_id:
            return self.lead_id
        return self.line_id.partner_id.commercial_partner_id

    def _schedule(self, user, today, summary):
        record = self._document()
        if not record:
            return self.env["mail.activity"]
        # sudo: the cron or the 1C import acts for the department; the
        # assignee may be anyone the chase escalates to.
        return self.env["mail.activity"].sudo().create({
            "res_model_id": self.env["ir.model"]._get(record._name).id,
            "res_id": record.id,
            "activity_type_id": self.env.ref(CALL_TYPE).id,
            "summary": summary,
            "date_deadline": fields.Date.to_string(today),
            "user_id": user.id,
        })

    def _escalate_leader(self, today):
        self.ensure_one()
        team = self.lead_id.team_id or self.line_id.team_id
        leader = team.user_id
        values = {"level": "leader", "leader_date": fields.Date.to_string(today)}
        salesman = self.lead_id.user_id or self.line_id.user_id
        if leader and leader != salesman:
            values["leader_id"] = leader.id
            values["leader_activity_id"] = self._schedule(
                leader, today, self._with_lang(leader)._escalation_summary(today)).id
        self.write(values)

    def _escalate_head(self, today, head):
        self.ensure_one()
        values = {"level": "head", "head_date": fields.Date.to_string(today)}
        if head and head not in (self.leader_id | self.lead_id.user_id | self.line_id.user_id):
            values["head_id"] = head.id
            values["head_activity_id"] = self._schedule(
                head, today, self._with_lang(head)._escalation_summary(today)).id
        self.write(values)

    # -- the money came --------------------------------------------------------
    @api.model
    def _close_paid(self, line_ids):
        """Closes the open chases of the paid receipts among ``line_ids``:
        each open activity is removed with a note on its document (not marked
        done: nobody called, no touch is recorded for it), and the manager's
        call, if he called, is linked. sudo: called by the 1C import, as
        whoever runs it; the chase is the department's record."""
        if not line_ids:
            return
        chases = self.sudo().search([("line_id", "in", list(line_ids)), ("state", "=", "open")])
        for chase in chases.filtered(lambda chase: chase.line_id.state == "paid"):
            chase._close_as_paid()

    def _close_as_paid(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        touch = self.touch_id or self._find_call()
        note = _("Paid: 1C brought the money (%(amount)s due %(date)s).") % {
            "amount": fmt_amount(self.line_id.amount, self.line_id.currency_id),
            "date": fmt_date(self.line_id.date)}
        activities = self.salesman_activity_id | self.leader_activity_id | self.head_activity_id
        for activity in activities.exists():
            record = self.env[activity.res_model].browse(activity.res_id)
            body = "<p>%s</p><p>%s</p>" % (html_escape(activity.summary or ""), html_escape(note))
            if touch:
                body += "<p>%s</p>" % html_escape(_("The salesperson called on %s.") % fmt_date(touch.date[:10]))
            record.message_post(body=body, subtype="mail.mt_note", message_type="comment")
        activities.exists().unlink()
        self.write({"state": "paid", "closed_date": today, "note": note, "touch_id": touch.id,
                    "called_date": self.called_date or touch.date or False})

    def _find_call(self):
        """The manager's latest call on the deal since the chase began (a
        call from the PBX counts as much as the activity marked done)."""
        if not self.lead_id:
            return self.env["sales.touch"]
        users = (self.lead_id.user_id | self.line_id.user_id | self.leader_id | self.head_id).ids
        return self.env["sales.touch"].sudo().search([
            ("lead_id", "=", self.lead_id.id), ("touch_type", "=", "call"), ("user_id", "in", users),
            ("date", ">=", self.start_date)], order="date desc, id desc", limit=1)

    @api.model
    def _chases_of(self, activities):
        """The chases whose call activities are ``activities``. sudo: the
        chase is the system's record, whoever marks the call done."""
        return self.sudo().search(["|", "|", ("salesman_activity_id", "in", activities.ids),
                                   ("leader_activity_id", "in", activities.ids),
                                   ("head_activity_id", "in", activities.ids)])

    def _calls_done(self, first_touch_id):
        """The chase's call activity was marked done: sales_control recorded
        its touch (an id above ``first_touch_id``) before Odoo 11 deleted the
        activity; the chase keeps the link."""
        Touch = self.env["sales.touch"].sudo()
        for chase in self.sudo():
            if not chase.lead_id:
                continue
            touch = Touch.search([("id", ">", first_touch_id), ("lead_id", "=", chase.lead_id.id),
                                  ("source", "=", "activity")], order="id desc", limit=1)
            if touch:
                chase.write({"touch_id": touch.id, "called_date": touch.date})
