# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

UNASSIGNED_GROUP = "sales_control.group_show_unassigned"
SALESMAN_GROUP = "sales_team.group_sale_salesman"


class ResCompany(models.Model):
    _inherit = "res.company"

    # Not a column of the company: the record rules must not read a field of
    # ours (while the registry loads crm under "-u crm" that field does not
    # exist yet). The setting is whether the salesmen's group implies the
    # technical group "Salespeople See Unassigned Leads" (Odoo's implied_group
    # pattern), so it is the same in every company.
    sales_control_show_unassigned = fields.Boolean(
        string="Salespeople See Unassigned Leads",
        compute="_compute_sales_control_show_unassigned",
        inverse="_inverse_sales_control_show_unassigned",
        help="If set, every salesperson sees the leads that have no salesperson.")
    sales_control_flag_ratio = fields.Float(
        string="Efficiency Flag Threshold", default=1.5,
        help="A salesperson is flagged when his touches per won deal exceed the "
             "team's median by this factor (or he has touches and no win).")

    def _compute_sales_control_show_unassigned(self):
        unassigned = self.env.ref(UNASSIGNED_GROUP, raise_if_not_found=False)
        # sudo: whoever may read the company may read this setting; portal
        # users may not read groups.
        salesman = self.env.ref(SALESMAN_GROUP).sudo()
        shown = bool(unassigned) and unassigned in salesman.implied_ids
        for company in self:
            company.sales_control_show_unassigned = shown

    def _inverse_sales_control_show_unassigned(self):
        # Runs with the rights of whoever writes the company (res.company and
        # res.groups are both written by Settings administrators only).
        show = any(self.mapped("sales_control_show_unassigned"))
        unassigned = self.env.ref(UNASSIGNED_GROUP)
        salesman = self.env.ref(SALESMAN_GROUP)
        if show:
            # Odoo adds the implied group to every member of the group.
            salesman.write({"implied_ids": [(4, unassigned.id)]})
        else:
            salesman.write({"implied_ids": [(3, unassigned.id)]})
            unassigned.write({"users": [(3, user.id) for user in salesman.users]})
        # Rule domains are cached per user.
        self.env["ir.rule"].clear_caches()
