"""Receivables in headless Chromium: the coloured schedule, the debt kanban
and the planned/received pivot, without JavaScript errors."""
import pytest


@pytest.mark.parametrize("login,viewport", [("head", "desktop"), ("sidorova", "phone")])
def test_receivables_views_open_without_javascript_errors(run_browser, login, viewport):
    output = run_browser("receivables_schedule.js", LOGIN=login, VIEWPORT=viewport)
    assert "ok: receivables-%s-%s" % (login, viewport) in output
