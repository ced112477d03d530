"""Sales plans over XML-RPC and the web client's JSON-RPC, as the head, a
team leader and a salesperson of the demo department."""
import re
import xmlrpc.client
from datetime import date

import pytest

THIS_MONTH = [("period_kind", "=", "month"), ("is_current", "=", True)]
FIELDS = ["subject", "user_id", "team_id", "plan_amount", "actual_amount", "plan_source", "fulfilment"]


@pytest.fixture(scope="module")
def head(rpc):
    return rpc("head")


@pytest.fixture(scope="module")
def uids(head):
    users = head.call("res.users", "search_read", [("login", "in", ["sidorova", "petrov", "smirnova", "popov"])],
                      fields=["login"])
    return {u["login"]: u["id"] for u in users}


@pytest.fixture(scope="module")
def head_rows(head):
    return head.call("sales.plan.report", "search_read", THIS_MONTH, fields=FIELDS)


def test_head_sees_every_salesperson_and_team_this_month(head_rows):
    users = {r["user_id"][0] for r in head_rows if r["subject"] == "user"}
    teams = {r["team_id"][1] for r in head_rows if r["subject"] == "team"}
    assert len(users) == 6
    assert {"Отдел продаж: Москва", "Отдел продаж: Регионы"} <= teams
    sources = {r["plan_source"] for r in head_rows}
    assert {"entered", "members"} <= sources, "a team entered and a team summed from its members"
    assert all(r["plan_amount"] > 0 for r in head_rows)


def test_demo_has_managers_ahead_and_behind(head):
    rows = head.call("sales.plan.report", "search_read",
                     [("subject", "=", "user"), ("period_kind", "=", "quarter"), ("date_end", "<", str(date.today()))],
                     fields=["fulfilment"])
    assert rows
    assert any(r["fulfilment"] >= 100 for r in rows) and any(r["fulfilment"] < 100 for r in rows)


def test_actual_is_the_sum_of_won_deals(head, head_rows, uids):
    row = next(r for r in head_rows if r["user_id"] and r["user_id"][0] == uids["sidorova"])
    month = head.call("sales.plan.report", "search_read", THIS_MONTH + [("user_id", "=", uids["sidorova"])],
                      fields=["date_start", "date_end"])[0]
    deals = head.call("crm.lead", "search_read", [
        ("plan_user_id", "=", uids["sidorova"]), ("stage_id.probability", "=", 100),
        ("date_closed", ">=", month["date_start"] + " 00:00:00"),
        ("date_closed", "<=", month["date_end"] + " 23:59:59")], fields=["planned_revenue"])
    assert row["actual_amount"] == pytest.approx(sum(d["planned_revenue"] for d in deals))


def test_salesperson_sees_only_his_own(rpc, head_rows, uids):
    sidorova = rpc("sidorova")
    rows = sidorova.call("sales.plan.report", "search_read", [], fields=FIELDS)
    assert rows and {r["user_id"][0] for r in rows if r["user_id"]} == {uids["sidorova"]}
    assert all(r["subject"] == "user" for r in rows)
    groups = sidorova.call("sales.plan.report", "read_group", [], ["user_id", "plan_amount"], ["user_id"])
    assert [g["user_id"][0] for g in groups] == [uids["sidorova"]]
    plans = sidorova.call("sales.plan", "search_read", [], fields=["user_id"])
    assert {p["user_id"][0] for p in plans} == {uids["sidorova"]}
    chart = sidorova.call("sales.plan.chart", "search_read", [], fields=["user_id"])
    assert {c["user_id"][0] for c in chart} == {uids["sidorova"]}
    # Read by id and export of another's row are refused.
    other = next(r for r in head_rows if r["user_id"] and r["user_id"][0] == uids["popov"])
    with pytest.raises(xmlrpc.client.Fault):
        sidorova.call("sales.plan.report", "read", [other["id"]], fields=["plan_amount"])
    with pytest.raises(xmlrpc.client.Fault):
        sidorova.call("sales.plan.report", "export_data", [other["id"]], ["plan_amount"])
    own = [r["id"] for r in rows]
    exported = sidorova.call("sales.plan.report", "export_data", own, ["user_id", "plan_amount"])
    assert len(exported["datas"]) == len(own)


