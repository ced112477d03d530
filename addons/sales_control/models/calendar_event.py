# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models

# Fields of calendar.event that set when a meeting takes place.
TIME_FIELDS = ("start", "stop", "start_datetime", "stop_datetime", "start_date", "stop_date", "allday",
               "duration")
# A meeting put into the calendar this long after it began was typed in
# afterwards (logging it from the meeting room is not).
LATE_AFTER = timedelta(minutes=15)


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    sales_touch_ids = fields.One2many("sales.touch", "calendar_event_id", string="Touches")
    # Stored for the record rules (one indexed comparison per salesman).
    sales_lead_user_id = fields.Many2one("res.users", related="opportunity_id.user_id", store=True, index=True,
                                         readonly=True, string="Deal Salesperson")
    sales_lead_team_id = fields.Many2one("crm.team", related="opportunity_id.team_id", store=True, index=True,
                                         readonly=True, string="Deal Sales Team")
    sales_overlapping = fields.Boolean(
        string="Overlaps a Recorded Meeting", readonly=True, copy=False,
        help="Not recorded as a touch: its salesperson's meeting recorded before overlaps it.")
    sales_times_entered = fields.Datetime(
        string="Time Entered", readonly=True, copy=False,
        help="When the meeting's date and time were last entered: a meeting entered after it began "
             "is a report typed in afterwards, which its touch flags.")

    @api.model
    def create(self, vals):
        vals = dict(self._sales_without_system_fields(vals), sales_times_entered=fields.Datetime.now())
        events = super(CalendarEvent, self).create(vals)
        # Checked on the record made: a context default may name the deal too.
        events._sales_check_deal(events.mapped("opportunity_id"))
        return events

    @api.multi
    def write(self, vals):
        vals = self._sales_without_system_fields(vals)
        if vals.get("opportunity_id"):
            self._sales_check_deal(self.env["crm.lead"].browse(vals["opportunity_id"]))
        if any(name in vals for name in TIME_FIELDS):
            vals = dict(vals, sales_times_entered=fields.Datetime.now())
        return super(CalendarEvent, self).write(vals)

    @staticmethod
    def _sales_without_system_fields(vals):
        """When a meeting was entered and whether it overlaps another are
        the system's: no caller writes them."""
        return {key: value for key, value in vals.items() if key not in ("sales_times_entered", "sales_overlapping")}

    def _sales_check_deal(self, leads):
        """A meeting goes only on a deal its author may change: pointed at a
        colleague's deal it would read its name and earn a touch there."""
        if leads and self.env.uid != SUPERUSER_ID:
            leads = leads.with_env(self.env)
            leads.check_access_rights("write")
            leads.check_access_rule("write")

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
            ("sales_overlapping", "=", False),
        ], order="start, id")
        Touch = self.env["sales.touch"]
        overlapping = self.browse()
        for event in events:
            user = self._sales_meeting_manager(event)
            if self._sales_overlaps_a_recorded_meeting(event, user):
                overlapping |= event
                continue
            creator = event.create_uid
            Touch._record({
                "touch_type": "meeting",
                "direction": "out",
                "source": "calendar",
                "date": event.start,
                # As long as it lasted: calendar keeps any "duration" given
                # next to start and stop.
                "duration": self._sales_minutes(event),
                "lead_id": event.opportunity_id.id,
                "user_id": user.id,
                "captured_user_id": creator.id,
                "calendar_event_id": event.id,
                "summary": event.name,
                # Put into the calendar only once it had begun: a report
                # typed afterwards, which the head may want to check.
                "entered_late": self._sales_entered_late(event),
            })
        if overlapping:
            # Stored with SQL: a write would count as entering it again.
            self.env.cr.execute("UPDATE calendar_event SET sales_overlapping = TRUE WHERE id IN %s",
                                (tuple(overlapping.ids),))
            overlapping.invalidate_cache(["sales_overlapping"])
        return len(events) - len(overlapping)

    @api.model
    def _sales_overlaps_a_recorded_meeting(self, event, user):
        """One manager is in one meeting at a time: a meeting of his that
        overlaps one already recorded for him is not recorded again."""
        if not user:
            return False
        start, stop = fields.Datetime.from_string(event.start), fields.Datetime.from_string(event.stop)
        earlier = self.env["sales.touch"].sudo().search([
            ("touch_type", "=", "meeting"), ("user_id", "=", user.id), ("source", "=", "calendar"),
            ("date", "<", event.stop), ("date", ">=", fields.Datetime.to_string(start - timedelta(days=1))),
        ])
        return any(fields.Datetime.from_string(touch.date) + timedelta(minutes=touch.duration) > start
                   and stop > fields.Datetime.from_string(touch.date) for touch in earlier)

    @staticmethod
    def _sales_minutes(event):
        start, stop = fields.Datetime.from_string(event.start), fields.Datetime.from_string(event.stop)
        return max((stop - start).total_seconds() / 60.0, 0.0) if start and stop else 0.0

    @staticmethod
    def _sales_entered_late(event):
        entered = fields.Datetime.from_string(event.sales_times_entered or event.create_date)
        return bool(entered and event.start and entered > fields.Datetime.from_string(event.start) + LATE_AFTER)

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
