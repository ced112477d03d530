# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io

from odoo.tests.common import SavepointCase


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
        cls.env = cls.env(context=dict(cls.env.context, deal_approval_no_pdf=True, lang="en_US",
                                       no_reset_password=True, tracking_disable=False))
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
        params.set_param("deal_approval.second_threshold", "1000000")
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
