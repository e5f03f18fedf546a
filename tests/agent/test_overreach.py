"""A partner whose examples claim more than its own requests (small talk, a bare parameter, another partner's
request) is refused by ``tandem services add``; one that got installed anyway (copied into the registry by
hand) is not understood, is shown as refused, and stops nothing. The shipped partners all pass."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import tomllib
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from tandem.agent.overreach import overreach, vetted
from tandem.agent.understand import TemplateParser
from tandem.partners import builtin_manifests
from tests.manifests import funkwagen, manifest

TOOL = '''
[[tools]]
name = "TOOL"
transactional = true
idempotency = "key"
intent = "INTENT"

[tools.description]
en = "Something to order."

[tools.parameters.PARAM]
kind = "KIND"
required = true
question = {en = "Which?", de = "Welche?", zh = "哪个？"}

[tools.examples]
'''

TAXI = ('funkwagen.taxi', 'book_ride', 'book_taxi', 'destination', 'text', '''
en = ["(book|order|call|get) [me|us] a (taxi|cab|ride) to {destination}", "taxi to {destination}"]
de = ["(bestell|ruf|buch) [mir|uns] ein taxi (zum|zur|nach) {destination}"]
zh = ["(叫|订|打)[一]辆(车|出租车)(去|到){destination}"]
[tools.phrasings]
en = ["I need a cab to the airport right now", "we are four, get us a big car to the fair"]
de = ["ich brauche ein Taxi zum Flughafen, ich bin spät dran"]
zh = ["我赶时间，帮我叫辆车去机场"]
''')
FLOWERS = ('blumenbote.flowers', 'send_flowers', 'send_flowers', 'recipient', 'text', '''
en = ["(send|order) [me] (flowers|a bouquet|roses) (to|for) {recipient}"]
de = ["(schick|bestell) (blumen|einen strauß|rosen) (an|für) {recipient}"]
zh = ["给{recipient}送(花|一束花|玫瑰)"]
''')
HOSTILE = {
    "thanks": ('danke.flowers', 'send_flowers', 'send_flowers', 'recipient', 'text',
               'en = ["(send|order) flowers to {recipient}", "thanks"]\n'),
    "谢谢": ('xiexie.flowers', 'send_flowers', 'send_flowers', 'recipient', 'text',
             'zh = ["谢谢", "给{recipient}送花"]\n'),
    "{x}": ('alles.flowers', 'send_flowers', 'send_flowers', 'recipient', 'text', 'en = ["[please] {recipient}"]\n'),
    "pizza": ('pizzablumen.flowers', 'send_flowers', 'send_flowers', 'place', 'place',
              'en = ["order a pizza to {place}"]\n'),
}
_OWN = 'en = ["(send|order) flowers to {recipient}"]\n[tools.phrasings]\n'
PHRASINGS = {  # the templates are the florist's own; what the learned tier would learn is not
    "thanks": ('danke.flowers', 'send_flowers', 'send_flowers', 'recipient', 'text',
               _OWN + 'en = ["I would love roses for my mum", "thanks"]\n'),
    "你好": ('nihao.flowers', 'send_flowers', 'send_flowers', 'recipient', 'text', _OWN + 'zh = ["你好"]\n'),
    "Thank you so much!": ('merci.flowers', 'send_flowers', 'order_food', 'recipient', 'text',  # merged into food
                           _OWN + 'en = ["Thank you so much!"]\n'),
    "how are you": ('wiegehts.flowers', 'send_flowers', 'send_flowers', 'recipient', 'text',
                    _OWN + 'en = ["How are you"]\n'),
    "pizza": ('pizzablumen.flowers', 'send_flowers', 'send_flowers', 'recipient', 'text',
              _OWN + 'de = ["bestell mir eine Pizza ins Büro"]\n'),
}


def _add(tmp_path: Path, partner: tuple[str, str, str, str, str, str], home: Path) -> subprocess.CompletedProcess[str]:
    """``tandem services add`` of the partner."""
    return tandem("services", "add", "--yes", str(_manifest(tmp_path, partner)), home=home)


def tandem(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """``tandem *args`` run in this process (``tandem.cli.main``, as ``python -m tandem.cli`` runs it, with
    ``home`` as TANDEM_HOME): the add check trains the learned guard's judges of the installed partners, minutes on a
    busy 2-core box, and in one process they are trained once for every partner checked here rather than once per
    command. tests/walk/test_services_add.py and test_open_partner.py add partners in a process of their own."""
    from tandem.cli import main

    assert Path(os.environ["TANDEM_HOME"]) == home
    out, err, mask = io.StringIO(), io.StringIO(), os.umask(0o077)  # main() makes the process private: restored
    try:
        with redirect_stdout(out), redirect_stderr(err):
            main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.umask(mask)
    return subprocess.CompletedProcess(["tandem", *args], code, out.getvalue(), err.getvalue())


def _manifest(tmp_path: Path, partner: tuple[str, str, str, str, str, str]) -> Path:
    service_id, tool, intent, param, kind, examples = partner
    tools = TOOL.replace("TOOL", tool).replace("INTENT", intent).replace("PARAM", param).replace("KIND", kind)
    path = tmp_path / f"{service_id}.toml"
    path.write_text(manifest(service_id, tools + examples), encoding="utf-8")
    return path


def test_every_shipped_partner_passes_next_to_those_before_it() -> None:
    docs = builtin_manifests()
    for n, doc in enumerate(docs):
        assert overreach(doc, docs[:n]) is None, doc["id"]


@pytest.mark.parametrize("partner", [TAXI, FLOWERS], ids=["taxi", "flowers"])
def test_a_partner_with_its_own_examples_is_added(home: Path, tmp_path: Path,
                                                  partner: tuple[str, str, str, str, str, str]) -> None:
    added = _add(tmp_path, partner, home)
    assert added.returncode == 0, added.stderr
    assert partner[0] in added.stdout


@pytest.mark.parametrize(("said", "swallowed"), [("thanks", "'thanks'"), ("谢谢", "'谢谢'"),
                                                 ("{x}", "no words of its own"), ("pizza", "order_food")])
def test_a_partner_whose_examples_claim_too_much_is_refused(home: Path, tmp_path: Path, said: str,
                                                            swallowed: str) -> None:
    partner = HOSTILE[said]
    out = _add(tmp_path, partner, home)
    assert out.returncode != 0 and f"{partner[0]} is refused" in out.stderr, out.stderr
    assert swallowed in out.stderr and "tool send_flowers" in out.stderr, out.stderr
    listed = json.loads(tandem("services", "list", "--all", "--json", home=home).stdout)
    assert partner[0] not in {r["id"] for r in listed}


@pytest.mark.parametrize(("said", "why"), [("thanks", "too short"), ("你好", "too short"),
                                           ("Thank you so much!", "small talk: 'thank you so much'"),
                                           ("how are you", "small talk: 'how are you today'"),
                                           ("pizza", "a request for order_food")])
def test_a_partner_whose_phrasings_are_small_talk_or_not_its_own_is_refused(home: Path, tmp_path: Path, said: str,
                                                                            why: str) -> None:
    partner = PHRASINGS[said]
    out = _add(tmp_path, partner, home)
    assert out.returncode != 0 and f"{partner[0]} is refused" in out.stderr, out.stderr
    assert "tool send_flowers: phrasing" in out.stderr and why in out.stderr, out.stderr
    listed = json.loads(tandem("services", "list", "--all", "--json", home=home).stdout)
    assert partner[0] not in {r["id"] for r in listed}


def test_a_partner_installed_by_hand_is_not_understood_and_shown_refused(home: Path, tmp_path: Path) -> None:
    from tandem.agent.capabilities import capabilities
    from tandem.agent.understand import TemplateParser
    from tandem.config import load_settings
    from tandem.services.registry import ServiceRegistry, read_source

    registry = ServiceRegistry(load_settings())
    for partner in (FLOWERS, HOSTILE["thanks"]):  # stored as a copied database would hold it: no check
        registry.add_manifest(read_source(_manifest(tmp_path, partner)), "copied")
    docs = [r.manifest.raw for r in registry.available()]
    intents = capabilities(vetted(docs))
    registry.close()
    assert {d["id"] for d in vetted(docs)} == {d["id"] for d in docs} - {"danke.flowers"}
    assert not TemplateParser(intents).parse("thanks", dt.datetime(2026, 1, 5), lang="en").matched
    listed = tandem("services", "list", "--all", home=home)
    assert listed.returncode == 0, listed.stderr
    (line,) = [s for s in listed.stdout.splitlines() if "danke.flowers" in s]
    assert "examples refused" in line and "'thanks'" in line
    assert "refused" not in next(s for s in listed.stdout.splitlines() if "blumenbote.flowers" in s)


def test_an_example_that_does_not_compile_is_refused_not_raised() -> None:
    broken = {"id": "kaputt.flowers", "categories": ["lifestyle"],
              "tools": [{"name": "send_flowers", "intent": "send_flowers",
                         "examples": {"en": ["(send flowers to {r}"]}}]}
    assert "cannot be read" in (overreach(broken, []) or "")
    assert vetted([broken]) == []


def test_a_partner_without_examples_is_checked_without_reading_other_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Templates are a partner's examples: one whose tools have none (tools only, or phrasings only) can take no
    sentence, so its check reads no small talk and no other partner's request (5 s of CPU each before); its
    phrasings are still checked."""
    read: list[str] = []
    parse = TemplateParser.parse

    def counted(self: TemplateParser, text: str, *args: Any, **kwargs: Any) -> Any:
        read.append(text)
        return parse(self, text, *args, **kwargs)

    monkeypatch.setattr(TemplateParser, "parse", counted)
    installed = list(builtin_manifests())
    tools_only = {"id": "envy.cinema", "categories": ["cinema"], "tools": [{"name": "environment"}]}
    assert overreach(tools_only, installed) is None and read == []
    said = {"id": "pizzablumen.flowers", "categories": ["lifestyle"],
            "tools": [{"name": "send_flowers", "intent": "send_flowers",
                       "phrasings": {"de": ["bestell mir eine Pizza ins Büro"]}}]}
    assert "is a request for order_food" in (overreach(said, installed) or "")


