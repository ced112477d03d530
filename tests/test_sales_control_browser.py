"""sales_control in headless Chromium: the touches report and the head's
dashboard render, and a manager's deal card shows its Communications tab."""
from datetime import date, timedelta

import pytest


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_touches_report_and_dashboard_render(run_browser, viewport):
    output = run_browser("sales_control_touches.js", LOGIN="head", VIEWPORT=viewport)
    assert "ok: sales-control-touches-head-%s" % viewport in output


def test_deal_card_communications_tab(run_browser, rpc):
    head = rpc("head")
    sidorova = rpc("sidorova")
    touch = head.call("sales.touch", "search_read", [("user_id", "=", sidorova.uid),
                                                     ("recording_attachment_id", "!=", False),
                                                     ("lead_id.active", "=", True)],
                      fields=["lead_id"], limit=1)
    assert touch, "the demo has recorded calls of sidorova"
    output = run_browser("sales_control_deal.js", LOGIN="sidorova", LEAD_ID=touch[0]["lead_id"][0])
    assert "ok: sales-control-deal-sidorova" in output


def test_efficiency_per_manager_flags_someone(run_browser):
    date_from = (date.today() - timedelta(days=365)).strftime("%d.%m.%Y")
    output = run_browser("sales_control_efficiency.js", LOGIN="head", DATE_FROM=date_from)
    assert "ok: sales-control-efficiency-head" in output


def test_settings_show_the_unassigned_switch_off(run_browser):
    output = run_browser("sales_control_settings.js", LOGIN="admin", PASSWORD="admin")
    assert "ok: sales-control-settings-admin" in output
