"""Sales plans in headless Chromium: the graphs render, for the head on a
desktop and a phone, and for a salesperson."""
import pytest


@pytest.mark.parametrize("login,viewport", [("head", "desktop"), ("head", "phone"), ("sidorova", "desktop")])
def test_sales_plans_graphs_render(run_browser, login, viewport):
    output = run_browser("sales_plans_report.js", LOGIN=login, VIEWPORT=viewport)
    assert "ok: sales-plans" in output
