"""tau2: the retail tools, the scripted customer, the reward (expected actions replayed = 1, a wrong
action = 0) and whole conversations, on a small store written here and on the public tasks if present."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tandem.errors import ConfigError
from tandem.eval.base import EvalRun
from tandem.eval.tau2.data import Domain, Scenario, load, parse_task
from tandem.eval.tau2.reward import expected_db, score
from tandem.eval.tau2.run import converse, pass_hat_k, run
from tandem.eval.tau2.schemas import RETAIL_TOOLS
from tandem.eval.tau2.tools import TOOLS, ToolError, call_tool, db_hash
from tandem.eval.tau2.user import STOP, ScriptedUser, first_person
from tests.eval.scripted import ScriptedModel

PUBLIC = Path(__file__).resolve().parents[3] / "shared" / "eval" / "tau2" / "retail"


def _variant(item_id: str, color: str, price: float, available: bool = True) -> dict[str, Any]:
    return {"item_id": item_id, "options": {"color": color}, "available": available, "price": price}


def _item(item_id: str, color: str, price: float) -> dict[str, Any]:
    return {"name": "Lamp", "product_id": "p1", "item_id": item_id, "price": price, "options": {"color": color}}


DB: dict[str, Any] = {
    "products": {"p1": {"name": "Lamp", "product_id": "p1", "variants": {
        "i1": _variant("i1", "red", 10.0), "i2": _variant("i2", "blue", 12.5), "i3": _variant("i3", "green", 8.0),
        "i4": _variant("i4", "gold", 99.0, available=False)}}},
    "users": {"ann_lee_1": {
        "user_id": "ann_lee_1", "name": {"first_name": "Ann", "last_name": "Lée"}, "email": "ann@example.com",
        "address": {"address1": "1 Main St", "address2": "", "city": "Austin", "country": "USA", "state": "TX",
                    "zip": "78701"},
        "payment_methods": {"gift_card_1": {"source": "gift_card", "id": "gift_card_1", "balance": 5.0},
                            "credit_card_1": {"source": "credit_card", "id": "credit_card_1", "brand": "visa",
                                              "last_four": "1111"}},
        "orders": ["#W1", "#W2"]}},
    "orders": {
        "#W1": {"order_id": "#W1", "user_id": "ann_lee_1", "address": {}, "status": "delivered",
                "items": [_item("i1", "red", 10.0)], "fulfillments": [],
                "payment_history": [{"transaction_type": "payment", "amount": 10.0,
                                     "payment_method_id": "credit_card_1"}]},
        "#W2": {"order_id": "#W2", "user_id": "ann_lee_1", "address": {}, "status": "pending",
                "items": [_item("i1", "red", 10.0), _item("i2", "blue", 12.5)], "fulfillments": [],
                "payment_history": [{"transaction_type": "payment", "amount": 22.5,
                                     "payment_method_id": "gift_card_1"}]}},
}
EXCHANGE = [
    {"name": "find_user_id_by_name_zip", "arguments": {"first_name": "Ann", "last_name": "Lee", "zip": "78701"}},
    {"name": "get_order_details", "arguments": {"order_id": "#W1"}},
    {"name": "exchange_delivered_order_items", "arguments": {
        "order_id": "#W1", "item_ids": ["i1"], "new_item_ids": ["i2"], "payment_method_id": "credit_card_1"}},
]
TASK = {"id": "7", "user_scenario": {"instructions": {
    "task_instructions": "You are terse.", "domain": "retail",
    "reason_for_call": "You want to exchange your red lamp from order #W1 for the blue one. "
                       "You pay with your credit card.",
    "known_info": "You are Ann Lee in zip code 78701.", "unknown_info": "You do not remember your email address."}},
    "evaluation_criteria": {"actions": EXCHANGE, "communicate_info": ["2.5"], "reward_basis": ["DB", "COMMUNICATE"]}}


@pytest.fixture
def domain(tmp_path: Path) -> Domain:
    (tmp_path / "tasks_test.json").write_text(json.dumps([TASK]))
    (tmp_path / "db.json").write_text(json.dumps(DB))
    (tmp_path / "policy.md").write_text("# Policy\nAuthenticate the user first.")
    return load(tmp_path)


def test_loads_a_folder_or_a_file_and_names_what_is_missing(domain: Domain, tmp_path: Path) -> None:
    assert domain.tasks_path.name == "tasks_test.json" and domain.tasks[0].actions[2].arguments["item_ids"] == ["i1"]
    assert load(domain.tasks_path).tasks == domain.tasks
    lone = tmp_path / "elsewhere" / "tasks.json"
    lone.parent.mkdir()
    lone.write_text(json.dumps([TASK]))
    with pytest.raises(ConfigError, match=r"db\.json"):
        load(lone)
    assert load(lone, db=tmp_path / "db.json", policy=tmp_path / "policy.md").tasks == domain.tasks
    (tmp_path / "elsewhere" / "db.json").write_text("[]")
    (tmp_path / "elsewhere" / "policy.md").write_text("x")
    lone.write_text('[{"no": "id"}]')
    with pytest.raises(ConfigError, match="not a tau2 domain"):
        load(lone)


def test_tools_check_and_change_the_database() -> None:
    db = copy.deepcopy(DB)
    assert call_tool(db, "find_user_id_by_name_zip", {"first_name": "ann", "last_name": "LEE", "zip": "78701"}) == \
        "ann_lee_1"  # case and accents folded, as tau2 does
    with pytest.raises(ToolError, match="User not found"):
        call_tool(db, "find_user_id_by_name_zip", {"first_name": "Ann", "last_name": "Lee", "zip": "00000"})
    assert call_tool(db, "calculate", {"expression": "(10 + 2.5) * 2 / 3"}) == "8.33"
    with pytest.raises(ToolError):
        call_tool(db, "calculate", {"expression": "__import__('os')"})
    assert json.loads(call_tool(db, "list_all_product_types", {})) == {"Lamp": "p1"}
    with pytest.raises(ToolError, match="not found or available"):
        call_tool(db, "modify_pending_order_items", {"order_id": "#W2", "item_ids": ["i1"], "new_item_ids": ["i4"],
                                                     "payment_method_id": "gift_card_1"})
    with pytest.raises(ToolError, match="Non-delivered"):
        call_tool(db, "return_delivered_order_items", {"order_id": "#W2", "item_ids": ["i1"],
                                                       "payment_method_id": "credit_card_1"})
    with pytest.raises(ToolError, match="Payment method not found"):
        call_tool(db, "return_delivered_order_items", {"order_id": "#W1", "item_ids": ["i1"],
                                                       "payment_method_id": "credit_card_9"})
    assert db == DB  # refused calls change nothing


def test_writes_follow_tau2() -> None:
    db = copy.deepcopy(DB)
    call_tool(db, "modify_pending_order_items", {"order_id": "#W2", "item_ids": ["i2", "i1"],
                                                 "new_item_ids": ["i3", "i2"], "payment_method_id": "gift_card_1"})
    order = db["orders"]["#W2"]
    # each item takes its own new variant's price (tau2 would copy the last one's onto both)
    assert [(i["item_id"], i["price"]) for i in order["items"]] == [("i2", 12.5), ("i3", 8.0)]
    assert order["status"] == "pending (item modified)" and db["users"]["ann_lee_1"]["payment_methods"][
        "gift_card_1"]["balance"] == 7.0  # 2 back on the gift card
    with pytest.raises(ToolError, match="Non-pending"):
        call_tool(db, "cancel_pending_order", {"order_id": "#W2", "reason": "no longer needed"})
    fresh = copy.deepcopy(DB)
    with pytest.raises(ToolError, match="Invalid reason"):
        call_tool(fresh, "cancel_pending_order", {"order_id": "#W2", "reason": "too expensive"})
    call_tool(fresh, "cancel_pending_order", {"order_id": "#W2", "reason": "ordered by mistake"})
    assert fresh["users"]["ann_lee_1"]["payment_methods"]["gift_card_1"]["balance"] == 27.5  # refunded at once
    with pytest.raises(ToolError, match="Invalid arguments"):
        call_tool(fresh, "get_order_details", {"order": "#W1"})


def test_every_tool_has_a_schema_with_its_arguments() -> None:
    import inspect

    assert {t.name for t in RETAIL_TOOLS} == set(TOOLS)
    for tool in RETAIL_TOOLS:
        wanted = [p for p in inspect.signature(TOOLS[tool.name]).parameters if p != "db"]
        assert sorted(tool.parameters["properties"]) == sorted(wanted), tool.name


def test_reward_is_1_for_the_expected_actions_and_0_for_a_wrong_one(domain: Domain) -> None:
    task = domain.tasks[0]
    gold = db_hash(expected_db(domain, task))
    replayed = domain.fresh_db()
    for action in task.actions:
        call_tool(replayed, action.name, action.arguments)
    said = ["The blue lamp costs 2.5 more."]
    right = score(task, ending="user_stop", final_hash=db_hash(replayed), gold_hash=gold, agent_texts=said)
    assert (right.reward, right.db_match, right.communicated) == (1.0, True, True)
    wrong = domain.fresh_db()
    call_tool(wrong, "return_delivered_order_items", {"order_id": "#W1", "item_ids": ["i1"],
                                                      "payment_method_id": "credit_card_1"})
    assert score(task, ending="user_stop", final_hash=db_hash(wrong), gold_hash=gold, agent_texts=said).reward == 0.0
    silent = score(task, ending="user_stop", final_hash=db_hash(replayed), gold_hash=gold, agent_texts=["Done."])
    assert (silent.reward, silent.db_match, silent.communicated) == (0.0, True, False)
    cut = score(task, ending="max_steps", final_hash=db_hash(replayed), gold_hash=gold, agent_texts=said)
    assert cut.reward == 0.0
    # tau2's newer tasks score only the database (NL assertions empty): "strict" still wants the info said
    db_only = parse_task({**TASK, "evaluation_criteria": {**TASK["evaluation_criteria"],
                                                          "reward_basis": ["DB", "NL_ASSERTION"]}})
    loose = score(db_only, ending="user_stop", final_hash=db_hash(replayed), gold_hash=gold, agent_texts=["Done."])
    assert (loose.reward, loose.strict, loose.unjudged) == (1.0, 0.0, False)


def test_a_task_with_unjudged_nl_assertions_never_passes(domain: Domain) -> None:
    """29 of the 74 public retail tasks have NL assertions; without an LLM judge they cannot count as passed."""
    task = domain.tasks[0]
    gold = db_hash(expected_db(domain, task))
    asserted = parse_task({**TASK, "evaluation_criteria": {
        **TASK["evaluation_criteria"], "reward_basis": ["DB", "NL_ASSERTION"],
        "nl_assertions": ["The agent explains the price difference before exchanging."]}})
    result = score(asserted, ending="user_stop", final_hash=gold, gold_hash=gold, agent_texts=["2.5"])
    assert (result.reward, result.strict, result.db_match, result.unjudged) == (0.0, 0.0, True, True)


def test_scripted_customer() -> None:
    assert first_person("You received your order and want a refund, if the agent asks you.") == \
        "I received my order and want a refund, if the agent asks me."
    user = ScriptedUser(parse_task(TASK).scenario, max_turns=6)
    opening = user.opening()
    assert opening.startswith("I want to exchange my red lamp") and "I am Ann Lee in zip code 78701." in opening
    assert user.reply("Could you give me your email so I can proceed?") == \
        "I am Ann Lee in zip code 78701. I do not remember my email address."
    assert user.reply("Which payment method should be used?") == "I pay with my credit card."
    assert user.reply("Shall I proceed with the exchange (yes/no)?") == "Yes, please go ahead."
    assert user.reply("The exchange is done.") == "OK."
    assert user.reply("A confirmation e-mail is on its way.").endswith(STOP)  # e-mail, but a statement
    patient = ScriptedUser(Scenario("You want help.", "", "", ""), max_turns=2)
    patient.opening()
    assert patient.reply("Is there anything else?").endswith(STOP)
    stubborn = ScriptedUser(Scenario("You want x.", "", "", ""))
    stubborn.opening()
    assert stubborn.reply("Hello?") == "My request: I want x."
    assert stubborn.reply("Hello?").endswith(STOP)  # nothing new to say
    brief = ScriptedUser(Scenario("You want x.", "", "", ""), max_turns=1)
    brief.opening()
    assert brief.reply("Which colour?").endswith(STOP)


def _replaying(actions: list[dict[str, Any]], final: str) -> ScriptedModel:
    """A model that makes ``actions`` one per turn, then says ``final``."""

    def answer(request):  # type: ignore[no-untyped-def]
        done = sum(1 for m in request.messages if m.role == "tool")
        if done < len(actions):
            return [(actions[done]["name"], actions[done]["arguments"])]
        return final

    return ScriptedModel(answer)


def test_a_conversation_that_does_the_task_passes(domain: Domain) -> None:
    model = _replaying(EXCHANGE, "Your lamp is exchanged; you pay 2.50 more.")
    conversation = converse(model, domain, domain.tasks[0])
    assert conversation.ending == "user_stop" and [c[0] for c in conversation.calls] == [a["name"] for a in EXCHANGE]
    assert model.requests[0].messages[0].content.startswith("<instructions>")  # type: ignore[union-attr]
    assert "Authenticate the user first." in (model.requests[0].messages[0].content or "")
    assert model.requests[0].messages[1].content == "Hi! How can I help you today?"
    report = run(EvalRun(data=domain.tasks_path, model_id="scripted", load_model=lambda: model))
    assert report.rows[domain.tasks_path.parent.name]["pass^1"] == 1.0
    assert report.rows["endings"] == {"user_stop": 1}
    assert report.rows["idle agent"] == {"pass^1": 0.0, "tasks": 1}  # the task changes the database


def test_a_conversation_with_a_wrong_action_fails(domain: Domain) -> None:
    wrong = [*EXCHANGE[:2], {"name": "return_delivered_order_items", "arguments": {
        "order_id": "#W1", "item_ids": ["i1"], "payment_method_id": "credit_card_1"}}]
    report = run(EvalRun(data=domain.tasks_path, model_id="scripted",
                         load_model=lambda: _replaying(wrong, "Returned; 2.5 back."), options={"trials": 2}))
    row = report.rows[domain.tasks_path.parent.name]
    assert (row["pass^1"], row["pass^2"], row["db match"], row["trials"]) == (0.0, 0.0, 0.0, 2)
    assert [i["ending"] for i in report.items] == ["user_stop", "user_stop"]


def test_tool_errors_and_step_limits_end_a_conversation(domain: Domain) -> None:
    looping = ScriptedModel(lambda request: [("get_order_details", {"order_id": "#W404"})])
    conversation = converse(looping, domain, domain.tasks[0])
    assert conversation.ending == "too_many_errors" and conversation.errors == 10


def test_pass_hat_k() -> None:
    passes = {"a": [True, True, False], "b": [False, False, False]}
    assert pass_hat_k(passes, 1) == pytest.approx((2 / 3 + 0) / 2)
    assert pass_hat_k(passes, 2) == pytest.approx((1 / 3 + 0) / 2)
    assert pass_hat_k(passes, 3) == 0.0


@pytest.mark.skipif(not PUBLIC.is_dir(), reason="needs ../shared/eval/tau2 (the public retail tasks)")
def test_public_tasks_replay_to_their_own_end_state() -> None:
    public = load(PUBLIC)
    task = next(t for t in public.tasks if t.id == "0")  # an exchange of two items
    gold = db_hash(expected_db(public, task))
    assert gold != db_hash(public.fresh_db())
    replayed = public.fresh_db()
    for action in task.actions:
        call_tool(replayed, action.name, action.arguments)
    assert score(task, ending="user_stop", final_hash=db_hash(replayed), gold_hash=gold).reward == 1.0
    assert score(task, ending="user_stop", final_hash=db_hash(public.fresh_db()), gold_hash=gold).reward == 0.0


def test_cli_takes_db_and_policy_flags_and_trials(domain: Domain, tmp_path: Path, tiny_settings) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from tandem.cli import cli

    lone = tmp_path / "held-out" / "tasks.json"
    lone.parent.mkdir()
    lone.write_text(json.dumps([TASK]))
    args = ["eval", "tau2", "--data", str(lone), "--model", "device:tiny", "--trials", "2", "--json", "--quiet"]
    missing = CliRunner().invoke(cli, args)
    assert isinstance(missing.exception, ConfigError) and "--db" in str(missing.exception)  # `tandem` prints it
    result = CliRunner().invoke(cli, [*args, "--db", str(tmp_path / "db.json"), "--policy",
                                      str(tmp_path / "policy.md")])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout.strip().splitlines()[-1])["rows"]
    # the tiny model's 512-token context cannot hold the policy and tools: both trials end there and score 0
    assert rows["held-out"]["pass^2"] == 0.0 and rows["endings"] == {"context": 2}
