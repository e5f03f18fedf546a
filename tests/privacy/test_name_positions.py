"""A first name that is a word too ("Can", "Will", "Mark", "Lan", "Mai") is a person by its place in the sentence
(``privacy.subjects``), wherever the language puts a clause's subject: reread29 M4 — "Morgen kommt Can vorbei"
(German main clause, verb second), "Obwohl Can krank ist" and "Seit Can hier arbeitet" (verb last) went to the cloud
as written at 680efeb. English and Chinese analogues: "Although Can is sick", "Tomorrow Can will come by",
"明天Can会来"."""

from __future__ import annotations

import re

import pytest

from tandem.privacy.names import ProperNounDetector
from tandem.privacy.pseudonymize import Vault, analyse, redact
from tandem.router.wiring import egress_detector, fast_detector
from tandem.types import ChatRequest, Message

EGRESS = egress_detector(fast_detector("DE"))


def _sent(text: str) -> str:
    request = ChatRequest(messages=(Message("user", text),))
    return redact(request, analyse(request, EGRESS), Vault()).request.messages[0].content or ""


@pytest.mark.parametrize(("text", "given"), [
    # German main clause with something else first: the subject right after the finite verb
    ("Morgen kommt Can vorbei.", "Can"), ("Heute ruft Will an.", "Will"), ("Gestern hat Mark angerufen.", "Mark"),
    ("Vielleicht kommt Mai auch.", "Mai"), ("Am Abend holte Lan die Kinder ab.", "Lan"),
    ("Kommt Can heute?", "Can"), ("Hat Mark schon angerufen?", "Mark"), ("Wo ist Mark?", "Mark"),
    ("Im Sommer trinkt Grace gern Eistee.", "Grace"),
    # German subordinate clause: the verb last, words between it and the name
    ("Obwohl Can krank ist, kommt er.", "Can"), ("Seit Can hier arbeitet, ist alles besser.", "Can"),
    ("Ich weiß, dass Lan morgen Geburtstag hat.", "Lan"), ("Weil Will heute nicht kann, verschieben wir.", "Will"),
    ("Sag Bescheid, sobald Hope die Unterlagen geschickt hat.", "Hope"),
    ("Ich hoffe, dass Summer bald kommt.", "Summer"),
    # German object: after another form of a verb or a pronoun; listed with a pronoun
    ("Ich rufe Can morgen an.", "Can"), ("Ich treffe Will am Montag.", "Will"), ("Kannst du Mark anrufen?", "Mark"),
    ("Wir besuchen Lan am Wochenende.", "Lan"), ("Hast du Will erreicht?", "Will"), ("Ich liebe Rose.", "Rose"),
    ("Can und ich gehen ins Kino.", "Can"), ("Ich und Can gehen ins Kino.", "Can"),
    # English: after a word opening a clause and before a finite verb; a question's auxiliary before it
    ("Although Can is sick, he is coming.", "Can"), ("Tomorrow Can will come by.", "Can"),
    ("I know that Can works late on Fridays.", "Can"), ("Will Mark come to the party?", "Mark"),
    ("when does Can arrive?", "Can"), ("Tell Can that I am late.", "Can"), ("Remind Can about the dentist.", "Can"),
    ("Please call Can.", "Can"),
    # greeted or thanked by name, owning a thing; after more prepositions a person follows bare
    ("Hallo Can, wie geht es dir?", "Can"), ("Liebe Grace, danke für alles.", "Grace"),
    ("Danke Mark, bis morgen.", "Mark"), ("Can's Auto ist rot.", "Can"), ("Can's car is red.", "Can"),
    ("Wegen Can kommen wir später.", "Can"), ("Trotz Hope gehen wir.", "Hope"),
    # English: listed with a pronoun
    ("Can and I are going to the cinema.", "Can"), ("Book a table for Can and me.", "Can"),
    # greeted with more after the name, after the greeting's comma, signing, speaking, a handle (review30 M-1,
    # R30-6; sent as written at 128c96c)
    ("Hey Can how are you", "Can"), ("Happy birthday Can!", "Can"), ("Hello, Can.", "Can"),
    ("Hello, Can. Are you there?", "Can"), ("Cheers, Can", "Can"), ("Happy birthday, Can!", "Can"),
    ("Thanks Can for the help", "Can"), ("Hallo Can wie geht's?", "Can"), ("Danke Can für alles!", "Can"),
    ("Alles Gute zum Geburtstag Can!", "Can"), ("Viele Grüße\nCan", "Can"), ("Best,\nCan", "Can"),
    ("Bis morgen!\nLiebe Grüße\nMark", "Mark"), ("Liebe Grüße, Can", "Can"), ("Kind regards,\nCan", "Can"),
    ("Thanks,\nCan", "Can"), ("See you soon!\nLove Can", "Can"), ("Bis bald, dein Can", "Can"), ("LG Can", "Can"),
    ("Will: can you send the report?", "Will"), ("@Can please check this", "Can"),
    # English company and the one given or told something; German imperative and its dative (R30-6)
    ("dinner with Can tonight", "Can"), ("the meeting with Can is at 3", "Can"), ("I'll go with Can", "Can"),
    ("send it to Can", "Can"), ("say hi to Can tomorrow", "Can"), ("give Can the keys", "Can"),
    ("Gib Can bitte den Schlüssel.", "Can"), ("Bring Can bitte zum Bahnhof", "Can"), ("Schick Can die Datei", "Can"),
    ("Frag Can bitte, ob er kommt", "Can"), ("Erinnere Can an den Termin", "Can"),
    # thanked after "you", signed after a dash, a modal before a verb, asked where, met (128c96c: sent as written)
    ("Thank you Can!", "Can"), ("Thank you so much, Can!", "Can"), ("Thanks a lot Can", "Can"),
    ("Grüß dich Can", "Can"), ("Your friend,\nCan", "Can"), ("See you soon\n— Can", "Can"), ("-Can", "Can"),
    ("Can is sick today", "Can"), ("Where is Can?", "Can"), ("I'm meeting Can at 5", "Can"),
    ("Tell Can I said hi", "Can"),
    # called by name at the message's end; German "auf", "dir", "hab", a list going on after "und" (fail at b6213ab)
    ("Hope you're well, Can", "Can"), ("Das ist gut so, Mark.", "Mark"), ("Danke dir, Can!", "Can"),
    ("Ich warte auf Can", "Can"), ("Ich hab Can gestern getroffen", "Can"), ("Grüße an Can und die Kinder", "Can"),
    # a code of letters and digits is no product's model before a name (review31 R31-5: sent at 9288cff)
    ("room B12 Will will meet you", "Will"), ("Room 5 Max will come", "Max"),
    # called before a verb of the past, copied, after a verb's particle, after a place's number, closing a sentence of
    # wishes or thanks; a code alone is no model (review31 R31-6, reread31 L-7: sent as written at 6c2a30a)
    ("Sorry Can I forgot", "Can"), ("Sorry Can I'm late", "Can"), ("Sorry Can I missed your call", "Can"),
    ("cc Can", "Can"), ("FYI: Can and Mark", "Can"), ("Pick up Can from school", "Can"),
    ("Please take care of Can tonight", "Can"), ("Zimmer 5 Max kommt später", "Max"), ("In Halle 3 Max wartet", "Max"),
    ("Room 5 Can is waiting", "Can"), ("See you at Gate B12 Will", "Will"), ("Welcome back Can", "Can"),
    ("Thanks for everything Can!", "Can"), ("Welcome back Can, we missed you", "Can"), ("Get well soon Can", "Can"),
    ("Danke für alles Can", "Can"), ("Willkommen zurück Can", "Can"), ("Schönes Wochenende Can", "Can"),
    ("Cheers mate, Can", "Can"),
    # saying who one is or who speaks; one more of a list with a name found
    ("Hi all, Can here", "Can"), ("Can hier, ruf mich zurück", "Can"), ("Will speaking.", "Will"), ("I'm Can", "Can"),
    ("call me Can", "Can"), ("Ich bin Can", "Can"), ("Can & Mark", "Can"),
    # a message's header or sender, called first, presented ("It's Can")
    ("From: Can", "Can"), ("An: Can", "Can"), ("signed, Can", "Can"), ("Message from Can: running late", "Can"),
    ("Can, can you call me?", "Can"), ("Will, are you coming?", "Will"), ("Can, kannst du mich anrufen?", "Can"),
    ("hey it's Can", "Can"), ("That's Will!", "Will"),
    # first names listed before a verb of theirs; a month saying who one is (review32 R32-10: sent at 2d5bb64)
    ("Will, Can and May are coming", "Will"), ("Will, Can and May are coming", "May"),
    ("Will, Can, and May were here", "Can"), ("Can and May are coming", "May"), ("I'm May", "May"),
    ("I'm June, nice to meet you", "June"), ("Hi, I'm May and I need help", "May"), ("call me April", "April"),
])
def test_a_first_name_in_its_subjects_place_is_replaced(text: str, given: str) -> None:
    sent = _sent(text)
    assert not re.search(rf"\b{given}\b", sent), sent


