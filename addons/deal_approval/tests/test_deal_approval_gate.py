# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError

from .common import DealApprovalCase, make_pdf


class TestDealApprovalGate(DealApprovalCase):
    """No route takes a deal into the gated stage, a stage after it or to
    won without a request approved in its current version."""

    @classmethod
    def setUpClass(cls):
        super(TestDealApprovalGate, cls).setUpClass()
        Stage = cls.env["crm.stage"]
        # The stages of this test only (the demo's gate is set aside).
        Stage.search([("approval_required", "=", True)]).write({"approval_required": False})
        cls.open_stage = Stage.create({"name": "Переговоры", "sequence": 1000, "probability": 30})
        cls.gate = Stage.create({"name": "Договор подписан", "sequence": 1010, "probability": 80,
                                 "approval_required": True})
        cls.after = Stage.create({"name": "Отгрузка", "sequence": 1020, "probability": 95})
        cls.won = Stage.create({"name": "Выиграна", "sequence": 1030, "probability": 100, "on_change": True})
        cls.other_team = cls.env["crm.team"].create({"name": "Другой отдел"})
        cls.team_after = Stage.create({"name": "Отгрузка другого отдела", "sequence": 1025, "probability": 90,
                                       "team_id": cls.other_team.id})
        cls.lead.write({"stage_id": cls.open_stage.id, "probability": 30})

    def assert_refused(self, call, leads=None):
        leads = leads or self.lead
        before = [(lead.stage_id, lead.probability) for lead in leads]
        with self.assertRaises(UserError):
            call()
        leads.invalidate_cache()
        self.assertEqual([(lead.stage_id, lead.probability) for lead in leads], before)

    def approved_request(self, lead=None):
        request = self.new_waiting_request(**({"lead_id": lead.id} if lead else {}))
        request.sudo(self.head).approve(comment="ОК")
        self.assertEqual(request.state, "approved")
        return request

    def test_every_route_refused_without_approval(self):
        lead = self.lead.sudo(self.seller)
        for stage in (self.gate, self.after, self.won, self.team_after):
            self.assert_refused(lambda: lead.write({"stage_id": stage.id}))
        self.assert_refused(lambda: lead.write({"probability": 100}))
        self.assert_refused(lead.action_set_won)
        # The head is gated too.
        self.assert_refused(self.lead.sudo(self.head).action_set_won)
        # A stage before the gate stays open.
        lead.write({"stage_id": self.env.ref("crm.stage_lead2").id})

    def test_waiting_or_rejected_request_does_not_open_the_gate(self):
        request = self.new_waiting_request()
        self.assert_refused(lambda: self.lead.sudo(self.seller).write({"stage_id": self.gate.id}))
        request.sudo(self.head).action_reject("Нет")
        self.assert_refused(lambda: self.lead.sudo(self.seller).write({"stage_id": self.gate.id}))

    def test_approved_request_opens_the_gate(self):
        self.approved_request()
        lead = self.lead.sudo(self.seller)
        lead.write({"stage_id": self.gate.id})
        lead.write({"stage_id": self.after.id})
        lead.action_set_won()
        self.assertEqual(self.lead.probability, 100)

    def test_older_version_does_not_count(self):
        request = self.approved_request()
        request.sudo(self.seller).write({"contract_file": make_pdf("Другая редакция")})
        self.assertEqual((request.state, request.version), ("waiting", 2))
        self.assert_refused(lambda: self.lead.sudo(self.seller).write({"stage_id": self.gate.id}))

    def test_document_changed_outside_the_orm_does_not_count(self):
        request = self.approved_request()
        self.env.cr.execute("UPDATE deal_approval_request SET discount = 30 WHERE id = %s", (request.id,))
        request.invalidate_cache()
        self.assertEqual(request.state, "approved")
        self.assert_refused(lambda: self.lead.sudo(self.seller).write({"stage_id": self.won.id}))

    def test_request_of_another_deal_does_not_count(self):
        other = self.lead.copy({"name": "Другая сделка", "user_id": self.seller.id})
        self.approved_request(lead=other)
        self.assert_refused(lambda: self.lead.sudo(self.seller).write({"stage_id": self.gate.id}))

    def test_mass_edit_refused_when_one_deal_lacks_approval(self):
        other = self.lead.copy({"name": "Вторая сделка", "user_id": self.seller.id,
                                "stage_id": self.open_stage.id})
        self.approved_request()
        leads = (self.lead | other).sudo(self.seller)
        self.assert_refused(lambda: leads.write({"stage_id": self.won.id}), leads)
        self.approved_request(lead=other)
        leads.write({"stage_id": self.won.id})
        self.assertEqual(leads.mapped("stage_id"), self.won)

    def test_create_in_a_gated_stage(self):
        Lead = self.env["crm.lead"].sudo(self.seller)
        values = {"name": "Сразу выиграна", "type": "opportunity", "user_id": self.seller.id}
        for extra in ({"stage_id": self.gate.id}, {"stage_id": self.won.id}, {"probability": 100}):
            with self.assertRaises(UserError):
                Lead.create(dict(values, **extra))
        with self.assertRaises(UserError):
            Lead.with_context(default_stage_id=self.after.id).create(values)
        lead = Lead.create(dict(values, stage_id=self.open_stage.id))
        self.assertEqual(lead.stage_id, self.open_stage)

    def test_import_refused(self):
        Lead = self.env["crm.lead"].sudo(self.seller)
        count = Lead.search_count([("name", "=", "Импорт выигранной")])
        result = Lead.load(["name", "type", "stage_id/.id"],
                           [["Импорт выигранной", "opportunity", str(self.won.id)]])
        self.assertFalse(result["ids"])
        self.assertTrue(any("Выиграна" in message["message"] for message in result["messages"]))
        self.assertEqual(Lead.search_count([("name", "=", "Импорт выигранной")]), count)

    def test_won_stage_before_the_gate_by_sequence(self):
        early_won = self.env["crm.stage"].create({"name": "Выиграна рано", "sequence": 1001, "probability": 100})
        self.assert_refused(lambda: self.lead.sudo(self.seller).write({"stage_id": early_won.id}))

    def test_the_first_gate_by_sequence_counts(self):
        self.env["crm.stage"].create({"name": "Счёт согласован", "sequence": 1015, "approval_required": True,
                                      "team_id": self.other_team.id})
        self.assert_refused(lambda: self.lead.sudo(self.seller).write({"stage_id": self.after.id}))
        self.approved_request()
        self.lead.sudo(self.seller).write({"stage_id": self.after.id})

    def test_moving_back_is_free_and_coming_again_is_gated(self):
        self.lead.write({"stage_id": self.after.id})  # as superuser: trusted code is not gated
        lead = self.lead.sudo(self.seller)
        lead.write({"name": "Переименована", "stage_id": self.after.id})
        lead.write({"stage_id": self.open_stage.id})
        self.assert_refused(lambda: lead.write({"stage_id": self.after.id}))

    def test_no_gate_configured(self):
        self.gate.approval_required = False
        self.lead.sudo(self.seller).action_set_won()
        self.assertEqual(self.lead.probability, 100)

    def test_deal_of_another_company(self):
        """The gate is the same for a deal of another company of the group,
        and its request (of that company) opens it."""
        company = self.env["res.company"].create({"name": "ООО «Филиал»"})
        self.seller.write({"company_ids": [(4, company.id)]})
        lead = self.lead.copy({"name": "Сделка филиала", "company_id": company.id, "user_id": self.seller.id,
                               "stage_id": self.open_stage.id})
        self.assert_refused(lambda: lead.sudo(self.seller).write({"stage_id": self.won.id}), lead)
        request = self.approved_request(lead=lead)
        request.write({"company_id": company.id})
        self.assertEqual(request.state, "approved")
        lead.sudo(self.seller).write({"stage_id": self.won.id})
        self.assertEqual(lead.stage_id, self.won)