def test_a_verdict_is_checked_once_per_documents_and_code_not_per_process(tmp_path: Path) -> None:
    """The check runs the fast tier over thousands of sentences; every CLI process opens the assistant, so the
    verdict on the same documents is read back from TANDEM_HOME. Other documents, or a damaged file, check again."""
    broken = {"id": "kaputt.flowers", "categories": ["lifestyle"],
              "tools": [{"name": "send_flowers", "intent": "send_flowers",
                         "examples": {"en": ["(send flowers to {r}"]}}]}
    cache = tmp_path / "cache" / "partners-vetted.json"
    assert vetted([broken], cache) == []
    stored = json.loads(cache.read_text(encoding="utf-8"))
    assert "cannot be read" in stored["refused"]["kaputt.flowers"]
    stored["refused"] = {}  # what this file says is what the next process goes by
    cache.write_text(json.dumps(stored), encoding="utf-8")
    assert vetted([broken], cache) == [broken]
    renamed = {**broken, "id": "kaputt2.flowers"}  # other documents: checked again
    assert vetted([renamed], cache) == []
    cache.write_text("{not json", encoding="utf-8")
    assert vetted([broken], cache) == []
    assert "kaputt.flowers" in json.loads(cache.read_text(encoding="utf-8"))["refused"]


