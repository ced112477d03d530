"""Odoo's three sales levels over the wire, as the least privileged user of
each: an own-documents salesman (sidorova), a team leader (petrov), an
all-documents salesman (made here), the head, and an attendee of a
colleague's meeting. Then an upgrade of a database whose crm rules a former
sales_control narrowed in place.

Runs on a database made by scripts/db.sh (demo department: head, petrov leads
Moscow with sidorova and kuznetsov, smirnova leads Regions with popov and
lebedeva)."""
import configparser
import os
import subprocess
import sys
import tarfile
import tempfile
import uuid

import psycopg2
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Every model whose records sales_control restricts, with the field that
# names the salesperson a row belongs to.
RESTRICTED = [
    ("crm.lead", "user_id"),
    ("crm.opportunity.report", "user_id"),
    ("crm.activity.report", "user_id"),
    ("mail.activity", "sales_lead_user_id"),
    ("calendar.event", "sales_lead_user_id"),
    ("sales.touch", "user_id"),
    ("sales.efficiency.report", "user_id"),
]
ALL_DOCS_LOGIN = "rules_all_docs"


@pytest.fixture(scope="module")
def uids(head):
    users = head.call("res.users", "search_read", [("login", "in", ["sidorova", "kuznetsov", "petrov", "popov"])],
                      fields=["login", "partner_id"])
    return {user["login"]: user for user in users}


@pytest.fixture(scope="module")
def all_docs(rpc, admin):
    """A salesman in Odoo's "User: All Documents" group, and nothing more."""
    group = admin.call("ir.model.data", "xmlid_to_res_id", "sales_team.group_sale_salesman_all_leads")
    found = admin.call("res.users", "search", [("login", "=", ALL_DOCS_LOGIN)])
    if not found:
        admin.call("res.users", "create", {
            "name": "Все документы", "login": ALL_DOCS_LOGIN, "password": ALL_DOCS_LOGIN,
            "groups_id": [(6, 0, [group])]}, context={"no_reset_password": True})
    return rpc(ALL_DOCS_LOGIN)


def owners(user, model, field, domain=()):
    groups = user.call(model, "read_group", list(domain), [field], [field], lazy=False)
    return {group[field][0] if group[field] else False for group in groups}


def test_own_documents_salesman_sees_his_own_on_every_model(rpc, uids):
    sidorova = rpc("sidorova")
    me, my_partner = sidorova.uid, uids["sidorova"]["partner_id"][0]
    for model, field in RESTRICTED:
        if model in ("mail.activity", "calendar.event"):
            # Activities and meetings of no deal are not sales_control's to
            # hide; of deals, she sees those of her deals and those she is
            # given (an activity) or organises or attends (a meeting).
            extra = ["user_id", "partner_ids"] if model == "calendar.event" else ["user_id"]
            rows = sidorova.call(model, "search_read", [(field, "!=", False)], fields=[field] + extra)
            for row in rows:
                assert (row[field][0] == me or (row["user_id"] and row["user_id"][0] == me)
                        or my_partner in row.get("partner_ids", [])), (model, row)
        else:
            assert owners(sidorova, model, field) <= {me}, model
    assert owners(sidorova, "crm.lead", "user_id") == {me}
    assert owners(sidorova, "sales.efficiency.report", "user_id") == {me}
    assert sidorova.call("crm.lead", "search_count", [("user_id", "=", False)]) == 0


def test_team_leader_sees_his_team_on_every_model(rpc, uids):
    petrov = rpc("petrov")
    team = {uids[login]["id"] for login in ("petrov", "sidorova", "kuznetsov")}
    for model, field in RESTRICTED:
        # Activities given to him and meetings he organises may be of any deal.
        domain = [("user_id", "!=", petrov.uid)] if model in ("mail.activity", "calendar.event") else []
        if model == "calendar.event":
            domain.append(("partner_ids", "not in", [uids["petrov"]["partner_id"][0]]))
        seen = owners(petrov, model, field, domain) - {False}
        assert seen <= team, (model, seen)
    assert uids["sidorova"]["id"] in owners(petrov, "crm.lead", "user_id")
    assert uids["popov"]["id"] not in owners(petrov, "sales.touch", "user_id")


@pytest.mark.parametrize("model,field", RESTRICTED)
def test_all_documents_salesman_and_head_see_every_record(all_docs, head, model, field):
    """search_count, search_read and read_group give the all-documents
    salesman what they give the head."""
    assert all_docs.call(model, "search_count", []) == head.call(model, "search_count", [])
    assert owners(all_docs, model, field) == owners(head, model, field)
    if model not in ("crm.activity.report", "sales.efficiency.report"):
        ids = head.call(model, "search", [(field, "!=", False)], limit=5)
        assert ids, model
        rows = all_docs.call(model, "search_read", [("id", "in", ids)], fields=[field])
        assert sorted(row["id"] for row in rows) == sorted(ids)


def test_attendee_sees_the_meeting_he_is_invited_to(rpc, admin, head, uids):
    sidorova, kuznetsov = rpc("sidorova"), rpc("kuznetsov")
    popov = uids["popov"]["id"]
    lead = head.call("crm.lead", "search", [("user_id", "=", popov)], limit=1)[0]
    name = "Встреча с приглашением %s" % uuid.uuid4().hex[:8]
    event = admin.call("calendar.event", "create", {
        "name": name, "start": "2026-03-02 10:00:00", "stop": "2026-03-02 11:00:00",
        "opportunity_id": lead, "user_id": popov,
        "partner_ids": [(6, 0, [uids["popov"]["partner_id"][0], uids["sidorova"]["partner_id"][0]])]})
    try:
        assert sidorova.call("calendar.event", "search", [("name", "=", name)]) == [event]
        assert sidorova.call("calendar.event", "read", [event], ["name"])[0]["name"] == name
        assert kuznetsov.call("calendar.event", "search", [("name", "=", name)]) == []
        # The invitation opens the meeting, not the deal.
        assert sidorova.call("crm.lead", "search", [("id", "=", lead)]) == []
    finally:
        admin.call("calendar.event", "unlink", [event])


