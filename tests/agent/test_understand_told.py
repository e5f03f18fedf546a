"""A sentence that tells what happened or how one feels is no task; any clause of it that asks for an act keeps it a
request (tandem.agent.told, told.toml). The form's own requests are written here: past context or a feeling before a
request joined by "so", "-", "und", a comma, or a Chinese verb at the end (review R22-2)."""

from __future__ import annotations

import pytest

from tandem.agent.capabilities import shipped
from tandem.agent.learned import asks, familiar
from tandem.agent.slots import detect_language
from tandem.agent.told import asks_for, plain_clauses, told


def _told(text: str) -> bool:
    lang = detect_language(text)
    return told(text, lang, familiar(shipped(), lang)[0], lambda clause: asks(clause, lang))


# Requests after past context or a feeling, each a task of a shipped capability at the commit before told.py.
REQUESTS = [
    "I missed the physio yesterday so put a new appointment on Friday at 10 in my calendar",
    "I forgot to pay the rent yesterday - remind me tomorrow at 9 to pay it",
    "Ugh I'm starving, order a burrito to my place",
    "Yesterday I bought concert tickets for the Coldplay show and now I can't go, refund them",
    "I forgot my mum's birthday last year so remind me on May 3 to call her",
    "ugh, I hate cooking, order me a pizza",
    "last week I missed the dentist, add a new appointment for Tuesday at 9",
    "I booked tickets for Oppenheimer yesterday and I want to cancel them",
    "I lost my keys yesterday so note that the spare key is at Anna's",
    "I hate being late, set a reminder for 7 tomorrow to leave early",
    "I hate cooking so get me a margherita to the office",
    "I ordered a lamp last week, where is it",
    "ugh, I'm starving, two pizzas to my place",
    "Ich hasse Kochen, bestell mir eine Pizza ins Büro",
    "Ich hab gestern meinen Schlüssel verloren, notier dass der Ersatz bei Oma liegt",
    "Ich hab gestern den Zahnarzt verpasst, also trag mir einen neuen Termin am Freitag um 10 ein",
    "Ich hab letzte Woche Karten für Dune gekauft und möchte sie stornieren",
    "Gestern hab ich vergessen die Miete zu zahlen - erinnere mich morgen um 9 daran",
    "Ich hasse Warteschlangen, hol mir zwei Kinokarten für Dune heute um 20 Uhr",
    "Letztes Jahr hab ich den Geburtstag meiner Mutter vergessen, erinnere mich am 3. Mai daran",
    "Ich hab letzte Woche einen Toaster bestellt, wo ist der",
    "Ich hab gestern Kinokarten gekauft, zeig sie mir",
    "Nervt mich, dass ich immer vergesse, erinnere mich morgen um 8 an die Tabletten",
    "Ich habe gestern die Miete vergessen, Erinnerung morgen um 9 Miete zahlen",
    "Ich bin gestern umgezogen, bitte notier die neue Adresse Hauptstraße 5",
    "我昨天订的电影票取消掉",
    "我昨天买的演唱会门票退了吧",
    "我讨厌做饭，给我点个披萨送到公司",
    "我上周订的电影票退掉",
    "昨天忘了交房租，明天早上九点提醒我交房租",
    "我去年错过了周杰伦的演唱会，这次帮我买两张票",
    "烦死了，给我点一份宫保鸡丁",
    "昨天看的那部电影太好看了，再订两张今晚沙丘的票",
    "昨天我把钥匙弄丢了，记一下备用钥匙在妈妈家",
    "我讨厌排队，两张今晚沙丘的电影票",
    "上次那家的宫保鸡丁再来一份",
    "上周买的耳机还没到，帮我查一下",
]


@pytest.mark.parametrize("text", REQUESTS)
def test_a_request_after_what_happened_or_a_feeling_is_no_telling(text: str) -> None:
    """Each of these says what to do in one of its clauses (an imperative after "so", "-", "und" or a comma, a plea
    word, a count, a time still to come, a Chinese verb at the end): none is taken as told, so none loses its task."""
    assert asks_for(text, detect_language(text), familiar(shipped(), detect_language(text))[0])
    assert not _told(text)


TOLD = [
    "Ich hab gestern das Fußballspiel verpasst, echt schade.", "I hate waiting in line at the post office",
    "We went to the lake yesterday, it was lovely", "Letzte Woche war ich im Theater, das Stück war zäh.",
    "昨天的火锅太辣了，受不了", "上次买的台灯质量真差，太失望了", "ugh, my neighbours were so loud last night",
    "Neulich hab ich meine Brille im Kino vergessen, so ärgerlich", "ugh, the pizza place messed up my order again",
    "I ordered sushi yesterday and it was cold, terrible", "我上周买的电影票太贵了，真烦",
]


@pytest.mark.parametrize("text", TOLD)
def test_what_happened_or_a_feeling_without_a_request_is_told(text: str) -> None:
    assert _told(text)


@pytest.mark.parametrize("text", ["I hate waiting in line, can you book me two tickets for Dune?",
                                  "ugh, last night was long. what's on my calendar today?", "昨天的外卖怎么还没到？"])
def test_a_question_is_never_told(text: str) -> None:
    """A sentence that asks (a question mark, or a clause opening with a question word) is no telling."""
    assert not _told(text)


def test_a_language_without_words_tells_nothing() -> None:
    assert asks_for("ayer perdí el concierto, qué pena", "es")
    assert not told("ayer perdí el concierto, qué pena", "es")


@pytest.mark.parametrize(("text", "lang", "plain"), [
    ("Ich hasse Kochen, Pizza ins Büro", "de", ["Pizza ins Büro"]), ("I hate cooking, pizza to the office", "en",
                                                                     ["pizza to the office"]),
    ("ugh the shop keeps sending me spam", "en", []), ("Ich hab das Spiel gestern verpasst, schade", "de", [])])
def test_the_clauses_that_tell_nothing_are_left_for_the_learned_tier(text: str, lang: str, plain: list[str]) -> None:
    """A clause with no word of the past or a feeling (a filler that is one counts) that does not open with the
    speaker may be a request said without a verb: the learned tier reads it alone (LearnedTier.tells)."""
    assert plain_clauses(text, lang) == plain
