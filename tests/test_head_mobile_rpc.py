"""Issue 14, a phone that works like an app, against the real server: the
web app manifest, icons and service worker; the VAPID key pair readable by
the administrator only; push subscriptions of one's own; and a new approval
request of Сидорова reaching the head's phone as an encrypted push, signed
with the server's VAPID key, that opens the request (a push service
stand-in on 127.0.0.1 records what it receives)."""
import os
import sys

import pytest
import requests

from test_deal_approval_rpc import new_request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "addons", "sales_head_mobile", "tests"))
from push_endpoint import Browser, PushEndpoint, check_vapid  # noqa: E402 (the addon's test helper)

PRIVATE = "sales_head_mobile.vapid_private_pem"
PUBLIC = "sales_head_mobile.vapid_public_key"


@pytest.fixture(scope="module")
def endpoint(rpc):
    """The push service stand-in, named as a push host by the administrator
    for the time of the module."""
    admin = rpc("admin", "admin")
    server = PushEndpoint()
    admin.call("ir.config_parameter", "set_param", "sales_head_mobile.push_hosts", server.host)
    yield server
    admin.call("ir.config_parameter", "set_param", "sales_head_mobile.push_hosts", "")
    left = admin.call("sales.head.mobile.subscription", "search", [("endpoint", "like", server.url("/"))])
    admin.call("sales.head.mobile.subscription", "unlink", left)
    server.stop()


def refused(user, model, method, *args, **kwargs):
    with pytest.raises(Exception) as error:
        user.call_kw(model, method, *args, **kwargs)
    assert getattr(error.value, "data", None), "not an error answer of Odoo: %r" % error.value
    return str(error.value)


def test_web_app_manifest_icons_and_service_worker(odoo_server, rpc):
    manifest = requests.get(odoo_server.url + "/sales_head_mobile/manifest.webmanifest", timeout=30)
    assert manifest.status_code == 200
    assert manifest.headers["Content-Type"].startswith("application/manifest+json")
    data = manifest.json()
    assert data["display"] == "standalone"
    assert data["start_url"] == "/web#action=deal_approval.deal_approval_request_action_my"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        answer = requests.get(odoo_server.url + icon["src"], timeout=30)
        assert answer.status_code == 200 and answer.headers["Content-Type"] == "image/png"
        assert answer.content[:8] == b"\x89PNG\r\n\x1a\n"
    worker = requests.get(odoo_server.url + "/sales_head_mobile/sw.js", timeout=30)
    assert worker.status_code == 200
    assert worker.headers["Service-Worker-Allowed"] == "/"
    assert "javascript" in worker.headers["Content-Type"]
    assert "notificationclick" in worker.text and "showNotification" in worker.text
    page = rpc("head").session.get(odoo_server.url + "/web", timeout=60)
    assert '<link rel="manifest" href="/sales_head_mobile/manifest.webmanifest"' in page.text


def test_vapid_private_key_is_the_administrators(rpc):
    admin, sidorova, head = rpc("admin", "admin"), rpc("sidorova"), rpc("head")
    assert admin.call("ir.config_parameter", "get_param", PRIVATE).startswith("-----BEGIN")
    public = admin.call("ir.config_parameter", "get_param", PUBLIC)
    for user in (sidorova, head):
        refused(user, "ir.config_parameter", "get_param", PRIVATE)
        refused(user, "ir.config_parameter", "search_read", [("key", "=", PRIVATE)], fields=["value"])
        assert user.jsonrpc("/sales_head_mobile/vapid_public_key") == public


def test_subscriptions_are_each_users_own(rpc, endpoint):
    sidorova, head = rpc("sidorova"), rpc("head")
    browser = Browser()
    mine = sidorova.call("sales.head.mobile.subscription", "create", {
        "endpoint": endpoint.url("/sidorova/1"), "p256dh": browser.p256dh, "auth": browser.auth_b64,
        "user_id": head.uid})
    [read] = sidorova.call("sales.head.mobile.subscription", "read", [mine], ["user_id"])
    assert read["user_id"][0] == sidorova.uid, "a subscription for someone else is one's own"
    assert head.call("sales.head.mobile.subscription", "search", [("id", "=", mine)]) == []
    refused(head, "sales.head.mobile.subscription", "unlink", [mine])
    refused(sidorova, "sales.head.mobile.subscription", "write", [mine], {"endpoint": endpoint.url("/x")})
    assert "push" in refused(sidorova, "sales.head.mobile.subscription", "create", {
        "endpoint": "http://169.254.169.254/latest/meta-data", "p256dh": browser.p256dh,
        "auth": browser.auth_b64}, context={"lang": "en_US"}).lower()
    sidorova.call("sales.head.mobile.subscription", "unlink", [mine])
    assert sidorova.call("sales.head.mobile.subscription", "search", [("id", "=", mine)]) == []


def test_approval_request_reaches_the_approvers_phone(rpc, endpoint):
    admin, head, sidorova = rpc("admin", "admin"), rpc("head"), rpc("sidorova")
    phone, expired = Browser(), Browser()
    for path, browser in (("/head/phone", phone), ("/gone/head", expired)):
        head.call("sales.head.mobile.subscription", "create", {
            "endpoint": endpoint.url(path), "p256dh": browser.p256dh, "auth": browser.auth_b64})
    del endpoint.received[:]
    request_id = new_request(sidorova, amount=450000.0)
    received = endpoint.wait(2)
    phone_push = [r for r in received if r["path"] == "/head/phone"]
    assert len(phone_push) == 1, received
    headers = {key.lower(): value for key, value in phone_push[0]["headers"].items()}
    assert headers["content-encoding"] == "aes128gcm"
    check_vapid(headers["authorization"], admin.call("ir.config_parameter", "get_param", PUBLIC),
                "http://%s" % endpoint.host)
    payload = phone.decrypt(phone_push[0]["body"])
    assert payload["url"] == "/web#id=%d&model=deal.approval.request&view_type=form" % request_id
    name = head.call("deal.approval.request", "read", [request_id], ["name"])[0]["name"]
    assert name in payload["body"]
    assert payload["title"] == "Запрос на согласование"
    assert [r["path"] for r in received if r["path"] == "/gone/head"] == ["/gone/head"]
    remaining = head.call("sales.head.mobile.subscription", "search_read", [], fields=["endpoint"])
    assert endpoint.url("/gone/head") not in {s["endpoint"] for s in remaining}, "410: removed"
    assert endpoint.url("/head/phone") in {s["endpoint"] for s in remaining}
    # The activity itself is created by deal_approval (mail.activity.create),
    # as the head would see it in his list.
    domain = [("res_model", "=", "deal.approval.request"), ("res_id", "=", request_id)]
    activities = head.call("mail.activity", "search_read", domain, fields=["user_id"])
    assert head.uid in {a["user_id"][0] for a in activities}
