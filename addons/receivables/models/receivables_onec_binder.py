# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ReceivablesOnecBinder(models.AbstractModel):
    """1C identity <-> Odoo record, as OCA connector's binder: a payment line
    is bound by (connection, receipt GUID, line key), so two 1C bases can
    feed one Odoo without their documents meeting; contracts by their 1C
    GUID (a UUID, unique across bases)."""

    _name = "receivables.onec.binder"
    _description = "1C binder"

    @api.model
    def _payment_lines(self, backend, guids, payments=None):
        """{receipt GUID: {line key: payment}} of ``backend`` (one query),
        as records of ``payments`` (a model, with its environment) that are
        read together when one of them is."""
        found = {}
        if not guids:
            return found
        self.env.cr.execute("""
            SELECT onec_guid, onec_line_key, id FROM receivables_payment
             WHERE backend_id = %s AND onec_guid = ANY(%s)""", (backend.id, list(guids)))
        rows = self.env.cr.fetchall()
        records = (payments if payments is not None else self.env["receivables.payment"]).browse(
            [row[2] for row in rows])
        for (guid, key, _id), payment in zip(rows, records):
            found.setdefault(guid, {})[key or ""] = payment
        return found

    @api.model
    def _versions(self, backend, guids):
        """{receipt GUID: the 1C data version stored} of ``backend``: what
        an OData read need not fetch again. A receipt still waiting for its
        client or contract is left out: read again, it may match now."""
        if not guids:
            return {}
        self.env.cr.execute("""
            SELECT onec_guid, max(onec_version) FROM receivables_payment
             WHERE backend_id = %s AND onec_guid = ANY(%s)
             GROUP BY onec_guid HAVING bool_and(state != 'unmatched') AND max(onec_version) != ''""",
                            (backend.id, list(guids)))
        return dict(self.env.cr.fetchall())

    @api.model
    def _contracts(self, guids, contracts=None):
        """{1C contract GUID: contract} for ``guids`` (archived ones too), as
        records of ``contracts`` (a model, with its environment)."""
        Contract = (contracts if contracts is not None else self.env["receivables.contract"]).with_context(
            active_test=False)
        guids = [guid for guid in set(guids) if guid]
        return {contract.onec_guid: contract for contract in Contract.search([("onec_guid", "in", guids)])}
