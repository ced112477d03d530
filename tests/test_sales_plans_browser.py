"""Sales plans in headless Chromium: the graphs render, for the head on a
desktop and a phone, and for a salesperson."""
import pytest


@pytest.mark.parametrize("login,viewport", [("head", "desktop"), ("head", "phone"), ("sidorova", "desktop")])
def test_sales_plans_graphs_render(run_browser, login, viewport):
    output = run_browser("sales_plans_report.js", LOGIN=login, VIEWPORT=viewport)
    assert "ok: sales-plans" in output


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