@pytest.mark.parametrize(("text", "given"), [("明天Can会来。", "Can"), ("虽然Can病了，他还是来。", "Can"),
                                             ("请Will发邮件给我", "Will"), ("谢谢，Can", "Can"),
                                             # a surname 谢, a person called 谢谢 (review31 R31-5)
                                             ("请联系谢", "谢"), ("我把钥匙给了谢", "谢"), ("明天找谢谢一下", "谢谢"),
                                             ("谢谢说她会晚到", "谢谢"), ("联系人：谢谢", "谢谢")])
def test_a_first_name_in_latin_letters_alone_among_chinese_is_replaced(text: str, given: str) -> None:
    assert given not in _sent(text)


@pytest.mark.parametrize("text", [
    # a month at a phrase's end after a verb, after a preposition of time; a list after the verb; an adjective
    # before a noun; a verb-second clause with a noun
    "Bald ist Mai.", "Dann kommt August, dann September.", "Seit Mai wohne ich hier.",
    "Danach kommt Alter und Weisheit.", "Die nächste Rose ist rot.", "Das kostet zehn Mark.",
    "Morgen kommt Regen.", "Heute gibt es Reis mit Curry.", "Er spielt Golf und trinkt Wein.",
    # English: the words, and a title's words
    "Yes We Can is a slogan.", "Tomorrow is May the fourth.", "Can you call me tomorrow?", "thank you, that's all",
    "Guten Morgen, wie geht es?", "Danke, bis Mai!",
    # Chinese: Latin words of a phrase, greetings
    "我用Apple Pay付款", "我在看Game of Thrones", "Hi，我想订一张桌子",
    # a modal after a greeting before a pronoun; a reply; a closing with no name; a month signing; a can; titles
    # after "to"/"for"; a product's model (128c96c: "Pro Max" a person); words of thanks (128c96c: 谢谢 a person)
    "Hey Can you help me with this?", "Hi Can you tell me the time", "Best,\nMay",
    "I did my best, can you check?", "tea with milk and a can of soda", "I want tickets to Hamlet tonight",
    "send the tickets for Hamlet to my email", "Gib mir bitte den Schlüssel",
    "Thank you,\nCan you also send the file?", "iPhone 15 Pro Max", "I want an iPhone 15 Pro Max in blue",
    "我想买iPhone 15 Pro Max", "OK，谢谢", "谢谢", "好的，谢谢！",
    "Can I help you?", "Will it rain tomorrow?", "Where is May?", "Thank you so much, that helps", "-May",
    "Can opener", "Grüß dich!", "Ich freue mich auf Mai", "Ich warte auf Post",
    # a modal asking before a verb's base form; a thing after an article or a preposition, or in a name's words; an
    # amount of a currency; a model's words after its code
    "Sorry Can I help you?", "Can I proceed?", "Can I shed some light?", "Will I need an umbrella?", "Enjoy your Can",
    "Have a look at Can", "Thanks for the Coke Can", "Order 2 Can of soda", "cc me on that",
    "Pick up the Can from the shop", "Das kostet 5 Mark", "Ich habe 3 Mark gespart", "Galaxy S24 Ultra Max",
    "Can here be a problem?", "Can I come here?", "Salt & Pepper", "It's May", "I'm Sorry",
    "Rose, lily and tulip", "Hope, that is all", "Can, a word", "Will, the document", "That's May", "To: the team",
    "Hey, how are you?", "Hi, can you help me?",
    # months listed or after "I'm" and a preposition (review32 R32-10's fix reads lists and "I'm")
    "May and June are warm months", "I'm in May", "I'm free in May", "Monday and Friday are fine",
])
def test_the_words_stay_words(text: str) -> None:
    assert _sent(text) == text



@pytest.mark.parametrize(("text", "sent"), [
    ("Sorry Can I'm late", "Sorry <PERSON_1> I'm late"), ("Will I'm late?", "<PERSON_1> I'm late?"),
    ("Sorry Will I've been busy", "Sorry <PERSON_1> I've been busy"),
    ("text Maria I'm running late", "text <PERSON_1> I'm running late")])
def test_a_name_does_not_take_the_pronoun_after_it(text: str, sent: str) -> None:
    # reread32 L-1: the name grew over "I'm" ("Sorry <PERSON_1> late" at 2d5bb64): the cloud lost the subject
    assert _sent(text) == sent


@pytest.mark.timeout(60)
def test_a_long_text_of_names_is_read_once() -> None:
    # reread31 M-7: each name read its text back to the start (a line's start, a signature's dash): 80,000 characters
    # took 8 s at ea969c1, these 300,000 far over this timeout; a window makes it linear
    text = "Mark " * 60000 + "\nBest,\nCan"
    found = ProperNounDetector().detect(text, "en")
    assert any(f.text == "Can" and f.start == len(text) - 3 for f in found)
