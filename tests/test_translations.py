"""Every string a user can read is in each addon's .pot, and ru.po
translates every one of them."""
import io
import os

import odoo
import pytest
from babel.messages.pofile import read_po
from odoo.tools.translate import trans_export

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS = sorted(name for name in os.listdir(os.path.join(ROOT, "addons"))
                if os.path.isfile(os.path.join(ROOT, "addons", name, "__manifest__.py")))


def catalog(path_or_bytes):
    if isinstance(path_or_bytes, bytes):
        return read_po(io.BytesIO(path_or_bytes))
    with open(path_or_bytes, "rb") as handle:
        return read_po(handle)


def msgids(messages):
    return {message.id for message in messages if message.id}


@pytest.mark.parametrize("addon", ADDONS)
def test_pot_is_current_and_russian_is_complete(addon):
    i18n = os.path.join(ROOT, "addons", addon, "i18n")
    registry = odoo.registry(odoo.tools.config["db_name"])
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        exported = io.BytesIO()
        trans_export(False, [addon], exported, "po", cr)
    missing_from_pot = msgids(catalog(exported.getvalue())) - msgids(catalog(os.path.join(i18n, "%s.pot" % addon)))
    # Odoo exports under an addon what a bridge adds to it (a selection
    # value, an inherited model's name): the bridge's own .pot has them.
    for other in ADDONS:
        if other != addon:
            missing_from_pot -= msgids(catalog(os.path.join(ROOT, "addons", other, "i18n", "%s.pot" % other)))
    assert not missing_from_pot, "export the .pot of %s again: %s" % (addon, sorted(missing_from_pot))
    russian = catalog(os.path.join(i18n, "ru.po"))
    untranslated = sorted(message.id for message in russian if message.id and not message.string)
    assert not untranslated, untranslated
    not_in_russian = msgids(catalog(os.path.join(i18n, "%s.pot" % addon))) - msgids(russian)
    assert not not_in_russian, "add to ru.po: %s" % sorted(not_in_russian)
