"""Issue 14: the head's dashboard fits a 390x844 phone in headless Chromium
(tests/browser/head_mobile_dashboard.js): every report drawn, no element
wider than the viewport, no horizontal scrolling."""


def test_head_dashboard_fits_a_phone(run_browser):
    output = run_browser("head_mobile_dashboard.js", LOGIN="head", VIEWPORT="phone")
    assert "ok: head-mobile-dashboard-phone" in output
