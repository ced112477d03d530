# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError

from .common import SalesControlCase
from .languages import load_language


class TestTouchCapture(SalesControlCase):

    def _touches(self, lead):
        return self.env["sales.touch"].search([("lead_id", "=", lead.id)])

    def test_done_call_activity_records_a_call_touch(self):
        activity = self.env["mail.activity"].sudo(self.member).create({
            "res_model_id": self.env["ir.model"]._get("crm.lead").id, "res_id": self.lead_member.id,
            "activity_type_id": self.env.ref("sales_control.mail_activity_type_call").id,
            "summary": "Discuss the price", "user_id": self.member.id})
        activity.action_feedback(feedback="Agreed on a meeting")
        touch = self._touches(self.lead_member)
        self.assertEqual(len(touch), 1)
        self.assertEqual((touch.touch_type, touch.user_id, touch.team_id, touch.source),
                         ("call", self.member, self.team, "activity"))
        self.assertEqual(touch.outcome, "Agreed on a meeting")
        self.assertEqual(touch.partner_id, self.client)
        self.assertEqual(self.lead_member.touch_call_count, 1)

    def test_other_activity_types_record_nothing(self):
        activity = self.env["mail.activity"].create({
            "res_model_id": self.env["ir.model"]._get("crm.lead").id, "res_id": self.lead_member.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id, "user_id": self.member.id})
        activity.action_feedback()
        self.assertFalse(self._touches(self.lead_member))

    def test_chatter_email_out_and_in_record_email_touches(self):
        lead = self.lead_member.sudo(self.member)
        lead.message_post(body="Hello", subject="Prices", message_type="comment", subtype="mail.mt_comment",
                          partner_ids=[self.client.id])
        lead.message_post(body="Internal", message_type="comment", subtype="mail.mt_note")
        self.lead_member.message_post(body="Answer", subject="Re: Prices", message_type="email",
                                      subtype="mail.mt_comment", author_id=self.client.id)
        touches = self._touches(self.lead_member)
        self.assertEqual(sorted(touches.mapped("direction")), ["in", "out"])
        self.assertEqual(set(touches.mapped("touch_type")), {"email"})
        self.assertEqual(touches.filtered(lambda t: t.direction == "out").user_id, self.member)

    def test_send_proposal_records_a_proposal_touch_with_attachment(self):
        action = self.lead_member.sudo(self.member).action_send_proposal()
        composer = self.env["mail.compose.message"].sudo(self.member).with_context(action["context"]).create({})
        composer.onchange_template_id_wrapper()
        self.assertTrue(composer.attachment_ids, "the template attaches the proposal")
        composer.send_mail()
        touch = self._touches(self.lead_member)
        self.assertEqual(touch.touch_type, "proposal")
        self.assertTrue(touch.attachment_ids)

    def test_meeting_that_took_place_records_a_meeting_touch(self):
        event = self.env["calendar.event"].create({
            "name": "Visit", "start": "2026-01-10 10:00:00", "stop": "2026-01-10 11:30:00",
            "duration": 1.5, "opportunity_id": self.lead_member.id, "user_id": self.member.id})
        self.env["calendar.event"]._cron_record_meeting_touches()
        self.env["calendar.event"]._cron_record_meeting_touches()
        touch = self._touches(self.lead_member)
        self.assertEqual(len(touch), 1)
        self.assertEqual((touch.touch_type, touch.duration, touch.calendar_event_id), ("meeting", 90.0, event))

    def test_meeting_on_a_deal_without_team_takes_the_managers_team(self):
        """Every way of recording a touch gives it the manager's team when
        the deal has none (the team leader sees it), meetings too."""
        deal = self.env["crm.lead"].create({"name": "Teamless deal", "type": "opportunity",
                                            "user_id": self.member.id, "team_id": False})
        self.env["calendar.event"].create({
            "name": "Visit", "start": "2026-01-12 10:00:00", "stop": "2026-01-12 11:00:00",
            "opportunity_id": deal.id, "user_id": self.member.id})
        self.env["calendar.event"]._cron_record_meeting_touches()
        touch = self._touches(deal)
        self.assertEqual((touch.touch_type, touch.team_id), ("meeting", self.team))
        self.assertEqual(touch.sudo(self.leader).search([("id", "=", touch.id)]), touch)

    def test_a_recurring_meeting_does_not_stop_the_meeting_cron(self):
        """calendar.event's search answers a recurring event with virtual ids
        (one per occurrence), which are no record to link a touch to."""
        weekly = self.env["calendar.event"].create({
            "name": "Weekly call", "start": "2026-01-05 10:00:00", "stop": "2026-01-05 11:00:00",
            "duration": 1.0, "opportunity_id": self.lead_member.id, "user_id": self.member.id,
            "recurrency": True, "rrule_type": "weekly", "interval": 1, "count": 3, "mo": True})
        self.env["calendar.event"]._cron_record_meeting_touches()
        self.env["calendar.event"]._cron_record_meeting_touches()
        touch = self._touches(self.lead_member)
        self.assertEqual(len(touch), 1)
        self.assertEqual((touch.touch_type, touch.calendar_event_id), ("meeting", weekly))

    def test_deleting_a_lead_keeps_the_history(self):
        touch = self.env["sales.touch"]._record({"touch_type": "call", "lead_id": self.lead_member.id})
        # A salesman may not delete deals at all (crm's access rights).
        with self.assertRaises(AccessError):
            self.lead_member.sudo(self.member).unlink()
        self.lead_member.sudo(self.head).unlink()
        self.assertTrue(touch.exists())
        self.assertEqual(touch.lead_name, "Deal of member")
        self.assertEqual(touch.user_id, self.member)

    def test_timeline_lists_touches_newest_first_with_player(self):
        Touch = self.env["sales.touch"]
        Touch._record({"touch_type": "call", "lead_id": self.lead_member.id, "date": "2026-01-01 10:00:00",
                      "recording_url": "https://pbx.example/rec/1.mp3", "summary": "Old call"})
        Touch._record({"touch_type": "email", "lead_id": self.lead_member.id, "date": "2026-02-01 10:00:00",
                      "summary": "New <email>"})
        html = self.lead_member.sudo(self.member).communication_timeline
        self.assertLess(html.index("New &lt;email&gt;"), html.index("Old call"))
        self.assertIn('src="https://pbx.example/rec/1.mp3"', html)
        self.assertIn('<audio controls', html)

    def test_head_files_an_unmatched_call_on_a_deal(self):
        touch = self.env["sales.touch"]._record({
            "touch_type": "call", "direction": "in", "source": "telephony", "user_id": self.head.id,
            "team_id": False, "phone_from": "+7 800 000 00 00"})
        self.assertTrue(touch.unmatched)
        self.assertFalse(touch.sudo(self.member).search([("id", "=", touch.id)]))
        touch.sudo(self.head).write({"lead_id": self.lead_member.id})
        self.assertFalse(touch.unmatched)
        self.assertEqual((touch.partner_id, touch.user_id, touch.team_id), (self.client, self.member, self.team))
        self.assertEqual(self.env["sales.touch"].sudo(self.member).search([("id", "=", touch.id)]), touch)

    def test_an_unmatched_call_filed_on_a_lead_without_salesperson_keeps_its_manager(self):
        touch = self.env["sales.touch"]._record({
            "touch_type": "call", "direction": "in", "source": "telephony", "user_id": self.head.id,
            "team_id": False, "phone_from": "+7 800 000 00 01"})
        touch.sudo(self.head).write({"lead_id": self.lead_unassigned.id})
        self.assertFalse(touch.unmatched)
        self.assertEqual(touch.user_id, self.head)

    def test_merging_deals_moves_their_touches(self):
        other_deal = self.env["crm.lead"].create({
            "name": "Second deal", "type": "opportunity", "partner_id": self.client.id,
            "user_id": self.member.id, "team_id": self.team.id})
        touch = self.env["sales.touch"]._record({"touch_type": "call", "lead_id": other_deal.id})
        self.env["sales.touch"]._record({"touch_type": "email", "lead_id": self.lead_member.id})
        merged = (self.lead_member | other_deal).sudo(self.member).merge_opportunity()
        self.assertEqual(len(merged.touch_ids), 2)
        self.assertEqual(touch.lead_id, merged)


