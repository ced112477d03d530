# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import datetime, time

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape

from odoo.addons.queue_job.job import job

from ..services.onec_client import OneCClient, OneCError
from ..services.onec_odata import OneCODataClient
from .common import commits, trusted

_logger = logging.getLogger(__name__)
LOCK_NAMESPACE = 51001  # pg advisory lock class of the 1C sync
# Who may start the exchange with 1C by hand.
SYNC_GROUPS = ("sales_team.group_sale_manager", "account.group_account_invoice", "base.group_system")


class ReceivablesOnecBackend(models.Model):
    """The connection to the 1C web service Payments, the exchange cursor
    and the evening list settings."""

    _name = "receivables.onec.backend"
    _description = "1C connection"

    name = fields.Char(required=True, default="1С:Бухгалтерия")
    active = fields.Boolean(default=True)
    transport = fields.Selection([
        ("soap", "Web service of the 1C programmer (SOAP)"),
        ("odata", "Standard OData interface (no programming in 1C)"),
    ], required=True, default="soap",
        help="SOAP: the web service Payments written from docs/1c-integration.md. OData: the interface every "
             "1C:Enterprise 8.3 base publishes without programming; the administrator ticks the objects.")
    configuration = fields.Selection([
        ("bp30", "1C:Бухгалтерия предприятия 3.0"),
        ("ut11", "1C:Управление торговлей 11"),
        ("ka2", "1C:Комплексная автоматизация 2"),
    ], string="1C configuration", required=True, default="bp30",
        help="Which configuration the OData interface belongs to: the names of its documents differ.")
    overlap_days = fields.Integer(
        string="Days re-read", default=30, required=True,
        help="OData has no change feed: every sync reads again the receipts of this many days before the last "
             "one it saw, and takes only those whose data version changed. Receipts changed in 1C further back "
             "(after the period is closed) are not seen.")
    server_url = fields.Char(string="1C web server", default="http://127.0.0.1:8081",
                             help="The address of the web server 1C is published on (Apache or IIS).")
    publication = fields.Char(default="buh", help="The name the infobase was published under (the first part "
                                                  "of the path, as in default.vrd).")
    service_name = fields.Char(string="Web service", default="Payments",
                               help="The name of the web service in the configuration (the WSDL's service).")
    wsdl_url = fields.Char(string="WSDL URL",
                           help="Only when the WSDL lies elsewhere: empty, it is "
                                "<web server>/<publication>/ws/<web service>.1cws?wsdl.")
    endpoint = fields.Char(string="Endpoint override",
                           help="SOAP: the address of the service; the WSDL published by 1C names its internal "
                                "host. Empty: the WSDL URL without '?wsdl'. OData: the address of "
                                "standard.odata; empty: <web server>/<publication>/odata/standard.odata.")
    username = fields.Char(string="1C user", default="Обмен")
    password = fields.Char(string="1C password", groups="base.group_system")
    timeout = fields.Integer(string="Timeout, s", default=30, required=True)
    batch_size = fields.Integer(default=500, required=True,
                                help="Documents asked from 1C per call and committed together.")
    overlap = fields.Integer(default=50, required=True,
                             help="How many change numbers before the committed cursor are read again, for "
                                  "documents that 1C committed late. Re-read documents are skipped if unchanged.")
    sync_interval = fields.Integer(string="Sync every, min", default=15, required=True)
    cursor = fields.Char(string="Committed cursor", readonly=True, copy=False)
    last_sync = fields.Datetime(readonly=True, copy=False)
    last_error = fields.Text(readonly=True, copy=False)
    evening_hour = fields.Float(string="Evening list at", default=19.0, required=True)
    evening_last_date = fields.Date(string="Evening list last posted", readonly=True, copy=False)
    channel_id = fields.Many2one("mail.channel", string="Channel")
    journal_id = fields.Many2one(
        "account.journal", string="Register on invoices in", domain=[("type", "in", ("bank", "cash"))],
        help="A bank journal: each matched 1C payment is registered once against the client's open invoices "
             "(oldest first), so that they show as paid. Empty: invoices are not touched.")
    log_ids = fields.One2many("receivables.sync.log", "backend_id", string="Sync log")

    @api.multi
    def write(self, vals):
        result = super(ReceivablesOnecBackend, self).write(vals)
        if "sync_interval" in vals:
            cron = self.env.ref("receivables.ir_cron_onec_sync", raise_if_not_found=False)
            if cron:
                cron.sudo().interval_number = max(1, vals["sync_interval"])
        return result

    # -- connection ----------------------------------------------------------
    @api.multi
    def _client(self):
        self.ensure_one()
        # The password is readable by administrators only; the sync runs for
        # every user who presses "Sync now", so it reads it as superuser.
        password = self.sudo().password or ""
        if self.transport == "odata":
            return OneCODataClient(self._odata_location(), self.username, password, timeout=self.timeout,
                                   configuration=self.configuration,
                                   references=self.env["receivables.onec.reference"].sudo()._store(self))
        return OneCClient(self._wsdl_location(), self.username, password, endpoint=self.endpoint or None,
                          timeout=self.timeout, service_name=self.service_name or None)

    def _odata_location(self):
        if self.endpoint:
            return self.endpoint
        return "%s/%s/odata/standard.odata" % ((self.server_url or "").rstrip("/"), (self.publication or "").strip("/"))

    def _wsdl_location(self):
        if self.wsdl_url:
            return self.wsdl_url
        return "%s/%s/ws/%s.1cws?wsdl" % ((self.server_url or "").rstrip("/"), (self.publication or "").strip("/"),
                                          self.service_name or "Payments")

    def _check_group(self, *xmlids):
        """Refuses the call unless the user is in one of the groups: these
        methods act as superuser (the 1C password, the cron, the channel)."""
        user = self.env.user
        if not (user._is_superuser() or any(user.has_group(xmlid) for xmlid in xmlids)):
            raise AccessError(_("Only the head of sales, the accountant or the administrator may run the "
                                "exchange with 1C."))

    @api.multi
    def action_test_connection(self):
        self.ensure_one()
        self._check_group("base.group_system")
        try:
            answer = self._client().ping()
        except OneCError as error:
            raise UserError(_("Connection to 1C failed: %s") % error)
        raise UserError(_("Connection to 1C works. 1C answered: %s") % answer)

    # -- sync ------------------------------------------------------------------
    @api.multi
    def action_sync_now(self):
        """Queues a sync of each connection as a background job (queue_job):
        its log line shows at once as queued, then running with the counts
        of each committed batch, then done or failed."""
        self._check_group(*SYNC_GROUPS)
        self.check_access_rule("read")
        Log = self.env["receivables.sync.log"].sudo()
        for backend in self:
            log = Log.create({"backend_id": backend.id, "trigger": "manual", "state": "queued"})
            # The job runs as the user who pressed the button (queue_job
            # keeps his uid) and checks his groups again.
            backend.with_delay(description="%s: %s" % (_("Sync now"), backend.name))._job_sync(log.id)
        return {
            "type": "ir.actions.act_window",
            "res_model": "receivables.sync.log",
            "view_mode": "tree,form",
            "name": _("1C sync log"),
            "domain": [("backend_id", "in", self.ids)],
        }

    @api.multi
    @job(default_channel="root")
    def _job_sync(self, log_id):
        """The background job of "Sync now": the sync of this connection,
        filling the queued log line ``log_id``."""
        self.ensure_one()
        self._check_group(*SYNC_GROUPS)
        log = self.env["receivables.sync.log"].sudo().browse(log_id).exists()
        if log and log.backend_id != self:
            log = log.browse()
        return self._run_sync(trigger="manual", log=log or None).id

    @api.model
    def _cron_sync(self):
        for backend in self.search([]):
            backend._run_sync(trigger="cron")
        return True

    def _commit(self):
        """A batch boundary: what is committed here stays even if 1C fails
        on the next page, and only now may the cursor count as advanced.
        Tests run inside one transaction: see ``common.without_commit``."""
        if commits(self):
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.multi
    def run_sync(self):
        """Syncs now and waits (for RPC and scripts): the id of the sync log."""
        self._check_group(*SYNC_GROUPS)
        self.check_access_rule("read")
        return self._run_sync(trigger="manual").id

    @api.multi
    def _run_sync(self, trigger="manual", log=None):
        """Fetches the documents changed since the committed cursor, page by
        page; each page is stored and committed with the new cursor. ``log``:
        the log line queued by "Sync now", else a new one."""
        self.ensure_one()
        Log = self.env["receivables.sync.log"].sudo()
        # One sync per connection at a time, over every worker and node: an
        # advisory lock taken in a transaction of a connection of its own,
        # held open for the whole sync. The batches' commits on the sync's
        # cursor do not release it; it goes with that transaction however
        # the sync ends (done, a failed transaction, an exception, a killed
        # process), so it is never left behind on a pooled connection.
        with self.pool.cursor() as lock_cr:
            lock_cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (LOCK_NAMESPACE, self.id))
            if not lock_cr.fetchone()[0]:
                values = {"state": "skipped", "finished": fields.Datetime.now(),
                          "error": _("Another sync with 1C is running; this one was skipped.")}
                if log:
                    log.write(values)
                else:
                    values.update(backend_id=self.id, trigger=trigger)
                    log = Log.create(values)
                self._commit()
                return log
            return self._run_sync_locked(Log, trigger, log)

    def _run_sync_locked(self, Log, trigger, log=None):
        backend = self.sudo()
        committed = backend.cursor or ""
        backend._close_interrupted_logs(Log, log)
        if log:
            log.write({"state": "running", "started": fields.Datetime.now(), "cursor_from": committed})
        else:
            log = Log.create({"backend_id": backend.id, "trigger": trigger, "cursor_from": committed})
        self._commit()
        Importer = self.env["receivables.onec.importer"].sudo()
        Binder = self.env["receivables.onec.binder"].sudo()

        def known_versions(guids):
            return Binder._versions(backend, guids)
        try:
            client = backend._client()
            overlap = backend.overlap_days if backend.transport == "odata" else backend.overlap
            for docs, state in client.read_changes(committed, backend.batch_size, overlap, known_versions):
                with self.env.cr.savepoint():
                    counts = Importer._import_batch(backend, docs, log)
                    backend.write({"cursor": state})
                    log.add_counts(counts)
                    log.cursor_to = state
                self._commit()
                committed = state
            backend._sync_settlements(client, log)
        except OneCError as error:
            _logger.warning("1C sync failed: %s", error)
            return backend._sync_failed(log, str(error), committed)
        except Exception as error:  # a bug must not leave the log "running"
            _logger.exception("1C sync crashed")
            return backend._sync_failed(log, _("Internal error of the sync: %s") % error, committed)
        log.write({"state": "done", "finished": fields.Datetime.now()})
        backend.write({"last_sync": fields.Datetime.now(), "last_error": False})
        self._commit()
        return log

    def _close_interrupted_logs(self, Log, current=None):
        """Lines still "running" when the lock is ours belong to a sync that
        was killed (kill -9, a node lost): no sync holds the lock, so they
        are marked failed, with what they had committed, instead of running
        for ever in the log."""
        stale = Log.search([("backend_id", "=", self.id), ("state", "=", "running"),
                            ("id", "!=", current.id if current else 0)])
        if stale:
            stale.write({"state": "failed", "finished": fields.Datetime.now(),
                         "error": _("Interrupted: the process running this sync stopped (for example a "
                                    "restarted server). The next sync went on from the last committed batch.")})

    def _sync_failed(self, log, text, committed):
        """Closes a failed sync: the log and the connection say why, the
        cursor stays where the last committed batch left it."""
        log.write({"state": "failed", "error": text, "finished": fields.Datetime.now(),
                   "cursor_to": committed})
        self.write({"last_error": text})
        self._commit()
        return log

    def _sync_settlements(self, client, log):
        """1C's balance of account 62 per contract now (one GetSettlements
        call per sync), in the contract's currency and in roubles, kept
        beside Odoo's own outstanding amount. A contract 1C no longer lists
        has no balance left. A failure here is logged and does not undo the
        payments."""
        try:
            rows = client.get_settlements()
        except OneCError as error:
            log.add_line(_("Settlement balances were not received: %s") % error)
            return
        Contract = trusted(self.env["receivables.contract"].sudo()).with_context(active_test=False)
        by_guid = self.env["receivables.onec.binder"]._contracts([row["contract_guid"] for row in rows], Contract)
        by_number = {}
        # By number only a contract no 1C base has claimed yet (no GUID, no
        # balance from another connection): another base's contract of the
        # same number keeps its own figure.
        for contract in Contract.search([("name", "in", [r["contract_number"] for r in rows if r["contract_number"]]),
                                         ("onec_guid", "=", False),
                                         ("onec_backend_id", "in", (False, self.id))]):
            by_number.setdefault((contract.name, contract.partner_id.commercial_partner_id.vat), []).append(contract)
        balances = {}
        for row in rows:
            contract = by_guid.get(row["contract_guid"])
            if not contract:
                candidates = by_number.get((row["contract_number"], row["inn"]), [])
                contract = candidates[0] if len(candidates) == 1 else None
            if not contract:
                continue
            if row["currency"] and row["currency"] != contract.currency_id.name:
                log.add_line(_("1C keeps contract %(contract)s in %(theirs)s, Odoo in %(ours)s: its balance was "
                               "not taken.") % {
                    "contract": contract.name, "theirs": row["currency"], "ours": contract.currency_id.name})
                continue
            # Two rows of one contract (1C splits by sub-account 62.01/62.02) add up.
            old = balances.get(contract, (0.0, 0.0))
            rub = row["balance_rub"] if row["balance_rub"] is not None else (
                row["balance"] if contract.currency_id == contract.company_id.currency_id else None)
            balances[contract] = (old[0] + float(row["balance"]),
                                  None if rub is None or old[1] is None else old[1] + float(rub))
        now = fields.Datetime.now()
        with self.env.cr.savepoint():
            for contract, (balance, rub) in balances.items():
                contract.write({"onec_balance": balance, "onec_balance_company": rub or 0.0,
                                "onec_balance_date": now, "onec_backend_id": self.id})
            gone = Contract.search([("onec_backend_id", "=", self.id), ("id", "not in", [c.id for c in balances]),
                                    "|", ("onec_balance", "!=", 0), ("onec_balance_company", "!=", 0)])
            gone.write({"onec_balance": 0.0, "onec_balance_company": 0.0, "onec_balance_date": now})
        self._commit()

    # -- evening list ----------------------------------------------------------
    def _local_now(self, now=None):
        tz = pytz.timezone(self.env.user.company_id.partner_id.tz or self.env.user.tz or "Europe/Moscow")
        now = now or datetime.utcnow()
        return pytz.utc.localize(now).astimezone(tz)

    @api.model
    def _cron_evening_list(self, now=None):
        """Runs often (every 15 minutes); posts once a day after the hour.
        The posted day is stored, so a restart does not post it again."""
        for backend in self.search([]):
            local = backend._local_now(now)
            hour = int(backend.evening_hour)
            minute = int(round((backend.evening_hour - hour) * 60))
            if local.time() < time(hour, minute):
                continue
            day = fields.Date.to_string(local.date())
            if backend.evening_last_date and backend.evening_last_date >= day:
                continue
            backend._post_evening_list(local.date())
            backend.evening_last_date = day
            self._commit()
        return True

    @api.multi
    def post_evening_list(self, day):
        """The evening list of ``day`` ('YYYY-MM-DD') posted now, by the head
        or the administrator (over RPC); returns the channel's id."""
        self.ensure_one()
        self._check_group("sales_team.group_sale_manager", "base.group_system")
        self.check_access_rule("read")
        return self._post_evening_list(fields.Date.from_string(day))

    def _post_evening_list(self, day):
        """Posts the clients who paid on ``day`` (a date) to the channel, and
        tells each manager about his own clients' payments; returns the
        channel's id."""
        self.ensure_one()
        channel = self.channel_id or self.env.ref("receivables.channel_payments")
        payments = self.env["receivables.payment"].sudo().search(
            [("date", "=", fields.Date.to_string(day)), ("state", "!=", "cancelled")], order="partner_id, id")
        title = _("Payments of %s") % day.strftime("%d.%m.%Y")
        if payments:
            body = self._evening_body(title, payments)
        else:
            body = "<p><b>%s</b></p><p>%s</p>" % (html_escape(title), html_escape(_("Nobody paid today.")))
        channel.message_post(body=body + self._evening_extra(day), message_type="comment",
                             subtype="mail.mt_comment")
        # Each manager hears about his own clients in a private chat.
        Channel = self.env["mail.channel"]
        for user in payments.mapped("user_id"):
            own = payments.filtered(lambda p: p.user_id == user)
            title = _("Your clients paid on %s") % day.strftime("%d.%m.%Y")
            chat = Channel.browse(Channel.channel_get([user.partner_id.id], pin=False)["id"])
            chat.message_post(body=self._evening_body(title, own), message_type="comment",
                              subtype="mail.mt_comment")
        return channel.id

    def _evening_extra(self, day):
        """HTML added to the channel's list of ``day`` by other parts of
        the suite (the overdue section); nothing here."""
        return ""

    @staticmethod
    def _fmt(amount):
        return "{:,.2f}".format(amount).replace(",", "\u00a0")

    def _evening_body(self, title, payments):
        rows = []
        for payment in payments:
            rows.append("<tr><td>%s</td><td>%s</td><td style='text-align:right'>%s %s</td><td>%s</td></tr>" % (
                html_escape(payment.partner_id.name or payment.onec_partner_name or ""),
                html_escape(payment.contract_id.name or payment.onec_contract_number or "—"),
                self._fmt(payment.amount), html_escape(payment.currency_id.symbol or ""),
                html_escape(payment.user_id.name or _("not matched"))))
        # The payments of one day, each in the company's currency at its rate.
        currency = self.env.user.company_id.currency_id
        total = sum(payment.currency_id.with_context(date=payment.date).compute(payment.amount, currency)
                    for payment in payments)
        return ("<p><b>%s</b></p><table class='table table-condensed'><thead><tr><th>%s</th><th>%s</th>"
                "<th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody></table><p><b>%s: %s %s</b></p>") % (
            html_escape(title), html_escape(_("Client")), html_escape(_("Contract")), html_escape(_("Amount")),
            html_escape(_("Salesperson")), "".join(rows), html_escape(_("Total of the day")), self._fmt(total),
            html_escape(currency.symbol or ""))
