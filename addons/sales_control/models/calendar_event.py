# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api, fields, models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    sales_touch_ids = fields.One2many("sales.touch", "calendar_event_id", string="Touches")
    # Stored for the record rules (one indexed comparison per salesman).
    sales_lead_user_id = fields.Many2one("res.users", related="opportunity_id.user_id", store=True, index=True,
                                         readonly=True, string="Deal Salesperson")
    sales_lead_team_id = fields.Many2one("crm.team", related="opportunity_id.team_id", store=True, index=True,
                                         readonly=True, string="Deal Sales Team")

    @api.model
    def _cron_record_meeting_touches(self):
        """Record a meeting touch for every deal meeting that took place.

        Real events only (virtual_id=False): calendar's search otherwise
        answers a recurring event with one virtual id per occurrence, which
        cannot be linked to a touch. A recurring series counts once, when its
        first occurrence took place."""
        events = self.sudo().with_context(virtual_id=False).search([
            ("opportunity_id", "!=", False),
            ("stop", "<=", fields.Datetime.now()),
            ("sales_touch_ids", "=", False),
        ])
        for event in events:
            creator = event.create_uid
            self.env["sales.touch"]._record({
                "touch_type": "meeting",
                "direction": "out",
                "source": "calendar",
                "date": event.start,
                "duration": (event.duration or 0.0) * 60,
                "lead_id": event.opportunity_id.id,
                "user_id": self._sales_meeting_manager(event).id,
                "captured_user_id": creator.id,
                "calendar_event_id": event.id,
                "summary": event.name,
                # Put into the calendar only once it was over: a report typed
                # afterwards, which the head may want to check.
                "entered_late": event.create_date > event.stop,
            })
        return len(events)

    @api.model
    def _sales_meeting_manager(self, event):
        """Whom a held meeting is credited to: its organiser when he put it
        into the calendar himself or the head (or the system) did it for him;
        otherwise the one who did, so that nobody can credit a colleague (or
        be credited by one) with a meeting."""
        organiser = event.user_id or event.opportunity_id.user_id
        creator = event.create_uid
        if not creator or creator == organiser or creator.id == SUPERUSER_ID \
                or creator.has_group("sales_team.group_sale_manager"):
            return organiser
        return creator