# -- Upgrade of a database in the former state -------------------------------

# sales_control as it was when it narrowed crm's personal rules in place (and
# read a company field in their domain).
OLD_COMMIT = "b412bde"
CRM_PERSONAL = ["crm_rule_personal_lead", "crm_rule_personal_lead_report",
                "crm_activity_report_rule_personal_activities"]
ODOO_DOMAIN = "['|',('user_id','=',user.id),('user_id','=',False)]"


def _pg(odoo_config, db="postgres"):
    parser = configparser.ConfigParser()
    parser.read(odoo_config)
    options = parser["options"]
    conn = psycopg2.connect(dbname=db, host=options.get("db_host"), port=options.get("db_port"),
                            user=options.get("db_user"))
    conn.autocommit = True
    return conn


def _query(odoo_config, db, sql, params=None):
    conn = _pg(odoo_config, db)
    try:
        with conn.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall() if cr.description else None
    finally:
        conn.close()


def _odoo(odoo_config, db, *args, addons_path=None):
    cmd = [sys.executable, os.path.join(ROOT, "scripts", "odoo-bin"), "-c", odoo_config, "-d", db,
           "--stop-after-init", "--log-level=warn"] + list(args)
    if addons_path:
        cmd.append("--addons-path=%s" % addons_path)
    done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900)
    output = done.stdout.decode("utf-8", "replace")
    assert done.returncode == 0 and " ERROR " not in output, output[-3000:]
    return output


def _crm_rules(odoo_config, db):
    rows = _query(odoo_config, db, """
        SELECT d.name, r.active, r.domain_force FROM ir_rule r
          JOIN ir_model_data d ON d.model = 'ir.rule' AND d.res_id = r.id AND d.module = 'crm'
         WHERE d.name IN %s""", (tuple(CRM_PERSONAL),))
    return {name: (active, domain) for name, active, domain in rows}


def test_upgrade_of_a_database_whose_crm_rules_were_narrowed_in_place(odoo_config):
    """The former sales_control (OLD_COMMIT) is installed on a copy of the
    stack template, a company shows unassigned leads; the update to this
    code switches crm's rules off with crm's domain, applies sales_control's
    own rules and keeps the setting."""
    stacks = [row[0] for row in _query(odoo_config, "postgres",
                                       "SELECT datname FROM pg_database WHERE datname LIKE 'stack\\_%%' "
                                       "ORDER BY oid DESC")]
    assert stacks, "no stack template: run scripts/db.sh once"
    db = "rules_upgrade_%s" % uuid.uuid4().hex[:8]
    old_addons = tempfile.mkdtemp(prefix="sales_control_old_")
    archive = os.path.join(old_addons, "old.tar")
    subprocess.run(["git", "archive", "-o", archive, OLD_COMMIT, "addons/sales_control"], cwd=ROOT, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(old_addons)
    _query(odoo_config, "postgres", 'CREATE DATABASE "%s" TEMPLATE "%s"' % (db, stacks[0]))
    try:
        _odoo(odoo_config, db, "-i", "sales_control", addons_path=os.path.join(old_addons, "addons"))
        before = _crm_rules(odoo_config, db)
        assert all(active and "sales_control_show_unassigned" in domain for active, domain in before.values()), before
        _query(odoo_config, db, "UPDATE res_company SET sales_control_show_unassigned = true")

        _odoo(odoo_config, db, "-u", "sales_control")

        after = _crm_rules(odoo_config, db)
        assert after == {name: (False, ODOO_DOMAIN) for name in CRM_PERSONAL}, after
        ours = _query(odoo_config, db, """
            SELECT d.name, r.active FROM ir_rule r
              JOIN ir_model_data d ON d.model = 'ir.rule' AND d.res_id = r.id AND d.module = 'sales_control'""")
        assert {"crm_lead_rule_salesman", "crm_opportunity_report_rule_salesman",
                "crm_activity_report_rule_salesman", "crm_lead_rule_unassigned"} <= {n for n, a in ours if a}
        # No rule of the database reads a field of the company any more.
        assert _query(odoo_config, db, "SELECT name FROM ir_rule WHERE domain_force LIKE '%%company_id.sales%%'") == []
        # The setting went over to the group the salesmen's group implies
        # (migrations/11.0.1.1.0).
        implied = _query(odoo_config, db, """
            SELECT 1 FROM res_groups_implied_rel rel
              JOIN ir_model_data s ON s.model = 'res.groups' AND s.res_id = rel.gid
                                  AND s.module = 'sales_team' AND s.name = 'group_sale_salesman'
              JOIN ir_model_data u ON u.model = 'res.groups' AND u.res_id = rel.hid
                                  AND u.module = 'sales_control' AND u.name = 'group_show_unassigned'""")
        assert implied == [(1,)]
    finally:
        _query(odoo_config, "postgres",
               "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (db,))
        _query(odoo_config, "postgres", 'DROP DATABASE IF EXISTS "%s"' % db)
        subprocess.run(["rm", "-rf", old_addons])
