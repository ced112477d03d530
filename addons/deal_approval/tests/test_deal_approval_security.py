# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest import mock

from odoo.exceptions import AccessError

from odoo.addons.deal_approval.models import deal_approval_request

from .common import DealApprovalCase


class TestDealApprovalSecurity(DealApprovalCase):

    def test_salesman_cannot_write_state(self):
        request = self.new_request()
        with self.assertRaises(AccessError):
            request.sudo(self.seller).write({"state": "approved"})
        with self.assertRaises(AccessError):
            self.env["deal.approval.request"].sudo(self.seller).create({
                "lead_id": self.lead.id, "state": "approved", "amount": 1.0})
        # A context key sent over RPC cannot open the guard.
        with self.assertRaises(AccessError):
            request.sudo(self.seller).with_context(deal_approval_trusted=True).write({"state": "approved"})

    def test_author_cannot_approve_own(self):
        # The head waits as approver, then makes the request his own (the
        # head may change its manager): he holds a pending review of a
        # request he is the author of, so only the author guard refuses.
        request = self.new_waiting_request()
        self.assertEqual(request.current_approver_id, self.head)
        request.sudo(self.head).write({"user_id": self.head.id})
        self.assertTrue(request.sudo(self.head)._approval_my_review(self.head))
        with self.assertRaisesRegex(AccessError, "your own request"):
            request.sudo(self.head).action_approve()
        with self.assertRaisesRegex(AccessError, "your own request"):
            request.sudo(self.head).action_reject("сам себе")
        request = request.sudo()
        self.assertEqual((request.state, request.step_ids.state), ("waiting", "pending"))

    def test_non_approver_cannot_decide(self):
        request = self.new_waiting_request()
        for user in (self.seller, self.findir):
            with self.assertRaises(AccessError):
                request.sudo(user).action_approve()
            with self.assertRaises(AccessError):
                request.sudo(user).action_reject("нет")
        self.assertEqual(request.state, "waiting")

    def test_second_approver_waits_for_head(self):
        request = self.new_waiting_request(amount=2500000.0)
        with self.assertRaises(AccessError):
            request.sudo(self.findir).action_approve()

    def test_steps_are_history(self):
        request = self.new_waiting_request()
        with self.assertRaises(AccessError):
            request.step_ids.sudo(self.head).write({"state": "approved"})
        with self.assertRaises(AccessError):
            self.env["deal.approval.step"].sudo(self.seller).create({
                "request_id": request.id, "approver_id": self.seller.id, "version": 1})

    def test_visibility(self):
        mine = self.new_request()
        their_lead = self.lead.copy({"user_id": self.other.id})
        theirs = self.new_request(user=self.other, lead_id=their_lead.id)
        Request = self.env["deal.approval.request"]
        self.assertEqual(Request.sudo(self.seller).search([("id", "in", (mine | theirs).ids)]), mine)
        self.assertEqual(Request.sudo(self.head).search([("id", "in", (mine | theirs).ids)]), mine | theirs)
        self.assertFalse(Request.sudo(self.findir).search([("id", "in", (mine | theirs).ids)]))
        mine.action_submit()
        theirs.sudo(self.other).write({"amount": 3000000.0})
        theirs.sudo(self.other).action_submit()
        self.assertEqual(Request.sudo(self.findir).search([("id", "in", (mine | theirs).ids)]), theirs)
        with self.assertRaises(AccessError):
            theirs.sudo(self.seller).write({"discount": 1.0})

    def test_other_cannot_edit_document(self):
        request = self.new_request()
        with self.assertRaises(AccessError):
            request.sudo(self.findir).write({"amount": 1.0})

    def test_context_defaults_are_values_of_the_client(self):
        Request = self.env["deal.approval.request"].sudo(self.seller)
        values = {"lead_id": self.lead.id, "contract_file": self.pdf, "amount": 10.0}
        for context in ({"default_state": "approved"}, {"default_checksum": "0" * 64},
                        {"default_version": 7}, {"default_user_id": self.head.id}):
            with self.assertRaises(AccessError):
                Request.with_context(**context).create(values)
        # Defaults of ordinary fields still work.
        request = Request.with_context(default_amount=20.0).create(
            {"lead_id": self.lead.id, "contract_file": self.pdf})
        self.assertEqual((request.amount, request.state, request.user_id), (20.0, "draft", self.seller))

    def test_all_documents_reads_all_and_decides_nothing(self):
        reader = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "All", "login": "da_test_all", "email": "all@example.invalid",
            "groups_id": [(6, 0, [self.env.ref("sales_team.group_sale_salesman_all_leads").id])]})
        mine = self.new_waiting_request()
        Request = self.env["deal.approval.request"].sudo(reader)
        self.assertEqual(Request.search([("id", "=", mine.id)]), mine)
        self.assertTrue(mine.sudo(reader).step_ids.sudo(reader).read(["state"]))
        self.assertTrue(self.env["deal.approval.report"].sudo(reader).search([("request_id", "=", mine.id)]))
        with self.assertRaises(AccessError):
            mine.sudo(reader).action_approve()
        with self.assertRaises(AccessError):
            mine.sudo(reader).write({"note": "чужая"})
        with self.assertRaises(AccessError):
            mine.sudo(reader).action_cancel()
        self.assertEqual(mine.state, "waiting")
        # His own requests stay his to edit.
        their_lead = self.lead.copy({"user_id": reader.id})
        own = self.new_request(user=reader, lead_id=their_lead.id)
        own.sudo(reader).write({"note": "своя"})
        self.assertEqual(own.note, "своя")

    def test_only_the_author_or_head_deletes(self):
        request = self.new_request()
        with self.assertRaises(AccessError):
            request.sudo(self.other).unlink()
        self.assertTrue(request.exists())
        request.sudo(self.seller).unlink()
        self.assertFalse(request.exists())

    def test_report_view_is_made_by_the_installation_only(self):
        with self.assertRaises(AccessError):
            self.env["deal.approval.report"].sudo(self.seller).init()

    def test_settings_are_set_by_administrators_only(self):
        settings = self.env["res.config.settings"].create({"deal_approval_head_id": self.seller.id})
        # A settings record of his own (transient records belong to their
        # creator): the guard, not the record's owner, refuses.
        self.env.cr.execute("UPDATE res_config_settings SET create_uid = %s WHERE id = %s",
                            (self.seller.id, settings.id))
        with self.assertRaisesRegex(AccessError, "administrators"):
            settings.sudo(self.seller).set_values()
        self.assertEqual(self.env["deal.approval.request"]._get_settings()["head_id"], self.head.id)
        self.assertNotIn(self.seller, self.env.ref("deal_approval.group_deal_approver").users)

    def test_a_client_does_not_switch_the_tracking_off(self):
        request = self.new_request().sudo(self.seller).with_context(tracking_disable=True, mail_notrack=True)
        request.write({"amount": 777.0, "payment_terms": "Отсрочка 90 дней"})
        tracked = request.sudo().message_ids.mapped("tracking_value_ids")
        self.assertTrue(tracked.filtered(lambda v: v.field == "amount" and v.new_value_monetary == 777.0))
        self.assertTrue(tracked.filtered(lambda v: v.field == "payment_terms" and
                                         v.new_value_char == "Отсрочка 90 дней"))
        created = self.env["deal.approval.request"].sudo(self.seller).with_context(tracking_disable=True).create({
            "lead_id": self.lead.id, "contract_file": self.pdf, "amount": 5.0})
        self.assertIn(self.seller.partner_id, created.message_partner_ids)

    def test_default_head_is_never_the_superuser(self):
        """Without a head in the settings, the first head of sales by id
        approves, never the superuser (SUPERUSER_ID, whatever its id)."""
        self.env["ir.config_parameter"].sudo().set_param("deal_approval.head_approver_id", "")
        group = self.env.ref("sales_team.group_sale_manager")
        heads = group.users.filtered(lambda u: u.active).sorted("id")
        self.assertIn(self.head, heads)
        Request = self.env["deal.approval.request"]
        expected = heads.filtered(lambda u: u.id != 1)[:1]
        self.assertEqual(Request._default_head(), expected)
        # Were the superuser the head created in this test, he would not be
        # the default head: the filter reads SUPERUSER_ID, not the number 1.
        with mock.patch.object(deal_approval_request, "SUPERUSER_ID", self.head.id):
            chosen = Request._default_head()
        self.assertNotEqual(chosen, self.head)
        self.assertEqual(chosen, heads.filtered(lambda u: u != self.head)[:1])