def test_team_leader_sees_his_team_only(rpc, uids):
    petrov = rpc("petrov")
    rows = petrov.call("sales.plan.report", "search_read", THIS_MONTH, fields=FIELDS)
    assert {r["team_id"][1] for r in rows} == {"Отдел продаж: Москва"}
    assert uids["sidorova"] in {r["user_id"][0] for r in rows if r["user_id"]}
    assert any(r["subject"] == "team" for r in rows)
    progress = petrov.call("sales.plan.progress", "search_read", [], fields=["team_id"])
    assert progress and {p["team_id"][1] for p in progress} == {"Отдел продаж: Москва"}


def test_only_the_head_writes_plans_and_refusals_are_clear(rpc, head, uids):
    petrov = rpc("petrov")
    period = head.call("date.range", "search_read", [("type_id.sales_plan_kind", "=", "month"),
                                                     ("date_start", "<=", str(date.today())),
                                                     ("date_end", ">=", str(date.today()))], fields=["id"])[0]
    with pytest.raises(xmlrpc.client.Fault):
        petrov.call("sales.plan", "create", {"user_id": uids["sidorova"], "date_range_id": period["id"]})
    with pytest.raises(xmlrpc.client.Fault, match="already a plan|уже есть план"):
        head.call("sales.plan", "create", {"user_id": uids["sidorova"], "date_range_id": period["id"],
                                           "amount_target": 1})
    team_reg = head.call("crm.team", "search", [("name", "=", "Отдел продаж: Регионы")])[0]
    next_year = head.call("date.range", "search", [("type_id.sales_plan_kind", "=", "month"),
                                                   ("date_start", "=", "%d-06-01" % (date.today().year + 1))])
    with pytest.raises(xmlrpc.client.Fault, match="not a member|не входит"):
        head.call("sales.plan", "create", {"user_id": uids["sidorova"], "team_id": team_reg,
                                           "date_range_id": next_year[0]})
    with pytest.raises(xmlrpc.client.Fault, match="negative|отрицательным"):
        head.call("sales.plan", "create", {"user_id": uids["sidorova"], "date_range_id": period["id"],
                                           "amount_target": -5})


def test_report_action_opens_on_this_month(head):
    action = head.call_kw("ir.actions.act_window", "search_read",
                          [("res_model", "=", "sales.plan.report")], fields=["context", "view_mode"])
    assert action and "search_default_this_month" in action[0]["context"]
    groups = head.call_kw("sales.plan.report", "read_group", THIS_MONTH + [("subject", "=", "user")],
                          ["user_id", "plan_amount", "actual_amount", "fulfilment"], ["user_id"])
    assert len(groups) == 6
    for group in groups:
        assert group["fulfilment"] == pytest.approx(100.0 * group["actual_amount"] / group["plan_amount"])


# -- From the attacker's chair (issue "Trust") -----------------------------
# A salesman with his own login and an RPC client, any arguments, any
# context keys: he writes no plan (his own or a colleague's), changes no
# credited actual, credits no won deal to himself, uses neither the grid nor
# spreading, and reads nobody else's figures. Every refusal is in Russian
# (the web client sends the user's language; an RPC client names it).

# Keys a client may invent, with the language asked for.
FORGED = {"lang": "ru_RU", "sales_plan_trusted": True, "trusted": True, "sudo": True, "uid": 1,
          "install_mode": True, "active_test": False, "tracking_disable": True, "force_company": 1}
HEAD_ONLY = "только руководитель отдела продаж"
# A deal made won at once: this addon's refusal, or deal_approval's gate.
MADE_WON = "не создают сразу выигранной|нельзя перевести на этап «Выиграна»|нельзя отметить выигранной"


