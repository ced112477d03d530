# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .common import DealApprovalCase

PAYLOAD = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


class TestDealApprovalEscaping(DealApprovalCase):
    """User text (client, deal, terms, comments, reasons) reaches the
    approver as text, never as markup."""

    def setUp(self):
        super(TestDealApprovalEscaping, self).setUp()
        self.client.name = "ООО " + PAYLOAD
        self.lead.name = "Сделка " + PAYLOAD
        self.request = self.new_waiting_request(payment_terms="Отсрочка " + PAYLOAD, note="Прошу " + PAYLOAD)

    def assert_escaped(self, html, where):
        self.assertTrue(html, where)
        self.assertNotIn("<img", html, where)
        self.assertIn(ESCAPED, html, where)

    def test_email_and_activity(self):
        mail = self.env["mail.mail"].sudo().search([("subject", "like", self.request.name)])
        self.assertEqual(len(mail), 1)
        body = mail.body_html
        self.assert_escaped(body, "email")
        self.assertEqual(body.count(ESCAPED), 4, "client, deal, terms and the note")
        activity = self.request.sudo().activity_ids
        self.assert_escaped(activity.note, "activity")
        self.assertEqual(activity.note.count(ESCAPED), 3)

    def test_chatter_comment_and_reason(self):
        request = self.new_waiting_request(amount=2500000.0)
        request.sudo(self.head).approve(comment="ОК " + PAYLOAD)
        request.sudo(self.findir).action_reject("Нет: " + PAYLOAD)
        bodies = request.sudo().message_ids.filtered(
            lambda m: "ОК" in (m.body or "") or "Нет:" in (m.body or "")).mapped("body")
        self.assertEqual(len(bodies), 2)
        for body in bodies:
            self.assert_escaped(body, "chatter")

    def test_sheet(self):
        self.request.sudo(self.head).approve(comment="ОК " + PAYLOAD)
        html = self.env.ref("deal_approval.deal_approval_sheet_report").render_qweb_html(
            self.request.ids)[0].decode("utf-8")
        self.assertNotIn(PAYLOAD, html)
        self.assertNotIn("onerror=alert(1)>", html)
        # client, deal, terms, the note and the approver's comment
        self.assertGreaterEqual(html.count(ESCAPED), 5)
