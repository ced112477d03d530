# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io

from odoo.tests.common import SavepointCase

from odoo.addons.deal_approval.models.common import without_pdf_context


def make_pdf(text="Contract"):
    """A small real PDF (reportlab)."""
    from reportlab.pdfgen import canvas
    stream = io.BytesIO()
    pdf = canvas.Canvas(stream)
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return base64.b64encode(stream.getvalue())


class DealApprovalCase(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super(DealApprovalCase, cls).setUpClass()
        # No wkhtmltopdf in the flow tests: test_deal_approval_pdf asks for it.
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US", no_reset_password=True,
                                       tracking_disable=False, **without_pdf_context()))
        Users = cls.env["res.users"].with_context(no_reset_password=True)
        salesman = cls.env.ref("sales_team.group_sale_salesman")
        manager = cls.env.ref("sales_team.group_sale_manager")
        employee = cls.env.ref("base.group_user")

        def user(login, groups):
            return Users.create({
                "name": login.title(), "login": "da_test_" + login, "email": "%s@example.invalid" % login,
                "groups_id": [(6, 0, [g.id for g in groups])],
            })
        cls.head = user("head", [manager])
        cls.findir = user("findir", [employee])
        cls.seller = user("seller", [salesman])
        cls.other = user("other", [salesman])
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("deal_approval.head_approver_id", cls.head.id)
        params.set_param("deal_approval.second_approver_id", cls.findir.id)
        # The standard route alone, as installed: the head, then the
        # finance director from 1,000,000 (whatever other routes the
        # database has switched on).
        cls.env["deal.approval.route"].search([]).write({"active": False})
        cls.default_route = cls.env.ref("deal_approval.route_default")
        cls.default_route.write({"active": True, "company_id": False})
        cls.env.ref("deal_approval.route_default_step_finance").write({"amount_from": 1000000.0})
        cls.client = cls.env["res.partner"].create({"name": "ООО «Тест»", "is_company": True,
                                                    "customer": True})
        cls.lead = cls.env["crm.lead"].create({
            "name": "Поставка — тест", "type": "opportunity", "partner_id": cls.client.id,
            "user_id": cls.seller.id,
        })
        cls.pdf = make_pdf()

    def new_request(self, user=None, amount=500000.0, **values):
        user = user or self.seller
        vals = {"lead_id": self.lead.id, "document_type": "contract", "contract_file": self.pdf,
                "contract_filename": "contract.pdf", "amount": amount, "discount": 5.0,
                "payment_terms": "50% предоплата"}
        vals.update(values)
        return self.env["deal.approval.request"].sudo(user).create(vals)

    def new_waiting_request(self, **values):
        """A request sent for approval: its first approver decides now."""
        request = self.new_request(**values)
        request.action_submit()
        return request

    def new_invoice(self):
        """A draft customer invoice of 300 000 for the deal's client."""
        # The stack database has no chart of accounts: the least an invoice needs.
        Account = self.env["account.account"]
        receivable = Account.create({
            "code": "DA62", "name": "Расчёты с покупателями", "reconcile": True,
            "user_type_id": self.env.ref("account.data_account_type_receivable").id})
        income = Account.create({
            "code": "DA90", "name": "Выручка", "user_type_id": self.env.ref("account.data_account_type_revenue").id})
        journal = self.env["account.journal"].create({
            "name": "Продажи DA", "code": "DAS", "type": "sale",
            "default_debit_account_id": income.id, "default_credit_account_id": income.id})
        self.client.write({"property_account_receivable_id": receivable.id,
                           "property_account_payable_id": receivable.id})
        product = self.env["product.product"].create({"name": "Станок", "list_price": 100000.0})
        invoice = self.env["account.invoice"].create({
            "partner_id": self.client.id, "type": "out_invoice", "journal_id": journal.id,
            "user_id": self.seller.id,
            "account_id": receivable.id, "payment_term_id": False, "fiscal_position_id": False,
            "partner_bank_id": False,
            "invoice_line_ids": [(0, 0, {"product_id": product.id, "name": "Станок", "quantity": 3,
                                         "price_unit": 100000.0, "account_id": income.id})],
        })
        return invoice
