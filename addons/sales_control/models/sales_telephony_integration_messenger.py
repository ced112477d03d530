# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets

from odoo import _, api, models
from odoo.exceptions import UserError


class SalesTelephonyIntegration(models.Model):
    """The messengers' buttons on the integration: tell Telegram or Wazzup
    where to post."""
    _inherit = "sales.telephony.integration"

    @api.multi
    def action_messenger_set_webhook(self):
        """Telegram: setWebhook with the integration's address and secret
        (made when none is set); Wazzup: PATCH /v3/webhooks."""
        from ..telephony import ADAPTERS
        self.ensure_one()
        self.check_access_rights("write")
        self.check_access_rule("write")
        if self.vendor not in ("telegram", "wazzup"):
            raise UserError(_("Only Telegram and Wazzup integrations are registered from here."))
        integration = self.sudo()
        if self.vendor == "telegram":
            if not integration.api_secret:
                integration.api_secret = secrets.token_urlsafe(32)
            ADAPTERS["telegram"].set_webhook(integration)
        else:
            ADAPTERS["wazzup"].subscribe(integration)
        return True
