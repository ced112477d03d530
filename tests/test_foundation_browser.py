"""The CRM pipeline in headless Chromium, on a desktop and on a phone."""
import pytest


@pytest.mark.parametrize("login", ["head", "sidorova"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_crm_pipeline_opens_without_javascript_errors(run_browser, login, viewport):
    output = run_browser("crm_pipeline.js", LOGIN=login, VIEWPORT=viewport)
    assert "ok: crm-pipeline" in output