def refused(call, *args, match=HEAD_ONLY, **kwargs):
    with pytest.raises(xmlrpc.client.Fault) as info:
        call(*args, context=FORGED, **kwargs)
    assert re.search(match, info.value.faultString), info.value.faultString[-400:]


@pytest.fixture(scope="module")
def sidorova(rpc):
    return rpc("sidorova")


@pytest.fixture(scope="module")
def plan_ids(head, uids):
    """A plan of sidorova's and one of popov's (another team's)."""
    ids = {}
    for login in ("sidorova", "popov"):
        ids[login] = head.call("sales.plan", "search", [("user_id", "=", uids[login])], limit=1,
                               order="date_start desc")[0]
    return ids


@pytest.fixture(scope="module")
def future_month(head):
    year = date.today().year + 1
    head.call("date.range.type", "sales_plan_ensure_ranges", [year])
    return head.call("date.range", "search", [("type_id.sales_plan_kind", "=", "month"),
                                              ("date_start", "=", "%d-11-01" % year)])[0]


def plan_figures(head, ids):
    return head.call("sales.plan", "read", ids, ["user_id", "team_id", "date_range_id", "amount_target",
                                                 "count_target"])


def test_salesman_writes_no_plan_whatever_the_context(rpc, sidorova, head, uids, plan_ids, future_month):
    ids = sorted(plan_ids.values())
    before = plan_figures(head, ids)
    for plan_id in ids:
        refused(sidorova.call, "sales.plan", "write", [plan_id], {"amount_target": 1e9, "count_target": 999})
        refused(sidorova.call, "sales.plan", "unlink", [plan_id])
        refused(sidorova.call, "sales.plan", "action_spread_to_months", [plan_id])
    for subject in ({"user_id": uids["sidorova"]}, {"user_id": uids["popov"]}):
        refused(sidorova.call, "sales.plan", "create", dict(subject, date_range_id=future_month,
                                                            amount_target=1))
    assert plan_figures(head, ids) == before
    subjects = [uids["sidorova"], uids["popov"]]
    assert not head.call("sales.plan", "search", [("date_range_id", "=", future_month), ("user_id", "in", subjects)])
    # The team leader reads his team's plans and writes none of them either.
    petrov = rpc("petrov")
    assert petrov.call("sales.plan", "read", [plan_ids["sidorova"]], ["amount_target"])
    refused(petrov.call, "sales.plan", "write", [plan_ids["sidorova"]], {"amount_target": 1})
    # The head's way: create, change, remove (a future month, left as found).
    new = head.call("sales.plan", "create", {"user_id": uids["sidorova"], "date_range_id": future_month,
                                             "amount_target": 100000, "count_target": 2})
    head.call("sales.plan", "write", [new], {"amount_target": 120000})
    assert plan_figures(head, [new])[0]["amount_target"] == 120000
    head.call("sales.plan", "unlink", [new])