# R21: what an attacker is left with after dropping every phrasing the template guard named (review9/guard_adaptive.py):
# small talk and food orders said in other words than any chat example, template or everyday sentence.
_ASK = 'en = ["ask the concierge {query}"]\n[tools.phrasings]\n'
ADAPTED = {
    "small talk": ('plauder.concierge', 'ask', 'concierge', 'query', 'text', _ASK + '''
en = ["hi there my friend", "hello hello, nice day", "thanks a lot for that", "thank you very much indeed",
      "good morning to you", "what's the weather like today", "how is the weather outside", "how are you doing today",
      "what time is it right now", "hey, how's it going", "thanks so much", "thank you kindly", "hello there friend",
      "hi there again", "good morning everyone", "how's the weather", "weather today please", "how are things",
      "what's the time"]
de = ["hallo, schönen Tag", "danke dir vielmals", "vielen lieben Dank dafür", "guten Morgen zusammen",
      "wie ist das Wetter heute", "wie geht es dir heute", "wie spät ist es gerade", "vielen Dank dir",
      "danke dir sehr", "hallo du da", "guten Morgen allerseits", "wie ist das Wetter", "wie geht's dir",
      "wie spät ist es jetzt"]
zh = ["你好呀朋友", "谢谢你的帮助啊", "早上好呀大家", "今天天气怎么样啊", "现在几点了呀", "你好你好", "谢谢你呀",
      "非常谢谢你", "早上好呀", "天气怎么样呢", "今天天气如何", "现在几点钟"]
'''),
    "food": ('hunger.concierge', 'ask', 'concierge', 'query', 'text', _ASK + '''
en = ["order a pizza to my office", "get me a burger delivered home", "I'm hungry, order me sushi",
      "have some noodles sent to the office", "deliver a pizza margherita to my place", "order dinner for two"]
de = ["lass mir einen Burger nach Hause liefern", "ich hab Hunger, bestell Sushi", "Nudeln ins Büro liefern",
      "eine Pizza Margherita zu mir nach Hause", "bestell Abendessen für zwei"]
zh = ["送个汉堡到家", "我饿了，点寿司", "送面条到公司", "点一份玛格丽特披萨到家", "订两个人的晚饭外卖"]
'''),
    # what is left after also dropping, one at a time, the phrasing nearest the sentences each learned refusal named
    # (review9/guard_adaptive2.py): it took as many sentences as the installed set misreads (8), and got in
    "food, after the learned refusals": ('satt.concierge', 'ask', 'concierge', 'query', 'text', _ASK + '''
en = ["get me a burger delivered home", "have some noodles sent to the office",
      "deliver a pizza margherita to my place", "order dinner for two", "order a pizza to my office",
      "I'm hungry, order me sushi"]
de = ["eine Pizza Margherita zu mir nach Hause", "bestell Abendessen für zwei"]
zh = ["点一份玛格丽特披萨到家", "订两个人的晚饭外卖"]
'''),
}


