# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Languages for tests that read the suite in another language.

The suite's tests run on any database where it is installed (OCA's CI
installs only English): a test that reads Russian loads it itself, as Odoo's
own tests do, within its transaction."""


def load_language(env, code, modules=("sales_control",)):
    """Make ``code`` active with the translations of ``modules`` (and of
    the modules they depend on, as Odoo's update of translations does)."""
    env["ir.translation"].load_module_terms(list(modules), [code])
    env["ir.translation"].clear_caches()
