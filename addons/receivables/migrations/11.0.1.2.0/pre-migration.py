# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.2.0: a payment is a line of a 1C receipt, bound by (connection,
receipt GUID, line key) instead of the receipt GUID alone. The payments
imported before are the one line (key "") of their receipt, from the main
connection; the old unique constraint on the GUID goes, or a receipt that
pays two contracts could not be stored."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("ALTER TABLE receivables_payment DROP CONSTRAINT IF EXISTS receivables_payment_onec_guid_unique")
    cr.execute("ALTER TABLE receivables_payment ADD COLUMN IF NOT EXISTS backend_id integer")
    cr.execute("ALTER TABLE receivables_payment ADD COLUMN IF NOT EXISTS onec_line_key varchar")
    cr.execute("ALTER TABLE receivables_payment ADD COLUMN IF NOT EXISTS document_amount numeric")
    cr.execute("""
        UPDATE receivables_payment SET backend_id = (
            SELECT res_id FROM ir_model_data WHERE module = 'receivables' AND name = 'onec_backend_main')
         WHERE backend_id IS NULL""")
    cr.execute("UPDATE receivables_payment SET onec_line_key = '' WHERE onec_line_key IS NULL")
    cr.execute("UPDATE receivables_payment SET document_amount = amount WHERE document_amount IS NULL")
