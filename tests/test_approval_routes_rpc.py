"""Approval routes, substitutes and escalation over XML-RPC, as the demo
department's people act: the salesman (sidorova), the team leader (petrov),
the head and the finance director. Each test puts back what it changed (the
routes and substitutions apply to every request of the database)."""
import contextlib
import datetime

from test_deal_approval_rpc import ACCESS_ERROR, new_request, read, refused
from test_deal_approval_rpc import standard_route_only  # noqa: F401 (autouse: the standard route alone)

ROUTE = "deal.approval.route"
STEP = "deal.approval.route.step"
SUBSTITUTE = "deal.approval.substitute"


@contextlib.contextmanager
def temporary_route(head, steps, **values):
    """A route the head makes for the time of the test (and deletes)."""
    route_id = head.call(ROUTE, "create", dict({
        "name": "RPC test route", "remind_hours": 0, "escalate_hours": 0,
        "step_ids": [(0, 0, step) for step in steps]}, **values))
    try:
        yield route_id
    finally:
        head.call(ROUTE, "unlink", [route_id])


def approvers(user, request_id):
    step_ids = read(user, request_id, "step_ids")["step_ids"]
    steps = user.call("deal.approval.step", "read", step_ids, ["approver_id", "sequence", "state",
                                                               "delegated_from_id"])
    return sorted(steps, key=lambda step: (step["sequence"], step["id"]))


def today():
    return datetime.date.today().strftime("%Y-%m-%d")


def test_only_the_head_configures_routes(rpc):
    head = rpc("head")
    default = head.call("ir.model.data", "xmlid_to_res_id", "deal_approval.route_default")
    step_ids = head.call(ROUTE, "read", [default], ["step_ids"])[0]["step_ids"]
    for login in ("sidorova", "petrov", "findir"):
        user = rpc(login)
        assert user.call(ROUTE, "read", [default], ["name"])[0]["name"]
        for context in ({}, {"deal_approval_trusted": True}, {"active_test": False}):
            assert refused(user.call, ROUTE, "write", [default], {"active": False},
                           context=context).faultCode == ACCESS_ERROR
            assert refused(user.call, STEP, "write", step_ids, {"amount_from": 0.0},
                           context=context).faultCode == ACCESS_ERROR
            assert refused(user.call, ROUTE, "create", {"name": "Мой маршрут"},
                           context=context).faultCode == ACCESS_ERROR
            assert refused(user.call, STEP, "create", {"route_id": default, "approver_type": "user",
                                                       "user_id": user.uid},
                           context=context).faultCode == ACCESS_ERROR
        assert refused(user.call, ROUTE, "unlink", [default]).faultCode == ACCESS_ERROR
    assert head.call(ROUTE, "read", [default], ["active"])[0]["active"] is True


def test_team_leader_decides_small_deals_then_the_head(rpc):
    head, petrov, sidorova, kuznetsov = rpc("head"), rpc("petrov"), rpc("sidorova"), rpc("kuznetsov")
    with temporary_route(head, [{"sequence": 5, "approver_type": "team_leader", "amount_to": 300000.0}]):
        request_id = new_request(sidorova, amount=120000.0)
        steps = approvers(sidorova, request_id)
        assert [step["approver_id"][0] for step in steps] == [petrov.uid, head.uid]
        # The author, another salesman, the head (not his turn yet) cannot decide.
        for user in (sidorova, kuznetsov, head):
            assert refused(user.call, "deal.approval.request", "action_approve",
                           [request_id]).faultCode == ACCESS_ERROR
        assert petrov.call("deal.approval.request", "search", [("is_my_turn", "=", True),
                                                               ("id", "=", request_id)]) == [request_id]
        petrov.call("deal.approval.request", "action_approve", [request_id])
        assert read(head, request_id, "current_approver_id")["current_approver_id"][0] == head.uid
        head.call("deal.approval.request", "action_approve", [request_id])
        assert read(sidorova, request_id, "state")["state"] == "approved"
        # Above the limit, the team leader is not asked.
        large = new_request(sidorova, amount=300000.0)
        assert [step["approver_id"][0] for step in approvers(sidorova, large)] == [head.uid]
        sidorova.call("deal.approval.request", "action_cancel", [large])


