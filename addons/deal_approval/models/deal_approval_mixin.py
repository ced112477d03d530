# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The approval engine, shaped as OCA's tier.validation: an abstract model
configured by class attributes, its routes as data
(``deal.approval.route``), its decisions as records (a model inheriting
``deal.approval.review.mixin``), and small hooks (``_approval_*``) through
which the document says what it needs to."""
import logging
from datetime import datetime

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .common import trusted, working_hours

_logger = logging.getLogger(__name__)

# One query resolves the route of a document: every step of every active
# route of the model whose conditions hold, with the members of its group.
# SQL because the conditions compare the document's figures with the
# steps' limits and "no team chosen" must be told from "not this team",
# which a domain says only with a search per step.
ROUTE_QUERY = """
    SELECT s.id, s.route_id, s.sequence, s.approver_type, s.mode, s.user_id,
           ARRAY_REMOVE(ARRAY_AGG(u.id ORDER BY u.id), NULL)
      FROM deal_approval_route_step s
      JOIN deal_approval_route r ON r.id = s.route_id
 LEFT JOIN res_groups_users_rel gu ON s.approver_type = 'group' AND gu.gid = s.group_id
 LEFT JOIN res_users u ON u.id = gu.uid AND u.active AND NOT COALESCE(u.share, FALSE)
     WHERE r.active AND r.model_name = %(model)s
       AND (r.company_id IS NULL OR r.company_id = %(company)s)
       AND %(amount)s >= COALESCE(s.amount_from, 0)
       AND (COALESCE(s.amount_to, 0) = 0 OR %(amount)s < s.amount_to)
       AND (COALESCE(s.discount_above, 0) = 0 OR %(discount)s > s.discount_above)
       AND (COALESCE(s.delay_above, 0) = 0 OR %(delay)s > s.delay_above)
       AND (NOT COALESCE(s.overdue_required, FALSE)
            OR %(overdue)s::numeric > COALESCE(s.overdue_above, 0))
       AND (s.document_type IS NULL OR s.document_type = %(kind)s)
       AND (NOT EXISTS (SELECT 1 FROM deal_approval_route_step_team_rel t WHERE t.step_id = s.id)
            OR EXISTS (SELECT 1 FROM deal_approval_route_step_team_rel t
                        WHERE t.step_id = s.id AND t.team_id = %(team)s))
  GROUP BY s.id, r.sequence, r.id
  ORDER BY s.sequence, r.sequence, r.id, s.id