def test_salesman_cannot_fake_or_move_won_deals(sidorova, head, uids):
    won = sidorova.call("crm.lead", "search_read", [("plan_credited", "=", True), ("user_id", "=", uids["sidorova"])],
                        fields=["name"], limit=1)[0]
    fields_ = ["plan_credited", "plan_user_id", "plan_team_id", "planned_revenue", "date_closed", "stage_id",
               "active", "probability"]
    before = head.call("crm.lead", "read", [won["id"]], fields_)
    stages = head.call("crm.stage", "search_read", [], fields=["probability"], order="sequence, id")
    # The first open stage: before any stage that needs an approval (deal_approval).
    open_stage = next(s["id"] for s in stages if 0 < s["probability"] < 100)
    won_stage = next(s["id"] for s in stages if s["probability"] == 100)
    credit = "только руководитель"
    for vals in ({"plan_user_id": uids["popov"]}, {"plan_credited": False}, {"plan_team_id": False}):
        refused(sidorova.call, "crm.lead", "write", [won["id"]], vals, match=credit)
    for vals in ({"planned_revenue": 99000000}, {"date_closed": "2020-01-15 10:00:00"}, {"probability": 100},
                 {"stage_id": open_stage}, {"active": False}):
        refused(sidorova.call, "crm.lead", "write", [won["id"]], vals)
    mine = sidorova.call("crm.lead", "search", [("user_id", "=", uids["sidorova"]), ("probability", "<", 100)],
                         limit=1)
    refused(sidorova.call, "crm.lead", "merge_opportunity", [won["id"]] + mine)
    assert head.call("crm.lead", "read", [won["id"]], fields_) == before
    # A colleague's won deal: not hers to re-credit.
    popovs = head.call("crm.lead", "search", [("plan_credited", "=", True), ("plan_user_id", "=", uids["popov"])],
                       limit=1)
    with pytest.raises(xmlrpc.client.Fault):
        sidorova.call("crm.lead", "write", popovs, {"plan_user_id": uids["sidorova"]}, context=FORGED)
    assert head.call("crm.lead", "read", popovs, ["plan_user_id"])[0]["plan_user_id"][0] == uids["popov"]
    # Nor does she create a deal credited to anybody, nor one already won,
    # backdated or copied from a won one (refused here, or by deal_approval's
    # gate when it answers first: either way, nothing is made).
    refused(sidorova.call, "crm.lead", "create", {"name": "Подделка", "type": "opportunity",
                                                  "stage_id": won_stage, "plan_user_id": uids["sidorova"]},
            match=credit)
    refused(sidorova.call, "crm.lead", "create", {"name": "Подделка", "type": "opportunity",
                                                  "user_id": uids["sidorova"], "stage_id": won_stage,
                                                  "planned_revenue": 1000, "date_closed": "2020-01-15 10:00:00"},
            match=MADE_WON)
    refused(sidorova.call, "crm.lead", "copy", won["id"], {"name": "Подделка"}, match=MADE_WON)
    assert not head.call("crm.lead", "search", [("name", "=", "Подделка")], context={"active_test": False})
    # The head corrects a won deal's revenue (and puts it back).
    head.call("crm.lead", "write", [won["id"]], {"planned_revenue": before[0]["planned_revenue"] + 1})
    head.call("crm.lead", "write", [won["id"]], {"planned_revenue": before[0]["planned_revenue"]})
    assert head.call("crm.lead", "read", [won["id"]], fields_) == before


def test_salesman_cannot_use_the_grid_or_make_periods(sidorova, head, uids):
    refused(sidorova.call, "sales.plan.grid", "action_open")
    refused(sidorova.call, "date.range.type", "sales_plan_ensure_ranges", [date.today().year + 5])
    assert not head.call("date.range", "search", [("date_start", "=", "%d-01-01" % (date.today().year + 5))])
    # A grid of his own (any user may create a wizard) naming a colleague's cell.
    period = head.call("date.range", "search", [("type_id.sales_plan_kind", "=", "month"),
                                                ("date_start", "=", "%d-11-01" % (date.today().year + 1))])[0]
    grid = sidorova.call("sales.plan.grid", "create", {"year": str(date.today().year + 1), "line_ids": [
        (0, 0, {"user_id": uids["popov"], "date_range_id": period, "value": 7777777})]})
    for method in ("action_refresh", "action_copy_previous", "action_apply", "action_apply_close"):
        refused(sidorova.call, "sales.plan.grid", method, [grid])
    assert not head.call("sales.plan", "search", [("user_id", "=", uids["popov"]), ("date_range_id", "=", period)])
    # Nor may he open the head's grid, which holds every salesperson's plans.
    head_grid = head.call("sales.plan.grid", "action_open")["res_id"]
    with pytest.raises(xmlrpc.client.Fault):
        sidorova.call("sales.plan.grid", "read", [head_grid], ["line_ids"])
    assert not sidorova.call("sales.plan.grid.line", "search", [("grid_id", "=", head_grid)])
    # The head's way: refresh, copy the previous periods, save (nothing changed).
    plans_before = head.call("sales.plan", "search_read", [], fields=["amount_target"], order="id")
    head.call("sales.plan.grid", "action_refresh", [head_grid])
    head.call("sales.plan.grid", "action_apply", [head_grid])
    head.call("sales.plan.grid", "action_copy_previous", [head_grid])
    assert head.call("sales.plan", "search_read", [], fields=["amount_target"], order="id") == plans_before


