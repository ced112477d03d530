# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo.exceptions import UserError, ValidationError

from .common import DealApprovalCase, make_pdf


class TestDealApprovalFlow(DealApprovalCase):

    def test_submit_approve(self):
        request = self.new_request()
        self.assertEqual(request.state, "draft")
        self.assertTrue(request.name.startswith("APR/"))
        request.action_submit()
        self.assertEqual(request.state, "waiting")
        self.assertEqual(request.version, 1)
        self.assertEqual(request.current_approver_id, self.head)
        self.assertEqual(request.step_ids.mapped("approver_id"), self.head)
        activity = request.sudo().activity_ids
        self.assertEqual(activity.user_id, self.head)
        self.assertEqual(activity.activity_type_id, self.env.ref("deal_approval.mail_activity_type_approve"))
        self.assertIn("500", activity.note)
        mail = self.env["mail.mail"].sudo().search([("subject", "like", request.name)])
        self.assertEqual(len(mail), 1)
        self.assertIn("/deal_approval/token?t=", mail.body_html)
        self.assertEqual(mail.recipient_ids, self.head.partner_id)
        self.assertFalse(request.sudo().message_ids.filtered(lambda m: "/deal_approval/token" in (m.body or "")))
        request.sudo(self.head).approve(comment="ОК")
        self.assertEqual(request.state, "approved")
        self.assertFalse(request.sudo().activity_ids)
        self.assertTrue(request.checksum)
        self.assertEqual(request.step_ids.state, "approved")
        self.assertEqual(request.step_ids.comment, "ОК")
        tracked = request.sudo().message_ids.mapped("tracking_value_ids").filtered(lambda v: v.field == "state")
        self.assertTrue(tracked)

    def test_second_approver_above_threshold(self):
        request = self.new_waiting_request(amount=2500000.0)
        self.assertEqual(request.step_ids.sorted("sequence").mapped("approver_id"), self.head | self.findir)
        request.sudo(self.head).action_approve()
        self.assertEqual(request.state, "waiting")
        self.assertEqual(request.current_approver_id, self.findir)
        request.sudo(self.findir).action_approve()
        self.assertEqual(request.state, "approved")

    def test_author_is_head_skips_himself(self):
        request = self.new_waiting_request(user=self.head, amount=2500000.0)
        self.assertEqual(request.step_ids.mapped("approver_id"), self.findir)

    def test_reject_and_resubmit(self):
        request = self.new_waiting_request(amount=2500000.0)
        with self.assertRaises(UserError):
            request.sudo(self.head).action_reject("  ")
        request.sudo(self.head).action_reject("Скидка велика")
        self.assertEqual(request.state, "rejected")
        self.assertEqual(request.reject_reason, "Скидка велика")
        self.assertEqual(request.step_ids.filtered(lambda s: s.approver_id == self.findir).state, "superseded")
        request.sudo(self.seller).write({"discount": 2.0})
        request.sudo(self.seller).action_submit()
        self.assertEqual(request.state, "waiting")
        self.assertEqual(request.version, 2)
        self.assertFalse(request.reject_reason)
        self.assertEqual(len(request.step_ids), 4)

    def test_reject_wizard(self):
        request = self.new_waiting_request()
        action = request.sudo(self.head).action_open_reject_wizard()
        wizard = self.env[action["res_model"]].sudo(self.head).with_context(action["context"]).create(
            {"reason": "Нет подписи"})
        wizard.action_reject()
        self.assertEqual(request.state, "rejected")

    def test_cancel(self):
        request = self.new_waiting_request()
        request.sudo(self.seller).action_cancel()
        self.assertEqual(request.state, "cancel")
        self.assertFalse(request.sudo().activity_ids)
        with self.assertRaises(UserError):
            request.sudo(self.seller).action_submit()

    def test_contract_must_be_pdf(self):
        with self.assertRaises(ValidationError):
            self.new_request(contract_file=b"bm90IGEgcGRm")
        with self.assertRaises(ValidationError):
            self.new_request(contract_file=base64.b64encode(b"%PDF-1.4 broken"))

    def test_freeze_contract_replaced(self):
        request = self.new_waiting_request()
        request.sudo(self.head).action_approve()
        request.sudo(self.seller).write({"contract_file": make_pdf("Другой договор")})
        self.assertEqual(request.state, "waiting")
        self.assertEqual(request.version, 2)
        self.assertTrue(request.sudo().message_ids.filtered(lambda m: "changed after the approval" in (m.body or "")))

    def test_freeze_unchanged_write_keeps_approval(self):
        request = self.new_waiting_request()
        request.sudo(self.head).action_approve()
        request.sudo(self.seller).write({"note": "комментарий"})
        self.assertEqual(request.state, "approved")

    def test_freeze_invoice_amount(self):
        invoice = self.new_invoice()
        request = self.new_request(document_type="invoice", invoice_id=invoice.id, contract_file=False)
        self.assertEqual(request.amount, invoice.amount_total)
        request.action_submit()
        request.sudo(self.head).action_approve()
        self.assertEqual(request.state, "approved")
        invoice.write({"invoice_line_ids": [(1, invoice.invoice_line_ids.id, {"quantity": 4})]})
        self.assertEqual(request.state, "waiting")
        self.assertEqual(request.amount, invoice.amount_total)
        self.assertEqual(request.version, 2)

    def test_freeze_invoice_line_added_or_removed_directly(self):
        invoice = self.new_invoice()
        request = self.new_waiting_request(document_type="invoice", invoice_id=invoice.id, contract_file=False)
        request.sudo(self.head).action_approve()
        line = self.env["account.invoice.line"].create({
            "invoice_id": invoice.id, "name": "Монтаж", "quantity": 1, "price_unit": 50000.0,
            "account_id": invoice.invoice_line_ids[0].account_id.id})
        self.assertEqual((request.state, request.version, request.amount), ("waiting", 2, 350000.0))
        request.sudo(self.head).action_approve()
        line.unlink()
        self.assertEqual((request.state, request.version, request.amount), ("waiting", 3, 300000.0))

    def test_stage_gate(self):
        stage = self.env["crm.stage"].create({"name": "Договор подписан", "approval_required": True})
        with self.assertRaises(UserError):
            self.lead.sudo(self.seller).write({"stage_id": stage.id})
        request = self.new_waiting_request()
        with self.assertRaises(UserError):
            self.lead.sudo(self.seller).write({"stage_id": stage.id})
        request.sudo(self.head).action_approve()
        self.lead.sudo(self.seller).write({"stage_id": stage.id})
        self.assertEqual(self.lead.stage_id, stage)

    def test_report_rows(self):
        request = self.new_waiting_request(amount=2500000.0)
        request.sudo(self.head).action_approve()
        rows = self.env["deal.approval.report"].search([("request_id", "=", request.id)])
        self.assertEqual(sorted(rows.mapped("state")), ["approved", "pending"])
        data = self.env["deal.approval.report"].read_group(
            [("request_id", "=", request.id)], ["approver_id", "delay_hours", "delay_max_hours", "nbr"],
            ["approver_id"])
        self.assertEqual(len(data), 2)