class TestTouchSummaryLanguage(SalesControlCase):
    """A touch recorded without a text of its own reads as its kind and
    direction in the reader's language, whoever recorded it."""

    @classmethod
    def setUpClass(cls):
        super(TestTouchSummaryLanguage, cls).setUpClass()
        load_language(cls.env, "ru_RU")

    def test_summary_reads_in_the_readers_language(self):
        self.member.lang = "ru_RU"
        # Recorded by a Russian-speaking webhook call, for a Russian manager.
        touch = self.env["sales.touch"].with_context(lang="ru_RU")._record({
            "touch_type": "call", "direction": "in", "user_id": self.member.id,
            "date": "2026-06-01 10:00:00"})
        self.assertEqual(touch.with_context(lang="ru_RU").summary, "Звонок (входящий)")
        english = touch.sudo(self.head).with_context(lang="en_US")
        self.assertEqual(english.summary, "Call (incoming)")
        self.assertEqual(english.read(["summary"])[0]["summary"], "Call (incoming)")
        self.assertEqual(english.name_get()[0][1], "Call (incoming)")
        self.env.cr.execute("SELECT summary FROM sales_touch WHERE id = %s", [touch.id])
        self.assertEqual(self.env.cr.fetchone()[0], "/", "the parts are stored, not a text in one language")
        outgoing = self.env["sales.touch"]._record({"touch_type": "email", "user_id": self.member.id})
        self.assertEqual(outgoing.with_context(lang="en_US").summary, "Email")
        self.assertEqual(outgoing.with_context(lang="ru_RU").summary, "Письмо")

    def test_a_text_of_its_own_is_kept_as_given(self):
        touch = self.env["sales.touch"].with_context(lang="ru_RU")._record({
            "touch_type": "meeting", "summary": "Встреча у клиента", "user_id": self.member.id})
        self.assertEqual(touch.with_context(lang="en_US").summary, "Встреча у клиента")
        self.assertIn(touch, touch.search([("summary", "=", "Встреча у клиента")]))
        # The kind corrected by the head: a summary made of parts follows it.
        made = self.env["sales.touch"]._record({"touch_type": "call", "user_id": self.member.id})
        made.sudo(self.head).write({"touch_type": "meeting"})
        self.assertEqual(made.with_context(lang="en_US").summary, "Meeting")


