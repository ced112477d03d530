# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests.common import SavepointCase


class SalesControlCase(SavepointCase):
    """A head, two teams (leader + member each) and a client with deals."""

    @classmethod
    def setUpClass(cls):
        super(SalesControlCase, cls).setUpClass()
        env = cls.env(context=dict(cls.env.context, no_reset_password=True, tracking_disable=True,
                                   mail_create_nolog=True))
        cls.env = env
        # The clients' numbers below are in Russian notation, read in the
        # company's country: a Russian company (Odoo's demo one is not).
        env.user.company_id.country_id = env.ref("base.ru")
        salesman = env.ref("sales_team.group_sale_salesman")
        manager = env.ref("sales_team.group_sale_manager")
        Users = env["res.users"]

        def user(login, group):
            return Users.create({
                "name": login.title(), "login": "sc_%s" % login, "email": "%s@sc.example" % login,
                "groups_id": [(6, 0, [group.id, env.ref("base.group_user").id])],
            })
        cls.head = user("head", manager)
        cls.leader = user("leader", salesman)
        cls.member = user("member", salesman)
        cls.other = user("other", salesman)
        cls.team = env["crm.team"].create({"name": "SC Team A", "user_id": cls.leader.id,
                                           "member_ids": [(6, 0, [cls.leader.id, cls.member.id])]})
        cls.team_b = env["crm.team"].create({"name": "SC Team B", "user_id": cls.other.id,
                                             "member_ids": [(6, 0, [cls.other.id])]})
        for member in (cls.leader, cls.member):
            member.sale_team_id = cls.team
        cls.other.sale_team_id = cls.team_b
        cls.client = env["res.partner"].create({
            "name": "ООО «Тест»", "is_company": True, "phone": "+7 (495) 111-22-33",
            "email": "client@sc.example"})
        cls.contact = env["res.partner"].create({
            "name": "Иванов Иван", "parent_id": cls.client.id, "mobile": "8 916 555 44 33"})
        Lead = env["crm.lead"]
        cls.lead_member = Lead.create({"name": "Deal of member", "type": "opportunity", "partner_id": cls.client.id,
                                       "user_id": cls.member.id, "team_id": cls.team.id})
        cls.lead_other = Lead.create({"name": "Deal of other", "type": "opportunity",
                                      "user_id": cls.other.id, "team_id": cls.team_b.id})
        cls.lead_unassigned = Lead.create({"name": "Nobody's lead", "type": "lead", "user_id": False,
                                           "team_id": False})
        cls.company = env.user.company_id
        cls.company.sales_control_show_unassigned = False
