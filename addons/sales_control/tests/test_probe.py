from odoo.tests.common import SavepointCase


class TestProbe(SavepointCase):
    def test_probe(self):
        self.assertTrue(self.env["ir.module.module"].search([("name", "=", "sales_control"), ("state", "=", "installed")]))
