"""No public method slips in unreviewed.

Any logged-in user can call every public method (a name without a leading
underscore) of every model over XML-RPC or JSON-RPC, with any arguments and
any context. This test walks the registry, lists each public method that one
of the suite's addons defines or overrides on any model, and fails unless the
addon's ``tests/public_methods.csv`` lists it with the groups that may call
it with effect and a test that calls it over RPC as a salesman. A new public
method therefore needs a conscious decision, written down next to its test.
"""
import csv
import inspect
import os
import re

import odoo
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS = sorted(name for name in os.listdir(os.path.join(ROOT, "addons"))
                if os.path.isfile(os.path.join(ROOT, "addons", name, "__manifest__.py")))
COLUMNS = ["model", "method", "groups", "test"]


def defined_public_methods(registry, addon):
    """{(model, method)} that ``addon``'s Python classes define."""
    prefix = "odoo.addons.%s." % addon
    found = set()
    for model_name, model in registry.models.items():
        for klass in model.__mro__:
            if not klass.__module__.startswith(prefix):
                continue
            for name, value in vars(klass).items():
                if name.startswith("_"):
                    continue
                if inspect.isfunction(value) or isinstance(value, (staticmethod, classmethod)):
                    found.add((model_name, name))
    return found


def declared_methods(addon):
    path = os.path.join(ROOT, "addons", addon, "tests", "public_methods.csv")
    if not os.path.isfile(path):
        return path, []
    with open(path, encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS, "%s: the header must be %s" % (path, ",".join(COLUMNS))
        return path, list(reader)


def source_of_test(node_id):
    """The source of a test function named by its node id
    (``tests/test_x.py::test_name``), decorators included; None if absent."""
    path, _sep, name = node_id.partition("::")
    name = name.split("[")[0]
    full = os.path.join(ROOT, path)
    if not name or not os.path.isfile(full):
        return None
    with open(full, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    definition = next((index for index, line in enumerate(lines)
                       if re.match(r"def %s\(" % re.escape(name), line)), None)
    if definition is None:
        return None
    start = definition
    while start > 0 and lines[start - 1].startswith(("@", " ", ")")) and lines[start - 1].strip():
        start -= 1
    end = definition + 1
    while end < len(lines) and not re.match(r"(def |class |@)", lines[end]):
        end += 1
    return "\n".join(lines[start:end])


@pytest.fixture(scope="module")
def registry():
    return odoo.registry(odoo.tools.config["db_name"])


@pytest.mark.parametrize("addon", ADDONS)
def test_every_public_method_is_declared_and_tested_over_rpc(registry, addon):
    path, rows = declared_methods(addon)
    defined = defined_public_methods(registry, addon)
    declared = {(row["model"], row["method"]): row for row in rows}
    missing = sorted(defined - set(declared))
    assert not missing, "%s: public methods nobody decided on (list them, with a test over RPC as a " \
                        "salesman, or make them private): %s" % (path, missing)
    stale = sorted(set(declared) - defined)
    assert not stale, "%s lists methods the addon no longer defines: %s" % (path, stale)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        for (model, method), row in sorted(declared.items()):
            groups = row["groups"].split()
            assert groups, "%s: %s.%s names no group" % (path, model, method)
            for xmlid in groups:
                assert env.ref(xmlid, raise_if_not_found=False), "%s: no group %s" % (path, xmlid)
            source = source_of_test(row["test"])
            assert source is not None, "%s: %s.%s: no test %s" % (path, model, method, row["test"])
            assert row["test"].startswith("tests/") and "_rpc" in row["test"], \
                "%s: %s.%s must be tested over RPC (tests/test_*_rpc.py)" % (path, model, method)
            assert re.search(r"""["']%s["']""" % re.escape(method), source), \
                "%s: the test %s does not call %s.%s" % (path, row["test"], model, method)


def test_the_inventory_finds_an_undeclared_method(registry):
    """The walk above is not vacuous: it sees the suite's own overrides."""
    found = defined_public_methods(registry, "sales_control")
    assert ("crm.lead", "action_send_proposal") in found
    assert ("sales.touch", "write") in found
    assert not any(name.startswith("_") for _model, name in found)