"""

OPEN_REVIEW_STATES = ("queued", "pending")


class DealApprovalMixin(models.AbstractModel):
    """Reviews for any document. A model using it sets the class attributes
    below, defines the one2many of its reviews and may override the hooks.
    Reviews are written by the engine only (``common.trusted``)."""
    _name = "deal.approval.mixin"
    _description = "Approval engine (abstract)"

    # The document's state field and the states the engine moves it through.
    _approval_state_field = "state"
    _approval_start_states = ("draft", "rejected")
    _approval_waiting_state = "waiting"
    _approval_approved_state = "approved"
    _approval_rejected_state = "rejected"
    # Where the reviews live: their model, their many2one to the document
    # and the document's one2many to them.
    _approval_review_model = "deal.approval.step"
    _approval_review_field = "request_id"
    _approval_reviews_field = "step_ids"
    # The author never approves his own document.
    _approval_author_field = "user_id"

    version = fields.Integer(string="Version", default=0, readonly=True, copy=False)
    submit_date = fields.Datetime(string="Sent on", readonly=True, copy=False)
    decision_date = fields.Datetime(string="Decided on", readonly=True, copy=False)

    # ------------------------------------------------------------ hooks

    @api.multi
    def _approval_facts(self):
        """What the routes' conditions look at: amount (company currency),
        discount (%), delay (payment delay, days), overdue (client's overdue
        debt in company currency, None when unknown), team_id, kind
        (document kind), company_id, team_leader (res.users)."""
        self.ensure_one()
        return {"amount": 0.0, "discount": 0.0, "delay": 0, "overdue": None, "team_id": None,
                "kind": None, "company_id": self.env.user.company_id.id,
                "team_leader": self.env["res.users"]}

    @api.model
    def _approval_head(self):
        """The head of sales: approver of the 'head' steps, of escalations
        without a named target, and of documents no route gives anyone."""
        return self.env["res.users"]

    @api.model
    def _approval_finance(self):
        """The finance director of the 'finance' steps."""
        return self.env["res.users"]

    def _approval_on_start(self):
        """Called once the new version's reviews exist, before the first
        reviewers are asked."""

    def _approval_on_activate(self, reviews):
        """``reviews`` wait for a decision from now on (notify them)."""

    def _approval_on_decided(self, review, approved):
        """``review`` was just decided (approved or rejected)."""

    def _approval_on_remind(self, review):
        """``review`` waits longer than its route's reminder hours."""

    def _approval_on_escalate(self, old, new):
        """``old`` waited too long: ``new`` asks the next level instead."""

    def _approval_approved_values(self):
        """Values written on the document when the last review approves."""
        return {}

    # ------------------------------------------------------------ reading

    def _approval_author(self):
        return self[self._approval_author_field]

    def _approval_reviews(self):
        """The reviews of the current version."""
        self.ensure_one()
        return self[self._approval_reviews_field].filtered(lambda r: r.version == self.version)

    def _approval_pending(self):
        return self._approval_reviews().filtered(lambda r: r.state == "pending").sorted(
            lambda r: (r.sequence, r.id))

    def _approval_my_review(self, user):
        return self._approval_pending().filtered(lambda r: r.approver_id == user)[:1]

    # ------------------------------------------------------------ resolution

    def _approval_route_rows(self, facts):
        params = {key: facts.get(key) for key in ("amount", "discount", "delay", "overdue", "kind")}
        params.update(model=self._name, company=facts.get("company_id"), team=facts.get("team_id"))
        self.env.cr.execute(ROUTE_QUERY, params)
        return self.env.cr.fetchall()

    def _approval_plan(self):
        """[{sequence, approver, route_id, route_step_id, mode,
        delegated_from}] of the document's reviews, in order: the routes'
        steps that apply (one query), each approver once, never the author,
        substitutes in place of the approvers away today."""
        self.ensure_one()
        facts = self._approval_facts()
        author = self._approval_author()
        Users = self.env["res.users"].sudo()
        plan, seen = [], set()
        for step_id, route_id, sequence, kind, mode, user_id, members in self._approval_route_rows(facts):
            users = self._approval_step_users(kind, user_id, members, facts)
            for user in users:
                # Portal users (share) never approve: they cannot open the back office.
                if user.id in seen or user == author or not user.active or user.share:
                    continue
                seen.add(user.id)
                plan.append({"sequence": sequence, "approver": user, "route_id": route_id,
                             "route_step_id": step_id, "mode": mode if kind == "group" else "all",
                             "delegated_from": Users.browse()})
        if not plan:
            plan = self._approval_fallback_plan()
        return self._approval_delegate(plan)

    def _approval_step_users(self, kind, user_id, members, facts):
        Users = self.env["res.users"].sudo()
        if kind == "user":
            return Users.browse(user_id)
        if kind == "group":
            return Users.browse(members)
        if kind == "team_leader":
            return facts.get("team_leader") or Users.browse()
        if kind == "head":
            return self._approval_head()
        if kind == "finance":
            return self._approval_finance()
        return Users.browse()

    def _approval_fallback_plan(self):
        """No route gives anyone but the author: the head decides, or the
        finance director when the head is the author."""
        author = self._approval_author()
        for user in (self._approval_head(), self._approval_finance()):
            if user and user != author and not user.share:
                return [{"sequence": 1, "approver": user, "route_id": False, "route_step_id": False,
                         "mode": "all", "delegated_from": self.env["res.users"]}]
        raise UserError(_("Nobody but the author can approve this request: "
                          "set the approval routes or the approvers in the CRM settings."))

    def _approval_delegate(self, plan):
        """The substitutes of the approvers away today take their place,
        unless the substitute is the author or already approves."""
        approvers = self.env["res.users"].browse([item["approver"].id for item in plan])
        away = self.env["deal.approval.substitute"]._substitutes(approvers, fields.Date.context_today(self))
        author = self._approval_author()
        taken = set(approvers.ids)
        for item in plan:
            substitute = away.get(item["approver"].id)
            if not substitute or substitute == author or substitute.id in taken or \
                    substitute.share or not substitute.active:
                continue
            taken.add(substitute.id)
            item["delegated_from"] = item["approver"]
            item["approver"] = substitute
        return plan

    # ------------------------------------------------------------ moving

    @api.multi
    def _approval_start(self):
        """A new version: the open reviews of the former one superseded, the
        reviews of the routes made, the first stage asked."""
        self.ensure_one()
        rec = trusted(self)
        plan = rec._approval_plan()
        open_reviews = rec[self._approval_reviews_field].filtered(lambda r: r.state in OPEN_REVIEW_STATES)
        open_reviews.write({"state": "superseded"})
        version = rec.version + 1
        Review = trusted(self.env[self._approval_review_model])
        stages = sorted({item["sequence"] for item in plan})
        for item in plan:
            Review.create({
                self._approval_review_field: rec.id, "version": version,
                "sequence": stages.index(item["sequence"]) + 1, "approver_id": item["approver"].id,
                "route_id": item["route_id"], "route_step_id": item["route_step_id"],
                "mode": item["mode"], "delegated_from_id": item["delegated_from"].id,
                "state": "queued",
            })
        rec.write({self._approval_state_field: self._approval_waiting_state, "version": version,
                   "submit_date": fields.Datetime.now(), "decision_date": False})
        rec._approval_on_start()
        rec._approval_activate_next()

    def _approval_activate_next(self):
        """Ask the reviewers of the next stage; True when there was one."""
        queued = self._approval_reviews().filtered(lambda r: r.state == "queued")
        if not queued:
            return False
        stage = min(queued.mapped("sequence"))
        reviews = queued.filtered(lambda r: r.sequence == stage)
        trusted(reviews).write({"state": "pending", "date_start": fields.Datetime.now()})
        self._approval_on_activate(reviews)
        return True

    def _approval_check_can_decide(self):
        self.ensure_one()
        if self[self._approval_state_field] != self._approval_waiting_state or not self._approval_pending():
            raise UserError(_("This request does not wait for a decision."))
        if self._approval_author() == self.env.user:
            raise AccessError(_("You cannot decide on your own request."))
        if not self._approval_my_review(self.env.user):
            names = ", ".join(self._approval_pending().mapped("approver_id.name"))
            raise AccessError(_("Only %s can decide on this request now.") % names)

    def _approval_approve(self, comment=None):
        self._approval_check_can_decide()
        review = self._approval_my_review(self.env.user)
        now = fields.Datetime.now()
        trusted(review).write({"state": "approved", "comment": comment or False, "date_decision": now})
        if review.mode == "any" and review.route_step_id:
            # One member of the group decided for the group.
            others = self._approval_pending().filtered(
                lambda r: r.route_step_id == review.route_step_id and r.sequence == review.sequence)
            trusted(others).write({"state": "superseded", "date_decision": now})
        self._approval_on_decided(review, True)
        if self._approval_pending():
            return review
        if not self._approval_activate_next():
            values = dict(self._approval_approved_values(), decision_date=now)
            values[self._approval_state_field] = self._approval_approved_state
            trusted(self).write(values)
        return review

    def _approval_reject(self, reason):
        self._approval_check_can_decide()
        review = self._approval_my_review(self.env.user)
        now = fields.Datetime.now()
        trusted(review).write({"state": "rejected", "comment": reason, "date_decision": now})
        self._approval_close_open()
        self._approval_on_decided(review, False)
        trusted(self).write({self._approval_state_field: self._approval_rejected_state, "decision_date": now})
        return review

    def _approval_close_open(self):
        """Nobody has to decide on this version any more."""
        reviews = self[self._approval_reviews_field].filtered(lambda r: r.state in OPEN_REVIEW_STATES)
        trusted(reviews).write({"state": "superseded"})
        return reviews

    # ------------------------------------------------------------ reminders

    @api.model
    def _approval_cron(self, now=None):
        """Hourly: remind the reviewers waiting longer than their route's
        reminder hours, escalate those waiting longer than its escalation
        hours (working hours in the approver's time zone)."""
        now = now or datetime.utcnow()
        Review = trusted(self.env[self._approval_review_model].sudo())
        waiting = Review.search([("state", "=", "pending"), ("route_id", "!=", False),
                                 ("date_start", "!=", False)])
        for review in waiting:
            route = review.route_id
            hours = working_hours(fields.Datetime.from_string(review.date_start), now,
                                  review.approver_id.tz or self.env.user.tz)
            document = review[self._approval_review_field]
            if route.escalate_hours and hours >= route.escalate_hours:
                document._approval_escalate(review)
            elif route.remind_hours and hours >= route.remind_hours and not review.reminded_date:
                review.write({"reminded_date": fields.Datetime.to_string(now)})
                document._approval_on_remind(review)
        return True

    def _approval_escalate(self, review):
        """The review goes one level up: the route's escalation target (or
        the head) decides in its place. Nobody to escalate to (the target
        is the author or the approver himself): the review keeps waiting."""
        target = review.route_id.escalate_to_id or self._approval_head()
        if not target or target == self._approval_author() or target == review.approver_id or \
                target.share or not target.active:
            return False
        now = fields.Datetime.now()
        trusted(review).write({"state": "escalated", "date_decision": now})
        waiting = self._approval_my_review(target)
        if waiting:
            # The next level already decides at this stage.
            self._approval_on_escalate(review, waiting)
            return waiting
        new = trusted(self.env[self._approval_review_model]).create({
            self._approval_review_field: self.id, "version": review.version, "sequence": review.sequence,
            "approver_id": target.id, "route_id": review.route_id.id,
            "route_step_id": review.route_step_id.id, "mode": review.mode,
            "escalated_from_id": review.approver_id.id, "state": "pending", "date_start": now,
        })
        self._approval_on_escalate(review, new)
        return new