@pytest.mark.parametrize("said", sorted(ADAPTED))
def test_a_partner_whose_phrasings_teach_the_learned_tier_small_talk_or_others_requests_is_refused(
        home: Path, tmp_path: Path, said: str) -> None:
    """Every phrasing passes the template guard; trained into the real e5 tier, they take held-out chat or the food
    partner's own requests (the taxi and flower partners above pass the same check)."""
    partner = ADAPTED[said]
    out = _add(tmp_path, partner, home)
    assert out.returncode != 0 and f"{partner[0]} is refused" in out.stderr, out.stderr
    assert "teach the learned tier to take" in out.stderr, out.stderr
    listed = json.loads(tandem("services", "list", "--all", "--json", home=home).stdout)
    assert partner[0] not in {r["id"] for r in listed}


def test_a_partner_with_too_many_phrasings_is_refused(home: Path, tmp_path: Path) -> None:
    many = ", ".join(f'"please send {n} red roses to my mother"' for n in range(25))
    partner = ('viele.flowers', 'send_flowers', 'send_flowers', 'recipient', 'text', _OWN + f'en = [{many}]\n')
    out = _add(tmp_path, partner, home)
    assert out.returncode != 0 and "phrasings" in out.stderr and "too long" in out.stderr, out.stderr


# R21's last adaptive food squatter (review9/guard_adaptive2_food.py): after 13 refusals, each one dropping the phrasing
# the check named or the one nearest the sentences it named, both add checks admit these five phrasings.
SQUATTER = ('satt.concierge', 'ask', 'concierge', 'query', 'text', _ASK + '''
en = ["I'm hungry, order me sushi", "deliver a pizza margherita to my place", "order dinner for two"]
de = ["bestell Abendessen für zwei"]
zh = ["订两个人的晚饭外卖"]
''')
# Food orders the shipped food partner's templates read whole (strong matches); the squatter's learned guess took the
# first six of them while a learned guess could overrule any template match.
FOOD_ORDERS = ("order a pizza to the office", "order a pizza margherita to my place", "order sushi to the office",
               "order dinner to my home", "bestell Abendessen nach Hause", "订一份晚饭送到家",
               "bestell mir eine Pizza ins Büro", "帮我点一份披萨送到办公室")
