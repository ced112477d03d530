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
    # The main connection; if the administrator replaced it, the oldest one.
    cr.execute("""
        UPDATE receivables_payment SET backend_id = COALESCE(
            (SELECT d.res_id FROM ir_model_data d JOIN receivables_onec_backend b ON b.id = d.res_id
              WHERE d.module = 'receivables' AND d.name = 'onec_backend_main'),
            (SELECT min(id) FROM receivables_onec_backend))
         WHERE backend_id IS NULL""")
    cr.execute("SELECT count(*) FROM receivables_payment WHERE backend_id IS NULL")
    if cr.fetchone()[0]:
        # No connection at all: one is made for the payments it brought.
        cr.execute("""
            INSERT INTO receivables_onec_backend (name, active, timeout, batch_size, overlap, sync_interval,
                                                  evening_hour, create_date, write_date)
            VALUES ('1С', true, 30, 500, 50, 15, 19.0, now() at time zone 'UTC', now() at time zone 'UTC')
            RETURNING id""")
        cr.execute("UPDATE receivables_payment SET backend_id = %s WHERE backend_id IS NULL", cr.fetchone())
    cr.execute("UPDATE receivables_payment SET onec_line_key = '' WHERE onec_line_key IS NULL")
    cr.execute("UPDATE receivables_payment SET document_amount = amount WHERE document_amount IS NULL")
