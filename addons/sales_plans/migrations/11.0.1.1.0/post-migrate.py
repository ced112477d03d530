# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The chart's figures became plan, won (invoiced, received) and forecast:
'2_actual' is now '2_won' and '3_forecast' '9_forecast'. Saved filters of
the chart and dashboards a user arranged keep their domains as text: they
are rewritten, so that "no forecast" still means no forecast."""


def migrate(cr, version):
    if not version:
        return
    for old, new in (("'2_actual'", "'2_won'"), ("'3_forecast'", "'9_forecast'")):
        cr.execute("""
            UPDATE ir_filters SET domain = replace(domain, %s, %s)
             WHERE model_id = 'sales.plan.chart' AND domain LIKE %s""", (old, new, "%" + old + "%"))
        # A dashboard's arch quotes the action's domain with &apos; or ".
        for quoted_old, quoted_new in ((old, new), (old.replace("'", "&apos;"), new.replace("'", "&apos;"))):
            cr.execute("""
                UPDATE ir_ui_view_custom SET arch = replace(arch, %s, %s)
                 WHERE arch LIKE %s""",
                       (quoted_old, quoted_new, "%" + quoted_old + "%"))
