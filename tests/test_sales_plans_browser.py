"""Sales plans in headless Chromium, for the head on a desktop and a phone,
and for a salesperson: the bars, the pivot, the list, the cumulative line,
the dashboard and the entry grid show the figures and the people the server
gives that user over RPC, no more and no less."""
import json
import re

import pytest

THIS_MONTH_USERS = [("period_kind", "=", "month"), ("is_current", "=", True), ("subject", "=", "user")]
RU = {"lang": "ru_RU"}


def shown(output, view):
    """What the scenario reported that a view shows ("shown <view> <json>")."""
    prefix = "shown %s " % view
    for line in output.splitlines():
        if line.startswith(prefix):
            return json.loads(line[len(prefix):])
    raise AssertionError("the scenario did not report the %s view:\n%s" % (view, output))


def number(text):
    """A figure as the Russian web client writes it: 1 234 567,89 (or 75%)."""
    cleaned = re.sub(r"[^\d,.\-]", "", text).replace(",", ".")
    return float(cleaned) if cleaned else 0.0


def labels(user, model, field):
    return {label for _key, label in user.call(model, "fields_get", [field], context=RU)[field]["selection"]}


def same_labels(legend, expected):
    """The legend names each expected label once (a long one cut short with
    an ellipsis, as the graph does), and nothing else."""
    shown = [text.rstrip(".\u2026") for text in legend]
    return len(shown) == len(expected) and all(
        any(label.startswith(text) for label in expected) for text in shown)


@pytest.mark.parametrize("login,viewport", [("head", "desktop"), ("head", "phone"), ("sidorova", "desktop")])
def test_sales_plans_views_show_the_users_own_figures(run_browser, rpc, login, viewport):
    output = run_browser("sales_plans_report.js", LOGIN=login, VIEWPORT=viewport)
    assert "ok: sales-plans" in output
    user = rpc(login)
    groups = user.call("sales.plan.report", "read_group", THIS_MONTH_USERS,
                       ["user_id", "plan_amount", "actual_amount", "fulfilment"], ["user_id"], context=RU)
    figures = {g["user_id"][1]: g for g in groups}
    names = set(figures)
    assert names and (len(names) == 6 if login == "head" else len(names) == 1)

    # The bars: plan, won (invoiced, received) and forecast of each salesperson, named.
    chart = shown(output, "chart")
    chart_figures = {c["figure"] for c in user.call(
        "sales.plan.chart", "search_read", THIS_MONTH_USERS, fields=["figure"])}
    assert chart["bars"] == len(names) * len(chart_figures)
    assert same_labels(chart["legend"], labels(user, "sales.plan.chart", "figure")), chart["legend"]
    if viewport == "desktop":
        assert set(chart["x"]) == names
    else:
        assert set(chart["x"]) <= names, "a phone may thin the labels out, never add others"

    # The pivot: a row per salesperson with his plan and actual this month.
    pivot = shown(output, "pivot")
    rows = {r["header"]: r["cells"] for r in pivot["rows"][1:]}
    assert set(rows) == names
    for name, cells in rows.items():
        assert number(cells[0]) == pytest.approx(figures[name]["plan_amount"], abs=0.01), name
        assert number(cells[1]) == pytest.approx(figures[name]["actual_amount"], abs=0.01), name

    if viewport == "desktop":
        # The list: fulfilment as a progress bar, red when behind pace.
        records = {r["user_id"][1]: r for r in user.call(
            "sales.plan.report", "search_read", THIS_MONTH_USERS,
            fields=["user_id", "fulfilment", "behind_pace"], context=RU)}
        listed = shown(output, "list")["rows"]
        assert {r["cells"][1] for r in listed} == names
        for row in listed:
            record = records[row["cells"][1]]
            assert number(row["progress"]) == pytest.approx(record["fulfilment"] or 0, abs=1)
            assert row["danger"] == record["behind_pace"]

    # The cumulative line: the plan's even pace and the running actual.
    legend = shown(output, "progress")["legend"]
    assert same_labels(legend, labels(user, "sales.plan.progress", "figure")), legend

    # The funnel to cash: won, invoiced, received of each salesperson, and
    # in the pivot the amount and what is stuck at each step.
    funnel = shown(output, "funnel")
    steps = labels(user, "sales.plan.funnel", "step")
    assert funnel["bars"] == len(names) * len(steps)
    assert same_labels(funnel["legend"], steps), funnel["legend"]
    if viewport == "desktop":
        assert set(funnel["x"]) == names
        records = user.call("sales.plan.funnel", "search_read", THIS_MONTH_USERS,
                            fields=["user_id", "step", "amount", "stuck_amount"], context=RU)
        expected = {}
        for record in sorted(records, key=lambda r: r["step"]):
            expected.setdefault(record["user_id"][1], []).extend([record["amount"], record["stuck_amount"]])
        pivot_rows = {r["header"]: [number(c) for c in r["cells"][:6]]
                      for r in shown(output, "funnel-pivot")["rows"][1:]}
        assert set(pivot_rows) == names
        for name, cells in pivot_rows.items():
            assert cells == pytest.approx(expected[name], abs=0.01), name

    if login == "head":
        dashboard = shown(output, "dashboard")
        assert dashboard["bars"] == len(names) * (len(chart_figures) - 1), "every figure but the forecast"
    if login == "head" and viewport == "desktop":
        assert names <= set(shown(output, "grid")["rows"]), "a grid row for each salesperson with a plan"


XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def salesman_named_xss(rpc):
    """A Moscow salesman whose name is markup, with a plan this month; gone
    afterwards (the RPC scenarios count the demo's six)."""
    admin, head = rpc("admin", "admin"), rpc("head")
    team = head.call("crm.team", "search", [("name", "=", "Отдел продаж: Москва")])[0]
    groups = [admin.call("ir.model.data", "xmlid_to_res_id", xmlid)
              for xmlid in ("base.group_user", "sales_team.group_sale_salesman")]
    values = {"name": XSS, "sale_team_id": team, "active": True, "groups_id": [(6, 0, groups)]}
    user = admin.call("res.users", "search", [("login", "=", "sp_xss")], context={"active_test": False})
    if user:
        user = user[0]
        admin.call("res.users", "write", [user], values)
    else:
        user = admin.call("res.users", "create", dict(values, login="sp_xss", password="sp_xss"),
                          context={"no_reset_password": True})
    month = head.call("sales.plan.report", "search_read", [("is_current", "=", True), ("period_kind", "=", "month")],
                      fields=["date_range_id"], limit=1)[0]["date_range_id"][0]
    plan = head.call("sales.plan", "create", {"user_id": user, "date_range_id": month, "amount_target": 500000})
    yield user
    head.call("sales.plan", "unlink", [plan])
    admin.call("res.users", "write", [user], {"active": False})


def test_names_are_text_in_graphs_pivot_and_grid(run_browser, salesman_named_xss):
    output = run_browser("sales_plans_xss.js", PAYLOAD=XSS)
    assert "ok: sales-plans-xss" in output
