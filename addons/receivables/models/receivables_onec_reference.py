# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo import api, fields, models


class ReferenceStore(object):
    """What an adapter remembers of 1C's catalogs between syncs (OData):
    ``get(kind)`` -> {GUID: (data version, values)}, ``put(kind, items)``.
    The adapter reads a catalog item again only when its version changed."""

    def __init__(self, model, backend):
        self.model = model
        self.backend = backend

    def get(self, kind):
        self.model.env.cr.execute("""
            SELECT onec_guid, version, data FROM receivables_onec_reference
             WHERE backend_id = %s AND kind = %s""", (self.backend.id, kind))
        return {guid: (version, json.loads(data or "{}")) for guid, version, data in self.model.env.cr.fetchall()}

    def put(self, kind, items):
        if not items:
            return
        self.model.env.cr.execute("""
            DELETE FROM receivables_onec_reference
             WHERE backend_id = %s AND kind = %s AND onec_guid = ANY(%s)""", (self.backend.id, kind, list(items)))
        for guid, (version, values) in items.items():
            self.model.create({"backend_id": self.backend.id, "kind": kind, "onec_guid": guid,
                               "version": version or "", "data": json.dumps(values, ensure_ascii=False,
                                                                            default=str)})


class ReceivablesOnecReference(models.Model):
    """A 1C catalog item (counterparty, contract, currency) as the OData
    adapter last read it, with its data version."""

    _name = "receivables.onec.reference"
    _description = "1C catalog item read over OData"
    _log_access = False

    backend_id = fields.Many2one("receivables.onec.backend", required=True, ondelete="cascade", index=True)
    kind = fields.Char(required=True)
    onec_guid = fields.Char(string="1C GUID", required=True)
    version = fields.Char()
    data = fields.Text()

    _sql_constraints = [
        ("guid_unique", "unique(backend_id, kind, onec_guid)", "A 1C catalog item is remembered once."),
    ]

    @api.model
    def _store(self, backend):
        return ReferenceStore(self.sudo(), backend)