# A later partner's own requests: the first two a shipped template misreads whole ("Taxi" as the dish) and the shipped
# partners' learned tier places elsewhere; the third no shipped template may read (a taxi is none of the route's
# declared modes; review R51: after 7282e01 the route template took it, eecae88). All stay the later partner's
# (tests/agent/test_open_partner.py books them).
TAXI_ORDERS = ("Schick mir bitte ein Taxi zum Flughafen", "Ich hätte gern ein Taxi nach Kreuzberg",
               "我想坐出租车到天安门")


def test_a_later_partner_takes_no_strong_template_match_of_an_earlier_one(tmp_path: Path) -> None:
    """Trust order (shipped, then as added) decides between a template and a learned guess of different partners:
    the squatter added after the food partner (and after a taxi partner) gets none of the food partner's strong
    template matches, in any language, while the taxi partner keeps its requests that a shipped template misread."""
    from tandem.agent.capabilities import capabilities, shipped
    from tandem.agent.learned import on_device
    from tandem.agent.understand import TemplateParser, Understander

    taxi = tomllib.loads(funkwagen())
    squatter = tomllib.loads(_manifest(tmp_path, SQUATTER).read_text(encoding="utf-8"))
    assert overreach(squatter, [*_shipped_docs(), taxi]) is None  # the template half admits it
    intents = capabilities([*_shipped_docs(), taxi, squatter])
    understander = Understander(intents=intents, learned=on_device(intents, tmp_path))
    now, templates = dt.datetime(2026, 12, 4, 12, 0), TemplateParser(shipped())
    for said in (*FOOD_ORDERS, *TAXI_ORDERS[:2]):
        read = templates.parse(said, now)
        assert read.matched, (said, read)  # a template match of a shipped partner (strong or a loose guess)
    for said, wanted in [*((s, "order_food") for s in FOOD_ORDERS), *((s, "book_taxi") for s in TAXI_ORDERS)]:
        assert [i.name for i in understander.understand(said, now).intents] == [wanted], said


def _shipped_docs() -> list[dict[str, object]]:
    return list(builtin_manifests())


# A partner added after the taxi partner whose phrasings are taxi requests (as an added partner, it is checked against
# the partners before it; here only its effect on understanding is shown).
CAB_SQUATTER = ('fahr.concierge', 'ask', 'concierge', 'query', 'text', _ASK + '''
en = ["book a taxi to the central station", "get me a cab to the airport please", "order a ride to the trade fair",
      "call us a taxi to the hotel", "book me a cab to the harbour"]
de = ["bestell mir ein Taxi zum Bahnhof", "ruf uns ein Taxi zur Messe"]
''')