def test_finance_director_in_parallel_for_long_delays(rpc):
    head, findir, sidorova = rpc("head"), rpc("findir"), rpc("sidorova")
    with temporary_route(head, [{"sequence": 10, "approver_type": "finance", "delay_above": 60}]):
        request_id = new_request(sidorova, amount=200000.0, payment_delay=90)
        steps = approvers(sidorova, request_id)
        assert [(step["approver_id"][0], step["state"]) for step in steps] == \
            [(head.uid, "pending"), (findir.uid, "pending")]
        findir.call("deal.approval.request", "action_approve", [request_id])
        assert read(head, request_id, "state")["state"] == "waiting"
        head.call("deal.approval.request", "action_reject", [request_id], "Отсрочка слишком длинная")
        values = read(sidorova, request_id, "state", "reject_reason")
        assert (values["state"], values["reject_reason"]) == ("rejected", "Отсрочка слишком длинная")
        # Without the long delay the finance director is not asked.
        sidorova.call("deal.approval.request", "write", [request_id], {"payment_delay": 30})
        sidorova.call("deal.approval.request", "action_submit", [request_id])
        assert [step["approver_id"][0] for step in approvers(sidorova, request_id)
                if step["state"] == "pending"] == [head.uid]
        sidorova.call("deal.approval.request", "action_cancel", [request_id])


def test_substitutes_are_named_for_oneself(rpc):
    head, findir, sidorova, petrov = rpc("head"), rpc("findir"), rpc("sidorova"), rpc("petrov")
    values = {"substitute_id": sidorova.uid, "date_from": today(), "date_to": today()}
    # A salesman naming himself the head's substitute: refused, also with
    # the context keys a client might try.
    for context in ({}, {"deal_approval_trusted": True}, {"default_user_id": head.uid}):
        fault = refused(sidorova.call, SUBSTITUTE, "create", dict(values, user_id=head.uid), context=context)
        assert fault.faultCode == ACCESS_ERROR
    fault = refused(sidorova.call, SUBSTITUTE, "create", values, context={"default_user_id": head.uid})
    assert fault.faultCode == ACCESS_ERROR
    fault = refused(sidorova.call, SUBSTITUTE, "create", {"substitute_id": sidorova.uid, "date_from": today(),
                                                          "date_to": today()})
    assert "cannot be his own substitute" in fault.faultString
    substitution = head.call(SUBSTITUTE, "create", dict(values, substitute_id=findir.uid, note="Отпуск"))
    try:
        # Neither the substitute nor a salesman moves the head's substitution.
        for user in (findir, sidorova):
            assert refused(user.call, SUBSTITUTE, "write", [substitution],
                           {"substitute_id": user.uid}).faultCode == ACCESS_ERROR
        assert findir.call(SUBSTITUTE, "search", [("id", "=", substitution)]) == [substitution]
        assert not sidorova.call(SUBSTITUTE, "search", [("id", "=", substitution)])
        # While the head is away his requests go to the finance director.
        request_id = new_request(petrov, amount=150000.0)
        steps = approvers(petrov, request_id)
        assert [(step["approver_id"][0], step["delegated_from_id"][0]) for step in steps] == \
            [(findir.uid, head.uid)]
        assert refused(head.call, "deal.approval.request", "action_approve", [request_id]).faultCode == \
            ACCESS_ERROR
        findir.call("deal.approval.request", "action_approve", [request_id])
        assert read(petrov, request_id, "state")["state"] == "approved"
    finally:
        head.call(SUBSTITUTE, "unlink", [substitution])


def test_reviews_and_their_mixin_open_nothing(rpc):
    sidorova = rpc("sidorova")
    request_id = new_request(sidorova, amount=100000.0)
    step_ids = read(sidorova, request_id, "step_ids")["step_ids"]
    for context in ({}, {"deal_approval_trusted": True}):
        assert refused(sidorova.call, "deal.approval.step", "write", step_ids, {"state": "approved"},
                       context=context).faultCode == ACCESS_ERROR
    # The abstract review model is no door either.
    refused(sidorova.call, "deal.approval.review.mixin", "create", {"approver_id": sidorova.uid, "version": 1})
    refused(sidorova.call, "deal.approval.review.mixin", "write", step_ids, {"state": "approved"})
    assert read(sidorova, request_id, "state")["state"] == "waiting"
    sidorova.call("deal.approval.request", "action_cancel", [request_id])
