# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.2.0:

* phone numbers are matched by their E.164 digits read with phonenumbers
  in the notation of the company's country: the stored keys of partners and
  deals (sales_phone_norm, sales_mobile_norm) are computed again;
* a touch without a text of its own stores "/" and reads as its kind and
  direction in the reader's language: the summaries that were such a label
  in the language of whoever recorded them (or the bare kind) become "/"."""
import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

BATCH = 5000


def recompute_phone_keys(env):
    for model in ("res.partner", "crm.lead"):
        Model = env[model].with_context(active_test=False, prefetch_fields=False)
        ids = Model.search(["|", ("phone", "!=", False), ("mobile", "!=", False)]).ids
        fields = [Model._fields[name] for name in ("sales_phone_norm", "sales_mobile_norm")]
        for start in range(0, len(ids), BATCH):
            records = Model.browse(ids[start:start + BATCH])
            for field in fields:
                env.add_todo(field, records)
            Model.recompute()
            Model.invalidate_cache()
        _logger.info("%s: phone keys of %d records computed again", model, len(ids))


def reset_generated_summaries(env):
    Touch = env["sales.touch"]
    langs = env["res.lang"].with_context(active_test=False).search([]).mapped("code")
    kinds = [key for key, _label in Touch._fields["touch_type"].selection]
    for kind in kinds:
        for direction in ("out", "in"):
            labels = {kind}
            for lang in langs:
                labels.add(Touch.with_context(lang=lang)._summary_label(kind, direction))
            env.cr.execute("""UPDATE sales_touch SET summary = '/'
                               WHERE touch_type = %s AND direction = %s AND summary IN %s""",
                           (kind, direction, tuple(labels)))
            if env.cr.rowcount:
                _logger.info("touches %s/%s: %d summaries made of their parts", kind, direction, env.cr.rowcount)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    recompute_phone_keys(env)
    reset_generated_summaries(env)