class TestCaptureTakesNothingOnTrust(SalesControlCase):
    """What a capture hook takes on the caller's word: nothing."""

    def _touches(self, lead):
        return self.env["sales.touch"].search([("lead_id", "=", lead.id)])

    def test_a_context_key_does_not_make_a_message_a_proposal(self):
        lead = self.lead_member.sudo(self.member).with_context(sales_touch_proposal=True)
        lead.message_post(body="Terms", subject="Terms", message_type="comment", subtype="mail.mt_comment",
                          partner_ids=[self.client.id], date="2020-01-01 10:00:00")
        touch = self._touches(self.lead_member)
        self.assertEqual((touch.touch_type, touch.source), ("email", "email"))
        self.assertGreater(touch.date, "2026-01-01", "an outgoing message is dated when it is sent")
        self.assertEqual(touch.captured_user_id, self.member)

    def test_an_email_posted_by_a_user_is_no_incoming_touch(self):
        self.lead_member.sudo(self.member).message_post(
            body="We agree", message_type="email", subtype="mail.mt_comment", author_id=self.client.id)
        self.assertFalse(self._touches(self.lead_member))

    def test_a_meeting_planned_for_a_colleague_is_credited_to_its_author(self):
        event = self.env["calendar.event"].sudo(self.member).create({
            "name": "Visit", "start": "2026-01-10 10:00:00", "stop": "2026-01-10 11:00:00",
            "opportunity_id": self.lead_member.id, "user_id": self.member.id})
        event.sudo(self.member).write({"user_id": self.leader.id})
        self.env["calendar.event"]._cron_record_meeting_touches()
        touch = self._touches(self.lead_member)
        self.assertEqual((touch.user_id, touch.captured_user_id), (self.member, self.member))
        self.assertTrue(touch.entered_late, "created after it ended")

    def test_a_meeting_planned_ahead_by_the_head_goes_to_the_organiser(self):
        event = self.env["calendar.event"].sudo(self.head).create({
            "name": "Visit", "start": "2099-01-10 10:00:00", "stop": "2099-01-10 11:00:00",
            "opportunity_id": self.lead_member.id, "user_id": self.member.id})
        # Time passes: the meeting is over (moved in SQL: moving it by hand
        # would be entering it again).
        self.env.cr.execute("UPDATE calendar_event SET start = '2026-01-10 10:00:00', "
                            "stop = '2026-01-10 11:00:00', sales_times_entered = '2026-01-01 09:00:00' "
                            "WHERE id = %s", (event.id,))
        event.invalidate_cache()
        self.env["calendar.event"]._cron_record_meeting_touches()
        touch = self._touches(self.lead_member)
        self.assertEqual((touch.user_id, touch.captured_user_id), (self.member, self.head))
        self.assertFalse(touch.entered_late)

    def test_head_touch_is_manual_and_observed_fields_are_the_systems(self):
        touch = self.env["sales.touch"].sudo(self.head).create({
            "touch_type": "call", "lead_id": self.lead_member.id, "source": "telephony",
            "external_ref": "x-1", "phone_from": "+7 999"})
        self.assertEqual((touch.source, touch.external_ref, touch.phone_from, touch.captured_user_id),
                         ("manual", False, False, self.head))
        call = self.env["sales.touch"]._record({"touch_type": "call", "lead_id": self.lead_member.id,
                                                "source": "telephony", "phone_from": "+7 999"})
        with self.assertRaises(AccessError):
            call.sudo(self.head).write({"phone_from": "+7 000"})
        with self.assertRaises(UserError):
            call.sudo(self.head).unlink()
        call.sudo(self.head).write({"duration": 3.0})
        self.assertEqual(call.duration, 3.0)
