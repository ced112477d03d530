# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import os

from odoo import http
from odoo.http import request

STATIC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "static", "src")
START_URL = "/web#action=deal_approval.deal_approval_request_action_my"
ICONS = "/sales_head_mobile/static/src/img/"


class SalesHeadMobile(http.Controller):

    @http.route("/sales_head_mobile/manifest.webmanifest", type="http", auth="public", methods=["GET"])
    def manifest(self):
        """The web app manifest: installable on the home screen, opening on
        the approvals waiting for the user. Browsers fetch it without the
        session cookie, so it says nothing of the user."""
        company = request.env["res.company"].sudo().search([], limit=1, order="id")
        manifest = {
            "name": company.name or "Odoo",
            "short_name": (company.name or "Odoo")[:12],
            "start_url": START_URL,
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#875A7B",
            "icons": [{"src": ICONS + "icon-192.png", "sizes": "192x192", "type": "image/png"},
                      {"src": ICONS + "icon-512.png", "sizes": "512x512", "type": "image/png",
                       "purpose": "any maskable"}],
        }
        return request.make_response(json.dumps(manifest, ensure_ascii=False), headers=[
            ("Content-Type", "application/manifest+json; charset=utf-8"), ("Cache-Control", "public, max-age=3600")])

    @http.route("/sales_head_mobile/sw.js", type="http", auth="public", methods=["GET"])
    def service_worker(self):
        """The service worker, served from here (not /web/static) so that it
        may control the whole site (Service-Worker-Allowed: /)."""
        with open(os.path.join(STATIC, "js", "service_worker.js"), encoding="utf-8") as handle:
            body = handle.read()
        return request.make_response(body, headers=[
            ("Content-Type", "application/javascript; charset=utf-8"), ("Service-Worker-Allowed", "/"),
            ("Cache-Control", "no-cache")])

    @http.route("/sales_head_mobile/vapid_public_key", type="json", auth="user")
    def vapid_public_key(self):
        """The server's public VAPID key, for PushManager.subscribe."""
        return request.env["sales.head.mobile.subscription"]._vapid_public_key()
