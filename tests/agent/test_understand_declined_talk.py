"""What the user says not to do is never turned into another act, in a conversation (review26 P26-4, reread26 H2):
after a real order, "please don't order the sushi yet" / "bitte noch nichts bestellen" / "暂时不要下单" were read by
the learned tier as a cancellation, the card offered to cancel the order just made, and the "yes" cancelled it. And a
correction ("不要点披萨，帮我点一份寿司送到公司") asks for its later clause (review26 R26-5), never for the act it
declines (R26-8: "别取消外卖，帮我取消电影票" cancelled the takeaway too). The sentences are und18's own probes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.capabilities import shipped
from tandem.agent.confirming import take_turn
from tandem.agent.declined import later, says, spared
from tandem.agent.journal import Journal
from tandem.agent.learned import familiar
from tandem.agent.profile import load_profile
from tandem.agent.tasks import TaskState
from tandem.agent.understand import Understander
from tests.agent.conftest import write_profile
from tests.agent.conversing import talking
from tests.agent.test_confirm_kept import placed
from tests.agent.toolsets import in_memory_partners

pytestmark = pytest.mark.anyio

_ORDER = {"EN": ("order a pizza to the office", "yes"), "DE": ("bestell eine Pizza ins Büro", "ja"),
          "CN": ("帮我点一份饺子送到公司", "好的")}
_NOT_AN_ORDER = {"EN": "please don't order the sushi yet", "DE": "bitte noch nichts bestellen",
                 "CN": "暂时不要下单"}


def _noon() -> dt.datetime:
    return dt.datetime.combine(dt.date.today(), dt.time(12, 0))  # read when the test runs, not at import


@pytest.mark.parametrize("lang", ["EN", "DE", "CN"])
async def test_not_ordering_after_an_order_cancels_nothing(home: Path, understander: Understander,
                                                           lang: str) -> None:
    region = "CN" if lang == "CN" else "DE"
    write_profile(home, region)
    async with in_memory_partners(home, "CN" if region == "CN" else "EU") as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home),
                              understander=understander, clock=_noon)
        shown = await take_turn(assistant, _ORDER[lang][0])
        done = await take_turn(assistant, _ORDER[lang][1], shown.conversation_id)
        ordered = [t for t in done.tasks if t.intent == "order_food"]
        assert [t.state for t in ordered] == [TaskState.DONE], done.text
        said = await take_turn(assistant, _NOT_AN_ORDER[lang], shown.conversation_id)
        yes = await take_turn(assistant, _ORDER[lang][1], shown.conversation_id)
        assert [t.intent for t in said.tasks if t.intent.startswith("cancel")] == [], said.text
        assert assistant.journal.task(ordered[0].id).state == TaskState.DONE, yes.text


@pytest.mark.parametrize(("text", "wanted", "slot"), [
    ("no, don't book Dune, book two tickets for Wicked tonight at 8", "buy_movie_tickets", ("film", "Wicked")),
    ("don't order pizza, order sushi to the office", "order_food", ("dish", "sushi")),
    ("don't cancel my cinema tickets, cancel the pizza", "cancel_food_order", None),
    ("don't cancel the pizza, cancel my cinema tickets", "cancel_movie_tickets", None),
    ("bestell die Pizza nicht, zeig mir lieber meine Termine morgen", "show_calendar", None),
    ("不要点披萨，帮我点一份寿司送到公司", "order_food", ("dish", "寿司")),
    ("别取消外卖，帮我取消电影票", "cancel_movie_tickets", None),
    ("先不要下单，帮我搜一下蓝牙耳机", "search_products", ("item", "蓝牙耳机")),
    # review27 P27-5: a clause that declines a thing, not the verb (each was the cinema's cancellation at eda177e)
    ("cancel the pizza, not the cinema tickets", "cancel_food_order", None),
    ("not the cinema tickets, cancel the pizza", "cancel_food_order", None),
    ("cancel not the movie but the pizza", "cancel_food_order", None),
    ("refund the concert tickets, not the cinema ones", "refund_tickets", None),
    ("storniere nicht die Kinokarten, sondern die Pizza-Bestellung", "cancel_food_order", None),
    ("nicht die Kinokarten, storniere die Pizza-Bestellung", "cancel_food_order", None),
    ("电影票不取消，取消外卖", "cancel_food_order", None), ("不是取消电影票，是取消外卖", "cancel_food_order", None),
    ("取消外卖，电影票别取消", "cancel_food_order", None), ("电影票不退，帮我退演唱会的票", "refund_tickets", None),
    # reread28 H1: the other clause alone is short of German's lead; its verb said, it is read (none at 52d201b)
    ("storniere die Pizza, die Kinokarten nicht", "cancel_food_order", None),
    ("storniere die Pizza statt der Kinokarten", "cancel_food_order", None),
    ("die Kinokarten nicht, storniere die Pizza", "cancel_food_order", None),
])
def test_a_correction_asks_for_its_later_clause(understander: Understander, text: str, wanted: str,
                                                slot: tuple[str, str] | None) -> None:
    read = understander.understand(text, dt.datetime.combine(dt.date.today(), dt.time(12, 0)))
    assert [i.name for i in read.intents] == [wanted]
    assert slot is None or read.intents[0].slots.get(slot[0]) == slot[1]


@pytest.mark.parametrize("text", [
    "please don't order the sushi yet", "never order from there again",
    "I wouldn't order from that pizza place again", "don't order anything, I'm cooking tonight",
    "bitte noch nichts bestellen", "bestell die Pizza nicht, ich koche selbst", "wir bestellen heute nicht",
    "不要买电影票", "暂时不要下单",
    "don't refund my concert tickets, I'm going after all", "别帮我退演唱会的票，我还是要去", "别退票了，票我自己留着",
    # a negation past a word of when, or before a final infinitive with words between (cancellations at eda177e)
    "today I don't want to order anything", "tomorrow don't buy any tickets", "ich will heute nichts bestellen",
    "nie wieder bei dem Laden bestellen", "morgen bitte nichts bei Gabelpost bestellen", "以后别给我点披萨了",
    "明天别给我订电影票",
    # a clause that declines a thing beside one that asks nothing (cancellations at eda177e)
    "cancel not the movie, not the pizza", "not the pizza, if it arrives late cancel it",
    "storniere nicht die Kinokarten, sondern lass alles wie es ist",
    "电影票不取消，谢谢", "外卖别取消，挺好吃的", "电影票别退，我朋友说要退", "外卖不取消，如果晚到了再取消",
    # a word of how sure or of when before the negation, a gerund, "keine Lust" (cancellations or tasks at 597205f)
    "heute will ich echt nichts bestellen", "ich möchte heute eigentlich nichts bestellen",
    "ich hab heute echt keine Lust was zu bestellen", "ich will heute auf keinen Fall was bestellen",
    "I honestly don't feel like ordering today", "I definitely don't want to buy tickets tonight",
    "我今天真的不想点外卖", "今晚真的不想订电影票", "我这周都不想点外卖了", "我最近不想订票",
])
def test_what_not_to_do_is_no_other_act(understander: Understander, text: str) -> None:
    """Each but the last three was a cancellation or refund at 59a457b (e5 reads "don't order" beside "cancel")."""
    assert understander.understand(text, dt.datetime.combine(dt.date.today(), dt.time(12, 0))).intents == ()


@pytest.mark.parametrize(("text", "lang", "rest"), [
    ("don't cancel CIN-2F4A6B8C0D, cancel my pizza instead", "en", "cancel my pizza instead"),
    ("don't cancel FD-4A1B2C3D4E but order two pizzas", "en", "order two pizzas"),
    ("storniere FD-4A1B2C3D4E nicht, sondern bestell eine Cola", "de", "bestell eine Cola"),
    ("别取消外卖，帮我取消电影票", "zh", "帮我取消电影票"), ("please don't order the sushi yet", "en", ""),
])
def test_the_later_clause_of_a_correction(text: str, lang: str, rest: str) -> None:
    assert later(text, lang) == rest


@pytest.mark.parametrize(("text", "lang", "rest"), [
    ("storniere nicht die Kinokarten, sondern die Pizza", "de", "storniere die Pizza"),
    ("nicht die Kinokarten stornieren, die Pizza!", "de", "die Pizza stornieren"),
    ("cancel the pizza, not the cinema tickets", "en", "cancel the pizza"),
    ("cancel not the movie but the pizza", "en", "cancel the pizza"),
    ("电影票不取消，取消外卖", "zh", "取消外卖"), ("外卖别取消，挺好吃的", "zh", "挺好吃的"),
    ("not the pizza, not the tickets", "en", ""),
    # no clause declines a thing: "not only … but also", one clause, a negated infinitive, a statement's subject
    ("not only the pizza but also cancel the cinema tickets", "en", None),
    ("nicht nur die Pizza, sondern auch die Kinokarten stornieren", "de", None),
    ("不仅取消外卖，还要取消电影票", "zh", None),
    ("not the cinema tickets", "en", None), ("remind me not to order pizza, it's Friday", "en", None),
    ("my pizza has not arrived, where is it", "en", None), ("点一份不辣的饺子，送到公司", "zh", None),
    ("drop the Wicked tickets, we're not going to the cinema after all", "en", None),
    ("wir können nicht zum Festival, hol das Geld für die Karten zurück", "de", None),
    ("等了一个小时了，我点的麻辣香锅怎么还没到", "zh", None),
    # reread28 H1: a thing named before a final negation, kept, or after "instead of" (None at 76fffbb)
    ("storniere die Pizza, die Kinokarten nicht", "de", "storniere die Pizza"),
    ("die Kinokarten bitte nicht, storniere die Pizza", "de", "storniere die Pizza"),
    ("storniere die Kinokarten nicht und bestell eine Pizza", "de", "bestell eine Pizza"),
    ("取消外卖,电影票别动", "zh", "取消外卖"), ("电影票留着，取消外卖", "zh", "取消外卖"),
    ("cancel the pizza instead of the cinema tickets", "en", "cancel the pizza"),
    ("rather than the tickets, cancel the pizza", "en", "cancel the pizza"),
    ("cancel the pizza and leave the cinema tickets alone", "en", "cancel the pizza"),
    ("cancel the pizza but keep the cinema tickets", "en", "cancel the pizza"),
    ("storniere die Pizza statt der Kinokarten", "de", "storniere die Pizza"),
    ("storniere die Pizza, die Kinokarten behalte ich", "de", "storniere die Pizza"),
    ("取消外卖而不是电影票", "zh", "取消外卖"),
    # a keeping word that is negated or beside a request's verb keeps nothing; a reason names no thing
    ("不要保留电影票，取消吧", "zh", None), ("remind me to keep the receipt, then cancel the pizza", "en", None),
    ("leave a note: buy milk", "en", None), ("Die Pizza brauche ich nicht mehr, storniere sie", "de", None),
])
def test_what_a_declining_clause_leaves(text: str, lang: str, rest: str | None) -> None:
    """``spared``: the clauses beside one that declines a thing, the verb carried where they say none."""
    assert spared(text, lang, familiar(shipped(), lang)) == rest


@pytest.mark.parametrize(("text", "wanted", "value"), [
    ("Notiere: nicht vergessen, Milch kaufen", "take_note", "nicht vergessen, Milch kaufen"),
    ("erinnere mich um 8, nicht den Schlüssel vergessen", "set_reminder", "nicht den Schlüssel vergessen"),
    ("remind me at 9: don't leave the heater on", "set_reminder", "don't leave the heater on"),
    ("记一下：别把钥匙落在车里", "take_note", "别把钥匙落在车里"),
    ("note: the kids stay at grandma's and Tom picks them up", "take_note",
     "the kids stay at grandma's and Tom picks them up"),
])
def test_a_negation_in_a_notes_own_words_is_kept(understander: Understander, text: str, wanted: str,
                                                 value: str) -> None:
    """review29 R29-1 (HIGH): ``spared`` cut a note's or a to-do's negated clause away: no task at 597205f."""
    read = understander.understand(text, dt.datetime.combine(dt.date.today(), dt.time(12, 0)))
    assert [(i.name, next(v for k, v in i.slots.items() if k in ("text", "todo"))) for i in read.intents] == \
        [(wanted, value)]


@pytest.mark.parametrize(("text", "declines"), [
    ("storniere die Kinokarten nicht", True), ("storniere die Pizza, die Kinokarten nicht", True),
    ("取消外卖,电影票别动", True), ("cancel the pizza instead of the cinema tickets", True),
    ("cancel the pizza", False), ("storniere die Kinokarten", False), ("帮我取消外卖", False)])
def test_a_sentence_that_declines_says_so(understander: Understander, text: str, declines: bool) -> None:
    """reread28 H1: "storniere die Kinokarten nicht" was read as nothing, and the dialogue then read it as a follow-up
    on the cinema order (its cancellation); the understanding says it declines, so no follow-up is read into it."""
    assert understander.understand(text, dt.datetime.combine(dt.date.today(), dt.time(12, 0))).declines is declines


@pytest.mark.parametrize(("text", "lang", "capability", "said"), [
    ("please don't order the sushi yet", "en", "cancel_food_order", False),
    ("I won't make it to the dentist, take it out of my calendar", "en", "cancel_calendar_event", True),
    ("bitte noch nichts bestellen", "de", "cancel_food_order", False),
    ("die Bestellung bitte stornieren", "de", "cancel_food_order", True),
    ("先别点外卖", "zh", "cancel_food_order", False), ("先别点外卖，帮我把订单取消", "zh", "cancel_food_order", True),
])
def test_a_capability_is_said_by_its_own_verb(text: str, lang: str, capability: str, said: bool) -> None:
    spec = next(i for i in shipped() if i.name == capability)
    assert says(text, lang, familiar([spec], lang)[0]) is said


def test_a_line_of_corrections_is_read_once(understander: Understander) -> None:
    """A hostile line of many "don't cancel …," reads its later clause once, not clause by clause (no recursion)."""
    text = "don't cancel FD-4A1B2C3D4E, " * 400 + "cancel the pizza"
    assert understander.understand(text, dt.datetime.combine(dt.date.today(), dt.time(12, 0))).intents == ()


_NOT_ASKED = ["Don't book it yet, but if it's still available tomorrow book two tickets for Dune",
              "never cancel my orders, even if I say cancel my order",
              "don't order anything, Lisa said order two pizzas", "Don't order pizza, I might order sushi later",
              "bestell noch nichts, wenn es später regnet bestell eine Suppe",
              "storniere die Pizza nicht, Lisa hat gesagt storniere sie", "别点外卖，如果明天有空帮我点寿司",
              "先别买票，我朋友说买两张"]


@pytest.mark.parametrize("text", _NOT_ASKED)
def test_a_later_clause_that_does_not_ask_is_no_task(understander: Understander, text: str) -> None:
    """reread27 H2 on 425934f: a later clause with a condition, reported speech or a maybe made a task."""
    assert understander.understand(text, dt.datetime.combine(dt.date.today(), dt.time(12, 0))).intents == ()


@pytest.mark.parametrize("text", _NOT_ASKED[:3])
async def test_a_later_clause_that_does_not_ask_buys_and_cancels_nothing(home: Path, understander: Understander,
                                                                         text: str) -> None:
    write_profile(home, "DE")
    async with in_memory_partners(home, "EU") as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home),
                              understander=understander, clock=_noon)
        shown = await take_turn(assistant, "order a pizza to the office")
        done = await take_turn(assistant, "yes", shown.conversation_id)
        ordered = [t for t in done.tasks if t.intent == "order_food"]
        said = await take_turn(assistant, text, shown.conversation_id)
        yes = await take_turn(assistant, "yes", shown.conversation_id)
    assert said.tasks == () or all(t.state != TaskState.DONE for t in said.tasks), said.text
    assert [t.state for t in yes.tasks if t.state == TaskState.DONE and t.id != ordered[0].id] == [], yes.text
    assert assistant.journal.task(ordered[0].id).state == TaskState.DONE, yes.text


_YES = {"EN": "yes", "DE": "ja", "CN": "好的"}


@pytest.mark.parametrize(("lang", "text"), [("EN", "cancel the pizza, not the cinema tickets"),
                                            ("DE", "storniere nicht die Kinokarten, sondern die Pizza"),
                                            ("CN", "电影票不取消，取消外卖"),
                                            # reread28 H1: each cancelled the cinema tickets at 76fffbb
                                            ("DE", "storniere die Kinokarten nicht"),
                                            ("DE", "storniere die Pizza, die Kinokarten nicht"),
                                            ("CN", "取消外卖,电影票别动"),
                                            ("EN", "cancel the pizza instead of the cinema tickets"),
                                            ("EN", "no pizza for me after all, cancel the order")])
async def test_the_order_a_clause_declines_is_never_cancelled(home: Path, understander: Understander, lang: str,
                                                              text: str) -> None:
    """review27 P27-5 (HIGH): after a food order and a cinema order, each + yes cancelled the cinema tickets (zh:
    both orders) at eda177e with the learned tier."""
    async with talking(home, lang, understander) as (assistant, _):
        conversation, ordered = await placed(assistant, lang)
        tickets = [t for t in ordered if t.intent == "buy_movie_tickets"]
        said = await take_turn(assistant, text, conversation)
        done = await take_turn(assistant, _YES[lang], conversation)
    assert [t.intent for t in done.tasks if t.state == TaskState.DONE] in ([], ["cancel_food_order"]), done.text
    assert assistant.journal.task(tickets[0].id).state == TaskState.DONE, (said.text, done.text)


@pytest.mark.parametrize(("lang", "text"), [("EN", "cancel everything except the pizza"),
                                            ("EN", "apart from the pizza, cancel my orders"),
                                            ("EN", "cancel all my orders but the pizza"),  # pizza: 680efeb
                                            # review30 R30-2/R30-3: each + yes cancelled the pizza at 680efeb
                                            ("EN", "cancel everything save the pizza"),
                                            ("DE", "lass die Pizza, storniere den Rest"),
                                            ("DE", "storniere alles außer der Pizza"),
                                            ("CN", "除了外卖都取消")])
async def test_the_order_a_sentence_excepts_is_never_cancelled(home: Path, understander: Understander, lang: str,
                                                               text: str) -> None:
    """reread29 H1 (HIGH): after a food order and a cinema order, the first two + yes cancelled the pizza at 75ed8fc:
    the only order the sentence names is the one it keeps (declined.toml ``rather``: "except", "außer", "除了")."""
    async with talking(home, lang, understander) as (assistant, _):
        conversation, ordered = await placed(assistant, lang)
        said = await take_turn(assistant, text, conversation)
        done = await take_turn(assistant, _YES[lang], conversation)
    assert "cancel_food_order" not in [t.intent for t in done.tasks if t.state == TaskState.DONE], done.text
    assert assistant.journal.task(ordered[0].id).state == TaskState.DONE, (said.text, done.text)


@pytest.mark.parametrize(("lang", "text"), [("EN", "it's too late to go to the cinema now, cancel the tickets"),
                                            ("DE", "es ist zu spät fürs Kino, storniere die Karten")])
async def test_a_cancellation_of_a_kind_the_user_has_no_order_of_cancels_nothing(
        home: Path, understander: Understander, lang: str, text: str) -> None:
    """reread29 H3 (HIGH): with only a food order, each + yes cancelled the pizza at da4b571 (the kinds a sentence
    names counted only where the user had orders of them)."""
    async with talking(home, lang, understander) as (assistant, _):
        conversation, ordered = await placed(assistant, lang, ("food",))
        said = await take_turn(assistant, text, conversation)
        done = await take_turn(assistant, _YES[lang], conversation)
    assert "cancel_food_order" not in [t.intent for t in done.tasks if t.state == TaskState.DONE], done.text
    assert [assistant.journal.task(t.id).state for t in ordered] == [TaskState.DONE], (said.text, done.text)


@pytest.mark.parametrize(("lang", "text"), [("EN", "not the pizza, the cinema tickets: cancel them"),
                                            ("DE", "nicht die Pizza, die Kinokarten: storniere sie"),
                                            ("CN", "不是外卖，是电影票，取消吧")])
async def test_a_correction_of_the_thing_cancels_only_the_later_one(home: Path, understander: Understander,
                                                                    lang: str, text: str) -> None:
    """"not X, Y: cancel": the yes cancels Y, the order named later, and never X (a guard for the correction reading:
    the EN and CN rows already cancelled only the tickets at 680efeb)."""
    async with talking(home, lang, understander) as (assistant, _):
        conversation, ordered = await placed(assistant, lang)
        said = await take_turn(assistant, text, conversation)
        done = await take_turn(assistant, _YES[lang], conversation)
    states = {t.intent: assistant.journal.task(t.id).state for t in ordered}
    assert [t.intent for t in done.tasks if t.state == TaskState.DONE] == ["cancel_movie_tickets"], (said.text,
                                                                                                      done.text)
    assert states["order_food"] == TaskState.DONE, (said.text, done.text)


@pytest.mark.parametrize(("lang", "text"), [("EN", "don't bother cancelling the pizza"),
                                            ("EN", "you needn't cancel the pizza"),
                                            ("EN", "cancel everything but the pizza"),
                                            # review30 R30-12: a thing no partner sells
                                            ("DE", "storniere das Hotel"), ("DE", "storniere das Abo")])
async def test_a_pizza_the_sentence_keeps_is_never_cancelled(home: Path, understander: Understander, lang: str,
                                                             text: str) -> None:
    """review30 R30-2/R30-3 (HIGH): with only a pizza ordered, each + yes cancelled it at 680efeb ("cancelling": the
    gerund's consonant doubled; "needn't"; "but" after "everything" excepts)."""
    async with talking(home, lang, understander) as (assistant, _):
        conversation, ordered = await placed(assistant, lang, ("food",))
        said = await take_turn(assistant, text, conversation)
        done = await take_turn(assistant, _YES[lang], conversation)
    assert assistant.journal.task(ordered[0].id).state == TaskState.DONE, (said.text, done.text)
    assert not [t for t in done.tasks if t.state == TaskState.DONE], done.text
