"""Approval routes in headless Chromium: the head makes a route in the form
(desktop) and reads the standard route on his phone."""
import time


def test_head_makes_a_route_in_the_web_client(run_browser, rpc):
    head = rpc("head")
    name = "Маршрут из браузера %d" % int(time.time() * 1000)
    output = run_browser("approval_routes.js", LOGIN="head", VIEWPORT="desktop", MODE="create", ROUTE_NAME=name)
    assert "ok: approval-routes-create-head-desktop" in output
    routes = head.call("deal.approval.route", "search_read", [("name", "=", name)], fields=["step_ids"])
    assert len(routes) == 1
    try:
        steps = head.call("deal.approval.route.step", "read", routes[0]["step_ids"],
                          ["approver_type", "amount_from"])
        assert [(step["approver_type"], step["amount_from"]) for step in steps] == [("finance", 777777.0)]
    finally:
        head.call("deal.approval.route", "unlink", [routes[0]["id"]])


def test_head_reads_the_standard_route_on_his_phone(run_browser, rpc):
    head = rpc("head")
    route_id = head.call("ir.model.data", "xmlid_to_res_id", "deal_approval.route_default")
    output = run_browser("approval_routes.js", LOGIN="head", VIEWPORT="phone", MODE="read", ROUTE_ID=route_id)
    assert "ok: approval-routes-read-head-phone" in output


def test_approver_names_his_substitute_on_his_phone(run_browser, rpc):
    findir, head = rpc("findir"), rpc("head")
    name = head.call("res.users", "read", [head.uid], ["name"])[0]["name"]
    output = run_browser("approval_routes.js", LOGIN="findir", VIEWPORT="phone", MODE="substitute",
                         SUBSTITUTE_NAME=name, DATE_TO="31.12.2030")
    assert "ok: approval-routes-substitute-findir-phone" in output
    rows = findir.call("deal.approval.substitute", "search_read", [("user_id", "=", findir.uid)],
                       fields=["substitute_id", "date_to"])
    try:
        assert [(row["substitute_id"][0], row["date_to"]) for row in rows] == [(head.uid, "2030-12-31")]
    finally:
        findir.call("deal.approval.substitute", "unlink", [row["id"] for row in rows])
