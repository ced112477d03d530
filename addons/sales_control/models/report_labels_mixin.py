# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ReportLabelsMixin(models.AbstractModel):
    """The labels of a report's many2one groups, read without prefetching.

    ``read_group`` labels its many2one groups with ``name_get()``, and an
    Odoo read prefetches every column of the records it reads: for the
    salespeople of a pivot, some eighty columns of ``res_users`` and
    ``res_partner`` to show their names (90 ms for 50 people, more than the
    rest of the pivot's Python). The labels are the same ``name_get()``,
    read with ``prefetch_fields=False`` (the fields the names need only).
    """

    _name = "sales.report.labels.mixin"
    _description = "Report Group Labels"

    @api.model
    def _read_group_resolve_many2one_fields(self, data, fields):
        return super(ReportLabelsMixin, self.with_context(prefetch_fields=False)) \
            ._read_group_resolve_many2one_fields(data, fields)
