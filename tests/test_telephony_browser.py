"""Click-to-call from the deal card in the browser, as a salesperson: the
"Call" button next to the phone reaches the PBX (the Mango stand-in the demo's
integration is pointed at) with his extension and the deal's number."""
import re

from test_telephony_mango_rpc import mango  # noqa: F401 pylint: disable=unused-import


def test_call_button_on_the_deal_rings_through_the_pbx(mango, sidorova, run_browser):  # noqa: F811
    deal = sidorova.call("crm.lead", "search_read", [("phone", "!=", False), ("type", "=", "opportunity")],
                         ["phone"], limit=1)
    assert deal, "the demo has a deal of sidorova with a phone"
    before = len(mango.calls("/vpbx/commands/callback"))
    output = run_browser("sales_control_click_to_call.js", LOGIN="sidorova", LEAD_ID=deal[0]["id"])
    assert "ok: sales-control-click-to-call-sidorova" in output
    sent = mango.calls("/vpbx/commands/callback")[before:]
    assert len(sent) == 1, sent
    assert sent[0]["json"]["from"] == {"extension": "102"}
    digits = re.sub(r"\D", "", deal[0]["phone"])
    assert re.sub(r"\D", "", sent[0]["json"]["to_number"])[-10:] == digits[-10:]
