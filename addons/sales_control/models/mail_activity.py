# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError


class MailActivity(models.Model):
    _inherit = "mail.activity"

    # Stored so that the record rules can restrict a salesman's activities to
    # those of the leads he may see, in SQL.
    sales_lead_id = fields.Many2one(
        "crm.lead", compute="_compute_sales_lead_id", store=True, index=True, ondelete="cascade")
    sales_lead_user_id = fields.Many2one("res.users", related="sales_lead_id.user_id", store=True, index=True,
                                         readonly=True, string="Lead Salesperson")
    sales_lead_team_id = fields.Many2one("crm.team", related="sales_lead_id.team_id", store=True, index=True,
                                         readonly=True, string="Lead Sales Team")

    @api.depends("res_model", "res_id")
    def _compute_sales_lead_id(self):
        for activity in self:
            activity.sales_lead_id = activity.res_id if activity.res_model == "crm.lead" else False

    @api.model
    def create(self, vals):
        activity = super(MailActivity, self).create(vals)
        # Checked on the record made: context defaults may name the deal too.
        self._sales_check_lead(False, activity.res_model, activity.res_id)
        return activity

    @api.multi
    def unlink(self):
        self._sales_check_others()
        return super(MailActivity, self).unlink()

    def _sales_check_others(self):
        """mail lets whoever may write a document change and delete all its
        activities; a salesman may change only his own, and those of deals he
        works, not a colleague's call-back on a client card."""
        user = self.env.user
        if self.env.uid == SUPERUSER_ID or not user.has_group("sales_team.group_sale_salesman") \
                or user.has_group("sales_team.group_sale_manager"):
            return
        others = self.sudo().filtered(lambda activity: activity.user_id != user)
        # A meeting's activity follows the meeting (calendar moves it with
        # the meeting, as the user who moves the meeting).
        meetings = others.mapped("calendar_event_id")
        if meetings:
            meetings.sudo(user).check_access_rule("write")
            others = others.filtered(lambda activity: not activity.calendar_event_id)
        if others.filtered(lambda activity: activity.res_model != "crm.lead"):
            raise AccessError(_("This activity is a colleague's: only he or the head of sales may change it."))
        leads = self.env["crm.lead"].browse(others.mapped("res_id"))
        leads.check_access_rule("write")

    @api.multi
    def write(self, vals):
        self._sales_check_others()
        if "res_id" in vals or "res_model_id" in vals or "res_model" in vals:
            for activity in self:
                self._sales_check_lead(vals.get("res_model_id", activity.res_model_id.id),
                                       vals.get("res_model", activity.res_model), vals.get("res_id", activity.res_id))
        return super(MailActivity, self).write(vals)

    def _sales_check_lead(self, model_id, model, res_id):
        """An activity goes only on a deal its author may change: mail checks
        the document loosely and writes res_id as superuser, so a salesman
        would hang his activity (and, done, its touch) on a colleague's deal."""
        if self.env.uid == SUPERUSER_ID or not res_id:
            return
        if model_id:
            model = self.env["ir.model"].sudo().browse(model_id).model
        if model == "crm.lead":
            lead = self.env["crm.lead"].browse(res_id)
            lead.check_access_rights("write")
            lead.check_access_rule("write")

    @api.multi
    def action_feedback(self, feedback=False):
        # Odoo 11 deletes the activity when it is done: record the touch first.
        for activity in self:
            touch_type = activity.activity_type_id.sales_touch_type
            if activity.res_model != "crm.lead" or not touch_type:
                continue
            self._sales_check_lead(False, activity.res_model, activity.res_id)
            user = self.env.user if self.env.uid != SUPERUSER_ID else activity.user_id
            self.env["sales.touch"]._record({
                "touch_type": touch_type,
                "direction": "out",
                "source": "activity",
                "date": fields.Datetime.now(),
                "lead_id": activity.res_id,
                "user_id": user.id,
                "captured_user_id": user.id,
                "activity_type_id": activity.activity_type_id.id,
                "summary": activity.summary or activity.activity_type_id.name,
                "outcome": feedback or False,
            })
        return super(MailActivity, self).action_feedback(feedback=feedback)