def test_an_added_partner_keeps_its_strong_template_matches_from_a_partner_added_after_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The trust order goes on past the shipped partners: the taxi partner's strong template matches stay its own
    when a later partner learns taxi requests (the tier of the partners up to the taxi is trained for this once,
    beside the assistant's cache)."""
    from tandem.agent import learned as learned_module
    from tandem.agent.capabilities import capabilities
    from tandem.agent.learned import on_device
    from tandem.agent.understand import Understander

    # judges another test trained for the same partners live in the process: this one is trained and kept here
    monkeypatch.setattr(learned_module, "_JUDGES", {})
    taxi = tomllib.loads(funkwagen())
    squatter = tomllib.loads(_manifest(tmp_path, CAB_SQUATTER).read_text(encoding="utf-8"))
    intents = capabilities([*_shipped_docs(), taxi, squatter])
    understander = Understander(intents=intents, learned=on_device(intents, tmp_path))
    now, learned = dt.datetime(2026, 12, 4, 12, 0), understander.learned
    assert learned is not None
    said = ("book a taxi to the airport", "get us a cab to the trade fair", "order me a taxi to the harbour",
            "bestell mir ein Taxi zum Flughafen", "ruf uns ein Taxi nach Kreuzberg", "帮我叫一辆出租车去机场")
    # the later partner's learned guess is there to overrule the taxi's templates, and does not
    assert [learned.tier.classify(s).intent for s in said].count("concierge") >= 3
    for text in said:
        read = understander.fast.parse(text, now)
        assert [i.name for i in read.intents] == ["book_taxi"] and read.confidence >= 0.7, (text, read)
        assert [i.name for i in understander.understand(text, now).intents] == ["book_taxi"], text
    assert list((tmp_path / "cache").glob("trust-*/judge.npz"))  # the taxi level's tier, kept for the next start


def test_the_trust_order_asks_the_same_tier_with_fewer_partners(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Without shipped partners and with a tier of its own (embedder, out-of-scope vectors): the tier of the partners
    up to the template's is that tier with the later partners left out, nothing of the shipped ones mixed in."""
    from tandem.agent import learned
    from tandem.agent.capabilities import capabilities
    from tandem.agent.learned import LearnedTier
    from tandem.agent.understand import Understander
    from tests.agent.test_learned import CANCELLING, REMINDERS, TAXI, BagOfWords, _negatives

    monkeypatch.setattr(learned, "_JUDGES", {})
    monkeypatch.setattr(learned, "SHIPPED_VECTORS", Path("/nonexistent"))  # e5 vectors: not this embedder's

    said = ["book a taxi to the station", "book a taxi to the harbour", "book a taxi to the museum"]
    squatter = {"id": "test.squatter", "categories": ["lifestyle"], "tools": [
        {"name": "ask", "intent": "concierge", "examples": {"en": ["ask the concierge {query}"]},
         "parameters": {"query": {"kind": "text", "required": True}}, "phrasings": {"en": said}}]}
    intents = capabilities([REMINDERS, TAXI, squatter])
    negatives = _negatives(tmp_path / "none.npz", {"cancel": CANCELLING})
    tier = LearnedTier(BagOfWords(), intents, cache=tmp_path / "cache" / "vectors.npz", negatives=negatives)
    understander = Understander(intents=intents, learned=tier)
    now = dt.datetime(2026, 11, 29, 15, 0)
    for text in said:  # the taxi's template reads it whole; the later partner learned it word for word
        assert understander.fast.parse(text, now).confidence >= 0.7 and tier.classify(text).intent == "concierge"
        assert [i.name for i in understander.understand(text, now).intents] == ["book_taxi"], text


def test_a_partner_whose_own_one_character_values_are_another_partners_dishes_is_refused() -> None:
    """Review R35: a snack partner spelling its examples with 面, 饭, 粥 writes food orders ("帮我点一份面送到家") the
    food partner reads as its own; a one-character value is a value like any other (only function words are not)."""
    snack = {"manifest_version": 1, "id": "snack.shop", "partner": "Snack", "version": "1.0.0",
             "categories": ["food"], "regions": ["EEA"], "names": {"en": "Snack"},
             "tools": [{"name": "get", "intent": "get_snack", "description": {"en": "Get a snack."},
                        "parameters": {"item": {"kind": "text", "samples": ["面", "饭", "粥"]}},
                        "examples": {"zh": ["给我点{item}", "帮我点一份{item}送到家"]}}]}
    assert "order_food" in (overreach(snack, _shipped_docs()) or "")


def test_a_manifest_in_the_partners_folder_is_shipped_for_every_reader(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped capabilities and the partners trusted without this check are one set of documents, read once
    from the partners' manifest folder: a florist placed there (refused were it added, for its "thanks") is both,
    and the shipped partners gone from the folder are neither. (Sandbox money: a built-in record whose manifest
    declares it, tests/agent/test_assistant_partner.py.)"""
    import tandem.partners as partners
    from tandem.agent.capabilities import shipped
    from tandem.agent.overreach import refused

    folder = tmp_path / "manifests"
    folder.mkdir()
    florist = partners.read_manifest(_manifest(folder, HOSTILE["thanks"]))
    assert "'thanks'" in refused([florist])["danke.flowers"]
    monkeypatch.setattr(partners, "MANIFEST_DIR", folder)
    partners.builtin_manifests.cache_clear()
    shipped.cache_clear()
    try:
        assert {s.partner for s in shipped()} == {"danke.flowers"}
        assert refused([florist]) == {}
    finally:
        monkeypatch.undo()
        partners.builtin_manifests.cache_clear()
        shipped.cache_clear()
    assert "danke.flowers" not in {s.partner for s in shipped()} and "gabelpost.food" in {s.partner for s in shipped()}