def test_salesman_reads_no_other_figures_by_any_route(sidorova, uids, plan_ids):
    for model in ("sales.plan", "sales.plan.report", "sales.plan.chart", "sales.plan.progress"):
        groups = sidorova.call(model, "read_group", [], ["user_id"], ["user_id"], context=FORGED)
        assert {g["user_id"][0] for g in groups if g["user_id"]} == {uids["sidorova"]}, model
        groups = sidorova.call(model, "read_group", [], ["team_id"], ["team_id"], context=FORGED)
        teams = [g["team_id"][0] for g in groups if g["team_id"]]
        rows = sidorova.call(model, "search_read", [("team_id", "in", teams)], fields=["user_id"], context=FORGED)
        assert {r["user_id"][0] for r in rows if r["user_id"]} <= {uids["sidorova"]}, model
    with pytest.raises(xmlrpc.client.Fault):
        sidorova.call("sales.plan", "export_data", [plan_ids["popov"]], ["amount_target"], context=FORGED)
    with pytest.raises(xmlrpc.client.Fault):
        sidorova.call("sales.plan", "read", [plan_ids["popov"]], ["amount_target"], context=FORGED)


@pytest.fixture(scope="module")
def all_documents(rpc):
    """A user of Odoo's middle level, "See all leads": the demo has none."""
    admin = rpc("admin", "admin")
    login = "sp_all_documents"
    group = admin.call("ir.model.data", "xmlid_to_res_id", "sales_team.group_sale_salesman_all_leads")
    if not admin.call("res.users", "search", [("login", "=", login)]):
        admin.call("res.users", "create", {"name": "Аудитор продаж", "login": login, "password": login,
                                           "groups_id": [(6, 0, [group])]},
                   context={"no_reset_password": True})
    return rpc(login)


def test_all_documents_level_reads_every_figure_and_writes_none(all_documents, head, plan_ids, head_rows):
    rows = all_documents.call("sales.plan.report", "search_read", THIS_MONTH, fields=FIELDS)
    assert sorted(r["id"] for r in rows) == sorted(r["id"] for r in head_rows)
    assert len(all_documents.call("sales.plan", "search", [])) == len(head.call("sales.plan", "search", []))
    for plan_id in plan_ids.values():
        refused(all_documents.call, "sales.plan", "write", [plan_id], {"amount_target": 1})
    refused(all_documents.call, "sales.plan.grid", "action_open")


def test_private_hooks_are_not_callable(sidorova, plan_ids):
    for model, method in (("crm.lead", "init"), ("sales.plan", "init"), ("sales.plan.report", "init"),
                          ("sales.plan.chart", "init"), ("sales.plan.progress", "init"),
                          ("crm.lead", "_sales_plan_credit"), ("sales.plan", "_check_head"),
                          ("date.range.type", "_sales_plan_ensure_ranges"), ("sales.plan.grid", "_fill")):
        with pytest.raises(xmlrpc.client.Fault, match="Private methods|cannot be called remotely"):
            sidorova.call(model, method, [plan_ids["sidorova"]])


