# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Approvers become routes: the standard route (made by the data file) takes
the amount from which the finance director approved, as the CRM settings
said; the requests keep their history (their steps are the reviews, made
by no route; the update fills the new column "mode" with "all": one after
the other, every approver deciding, as before)."""
import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    params = env["ir.config_parameter"]
    threshold = params.get_param("deal_approval.second_threshold")
    step = env.ref("deal_approval.route_default_step_finance", raise_if_not_found=False)
    if step and threshold:
        try:
            step.amount_from = float(threshold)
        except ValueError:
            _logger.warning("deal_approval: the second approval threshold %r is not a number; "
                            "the standard route keeps 1,000,000", threshold)
    if threshold is not False:
        params.search([("key", "=", "deal_approval.second_threshold")]).unlink()