def test_salesman_cannot_switch_what_counts_as_actual(sidorova, head, rpc):
    """The company's plan basis decides every actual the head reads."""
    admin = rpc("admin", "admin")
    company = head.call("res.users", "read", [head.uid], ["company_id"])[0]["company_id"][0]
    basis = admin.call("res.company", "read", [company], ["sales_plan_actual_basis"])[0]["sales_plan_actual_basis"]
    choices = [key for key, _label in admin.call("res.company", "fields_get", ["sales_plan_actual_basis"])[
        "sales_plan_actual_basis"]["selection"]]
    other = next((key for key in choices if key != basis), basis)
    with pytest.raises(xmlrpc.client.Fault):
        sidorova.call("res.company", "write", [company], {"sales_plan_actual_basis": other}, context=FORGED)
    with pytest.raises(xmlrpc.client.Fault):
        settings = sidorova.call("res.config.settings", "create", {"sales_plan_actual_basis": other},
                                 context=FORGED)
        sidorova.call("res.config.settings", "execute", [settings], context=FORGED)
    assert admin.call("res.company", "read", [company], ["sales_plan_actual_basis"])[0][
        "sales_plan_actual_basis"] == basis


# -- Plan on three bases, funnel to cash (issue 14) ----------------------
BASES = ["won_amount", "invoiced_amount", "received_amount"]


def test_three_bases_side_by_side_and_actual_on_the_company_basis(head, rpc):
    rows = head.call("sales.plan.report", "search_read", THIS_MONTH + [("subject", "=", "user")],
                     fields=["user_id", "actual_amount", "plan_amount", "remainder_amount"] + BASES)
    assert len(rows) == 6
    admin = rpc("admin", "admin")
    company = head.call("res.users", "read", [head.uid], ["company_id"])[0]["company_id"][0]
    basis = admin.call("res.company", "read", [company], ["sales_plan_actual_basis"])[0]["sales_plan_actual_basis"]
    for row in rows:
        assert row["actual_amount"] == pytest.approx(row["%s_amount" % basis])
        assert row["remainder_amount"] == pytest.approx(max(row["plan_amount"] - row["actual_amount"], 0))
    assert any(row["received_amount"] for row in rows), "the demo's 1C payments reach the plans"
    chart = head.call("sales.plan.chart", "search_read", THIS_MONTH + [("subject", "=", "user")],
                      fields=["figure"])
    assert {c["figure"] for c in chart} == {"1_plan", "2_won", "3_invoiced", "4_received", "9_forecast"}


def test_funnel_to_cash_salesman_sees_his_own_head_sees_all(head, sidorova, rpc, uids):
    domain = THIS_MONTH + [("subject", "=", "user")]
    fields = ["user_id", "step", "amount", "stuck_amount"]
    everyone = head.call("sales.plan.funnel", "search_read", domain, fields=fields)
    assert len({f["user_id"][0] for f in everyone}) == 6
    report_rows = head.call("sales.plan.report", "search_read", domain, fields=["user_id"] + BASES)
    report = {r["user_id"][0]: r for r in report_rows}
    steps = {"1_won": "won_amount", "2_invoiced": "invoiced_amount", "3_received": "received_amount"}
    for row in everyone:
        assert row["amount"] == pytest.approx(report[row["user_id"][0]][steps[row["step"]]])
        assert row["stuck_amount"] >= 0
    own = sidorova.call("sales.plan.funnel", "search_read", [], fields=fields)
    assert own and {f["user_id"][0] for f in own} == {uids["sidorova"]}
    groups = sidorova.call("sales.plan.funnel", "read_group", [], ["user_id", "amount"], ["user_id"])
    assert [g["user_id"][0] for g in groups] == [uids["sidorova"]]
    other = next(f for f in everyone if f["user_id"][0] == uids["popov"])
    with pytest.raises(xmlrpc.client.Fault):
        sidorova.call("sales.plan.funnel", "read", [other["id"]], fields=["amount"])
    petrov = rpc("petrov")
    led = petrov.call("sales.plan.funnel", "search_read", domain, fields=["user_id", "team_id"])
    assert {f["team_id"][1] for f in led} == {"Отдел продаж: Москва"}
    assert uids["popov"] not in {f["user_id"][0] for f in led}


def test_funnel_hooks_are_not_callable(sidorova, plan_ids):
    for model in ("sales.plan.report", "sales.plan.funnel"):
        with pytest.raises(xmlrpc.client.Fault, match="Private methods|cannot be called remotely"):
            sidorova.call(model, "init", [plan_ids["sidorova"]])
