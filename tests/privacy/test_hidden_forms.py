"""Values written so that a reader (and a cloud model) reads them while the detectors did not: invisible characters
inside them, full-width forms (``privacy/plain.py``), a person written in another script than the text around them
(``detect.foreign_stretches``), a number said digit by digit as speech recognition writes it (``failclosed``), other
spaces and dashes, escaped characters, an e-mail address written out, a name spelled letter by letter.
Through the detector the router runs before a cloud call."""

from __future__ import annotations

import pytest

from tandem.privacy.detect import CompositeDetector
from tandem.privacy.pseudonymize import Vault, analyse, redact
from tandem.router.wiring import egress_detector, fast_detector
from tandem.types import ChatRequest, Message

# long enough that the few Han characters do not make the text Chinese (detect.guess_language)
_TAIL = ("; we will discuss the quarterly numbers in detail next week, and everyone should prepare their slides by "
         "Thursday at the latest.")
ZWSP, ZWJ, SOFT_HYPHEN, WORD_JOINER, TAG_A = "\u200b", "\u200d", "\u00ad", "\u2060", "\U000e0041"


@pytest.fixture(scope="module")
def egress() -> CompositeDetector:
    return egress_detector(fast_detector("DE"))


def _sent(egress: CompositeDetector, text: str) -> str:
    request = ChatRequest(messages=(Message("user", text),))
    return str(redact(request, analyse(request, egress), Vault()).request.messages[0].content)


def _visible(text: str) -> str:
    return "".join(c for c in text if c not in (ZWSP, ZWJ, SOFT_HYPHEN, WORD_JOINER, TAG_A))


@pytest.mark.parametrize(("text", "value"), [
    (f"请拨打138{ZWSP}1234{ZWSP}5678联系我。", "13812345678"),
    (f"IBAN DE89{ZWJ}3704{ZWJ}0044{ZWJ}0532{ZWJ}0130{ZWJ}00, bitte bis Freitag.", "DE89370400440532013000"),
    (f"Meine Steuer-ID ist 86{SOFT_HYPHEN}095{SOFT_HYPHEN}742{SOFT_HYPHEN}719.", "86095742719"),
    (f"张{ZWSP}敏华是我的主治医生。", "张敏华"),
    (f"My card is 4111{WORD_JOINER}1111{WORD_JOINER}1111{WORD_JOINER}1111.", "4111111111111111"),
    (f"Write to anna.weber{TAG_A}@example.org today.", "anna.weber@example.org"),
    (f"Mein Name ist Klaus{ZWSP}Meier, ich wohne in Köln.", "Meier"),
])
def test_a_value_with_invisible_characters_inside_is_replaced(egress: CompositeDetector, text: str,
                                                               value: str) -> None:
    seen = _sent(egress, text)
    assert value not in _visible(seen), seen


@pytest.mark.parametrize(("text", "value"), [
    ("Meine Nummer ist 0151\u00a02345\u00a0678", "2345"),  # no-break spaces: copied text, German number formatting
    ("IBAN: DE89\u00a03704\u00a00044\u00a00532\u00a00130\u00a000", "3704"),
    ("Bitte schreib an Klaus\u00a0Weber", "Weber"),
    ("Call me at 0151\u20132345678", "0151"),  # an en dash
    ("Ruf an: 030\u2009123\u2009456\u200978", "456"),  # thin spaces
])
def test_a_value_with_other_spaces_or_dashes_inside_is_replaced(egress: CompositeDetector, text: str,
                                                                value: str) -> None:
    assert value not in _sent(egress, text)


@pytest.mark.parametrize("message", [
    # what a cloud model reads as 张敏华 and 杭州: prose before the JSON, JSON inside a JSON string
    Message("user", 'Partner answer: {"name": "\\u5f20\\u654f\\u534e", "city": "\\u676d\\u5dde"}'),
    Message("tool", '{"output": "{\\"name\\": \\"\\\\u5f20\\\\u654f\\\\u534e\\", \\"phone\\": \\"13812345678\\"}"}',
            tool_call_id="c1"),
    Message("user", "Customer: J\\xfcrgen M\\xfcller, born 1961"),
])
def test_an_escaped_value_is_read_as_a_reader_decodes_it(egress: CompositeDetector, message: Message) -> None:
    request = ChatRequest(messages=(message,))
    seen = str(redact(request, analyse(request, egress), Vault()).request.messages[0].content)
    for escaped in ("\\u5f20", "\\u654f", "\\u534e", "M\\xfcller", "13812345678"):
        assert escaped not in seen, seen


@pytest.mark.parametrize(("text", "value"), [
    ("请拨打１３８１２３４５６７８联系我。", "１３８１２３４５６７８"),
    ("身份证号 １１０１０５１９４９１２３１００２Ｘ，请核对。", "Ｘ"),
    ("Email: klaus.meier＠example.de", "klaus.meier"),
    ("Ruf mich an: ０１５１ ２３４５ ６７８９", "６７８９"),
])
def test_a_value_in_full_width_forms_is_replaced(egress: CompositeDetector, text: str, value: str) -> None:
    assert value not in _sent(egress, text)


@pytest.mark.parametrize("text", [
    "今天天气很好，我们去公园散步（下午三点）。",
    "Great work, team \U0001f44d\U0001f3fd\u200d see you tomorrow.",
    "Das Wetter ist schön\u200b und wir gehen spazieren.",
    "今天——也就是周一——我们开会。",
    "Use a regex like \\d+\\s and escape \\n in strings.",
])
def test_text_without_personal_data_goes_out_as_it_was(egress: CompositeDetector, text: str) -> None:
    assert _sent(egress, text) == text


@pytest.mark.parametrize(("text", "names"), [
    (f"Please forward the report to 张敏华 and cc the team{_TAIL}", ("张敏华", "敏华")),
    ("Bitte leite die Unterlagen an 王晓明 weiter, wir brauchen die Antwort bis Freitag, weil das Projekt sonst "
     "nicht rechtzeitig fertig wird.", ("王晓明", "晓明")),
    (f"Meeting notes: the client 欧阳文慧 asked about the invoice{_TAIL}", ("欧阳文慧", "文慧")),
])
def test_a_chinese_name_in_a_latin_text_is_replaced(egress: CompositeDetector, text: str,
                                                    names: tuple[str, ...]) -> None:
    seen = _sent(egress, text)
    assert not any(name in seen for name in names), seen


@pytest.mark.parametrize(("text", "names"), [
    ("请把报告发给Anna Schmidt，谢谢。", ("Anna", "Schmidt")),
    ("我的同事Klaus Müller明天来北京。", ("Klaus", "Müller")),
    ("明天和Jennifer Lopez-Garcia一起吃饭。", ("Jennifer", "Lopez", "Garcia")),
])
def test_a_latin_name_in_a_chinese_text_is_replaced(egress: CompositeDetector, text: str,
                                                    names: tuple[str, ...]) -> None:
    seen = _sent(egress, text)
    assert not any(name in seen for name in names), seen


def test_the_chinese_words_beside_a_latin_word_are_not_replaced_with_it(egress: CompositeDetector) -> None:
    # "我的同事Klaus" was one word to the safety net, so the whole clause became one placeholder
    seen = _sent(egress, "我的同事Klaus Müller明天来北京。")
    assert seen.startswith("我的同事<") and seen.endswith(">明天来北京。"), seen
    assert _sent(egress, "我想买一部新手机，预算三千元。") == "我想买一部新手机，预算三千元。"
    for text in ("We ordered 北京烤鸭 and it was great.", "The sign at the door said 欢迎光临, which means welcome."):
        assert _sent(egress, text) == text


@pytest.mark.parametrize(("text", "said"), [
    ("my number is zero one five one two three four five six seven eight nine, call me", "five six seven"),
    ("Meine Nummer ist null eins fünf eins, zwei drei vier fünf sechs sieben acht.", "sechs sieben acht"),
    ("you can reach me on oh two oh, double seven one four nine six eight", "nine six eight"),
    ("call 0151 two three four five six seven eight tonight", "six seven eight"),
    ("我的电话是一三八一二三四五六七八，请回电。", "五六七八"),
    ("身份证号是幺幺零幺零五一九四九一二三幺零零二", "幺零零二"),
])
def test_a_number_said_digit_by_digit_is_replaced(egress: CompositeDetector, text: str, said: str) -> None:
    assert said not in _sent(egress, text)


@pytest.mark.parametrize("text", [
    "I have one or two questions and three ideas: one, two, three, four, five, six.",
    "Ich glaube, zwei oder drei Leute kommen, vielleicht auch vier.",
    "一九九七年七月一日，香港回归祖国。",
    "他排在第三，比赛一共有五六个人参加。",
])
def test_numbers_in_words_that_are_no_number_stay(egress: CompositeDetector, text: str) -> None:
    assert _sent(egress, text) == text


@pytest.mark.parametrize(("text", "value"), [
    ("schreib an klaus.weber [at] example [dot] de", "example"),
    ("Kontakt: anna(at)firma(punkt)de, bitte bis Montag.", "firma"),
    ("my email is klaus dot weber at example dot com, thanks", "example"),
    ("我的邮箱是 zhangmh {at} qq {dot} com", "zhangmh"),
])
def test_an_email_address_written_out_is_replaced(egress: CompositeDetector, text: str, value: str) -> None:
    assert value not in _sent(egress, text)


@pytest.mark.parametrize("text", ["Look at the results and meet at noon.", "Wir treffen uns um acht (at home)."])
def test_at_in_a_sentence_is_no_email_address(egress: CompositeDetector, text: str) -> None:
    assert _sent(egress, text) == text


@pytest.mark.parametrize(("text", "value"), [
    ("Name: K l a u s  W e b e r, bitte notieren.", "W e b e r"),
    ("Mein Name ist K-l-a-u-s W-e-b-e-r.", "W-e-b-e-r"),
    ("My surname is spelled O k a f o r, first name Daniel.", "O k a f o r"),
])
def test_a_name_spelled_letter_by_letter_is_replaced(egress: CompositeDetector, text: str, value: str) -> None:
    assert value not in _sent(egress, text)


@pytest.mark.parametrize("text", ["We can choose option a b or c, then e.g. the U.S. office.",
                                  "Das ist Variante a b oder c."])
def test_single_letters_in_a_sentence_stay(egress: CompositeDetector, text: str) -> None:
    assert _sent(egress, text) == text


@pytest.mark.parametrize(("text", "value"), [
    ("Meine Nummer ist 1 5 2 0 1 2 3 4 5 6 7, ruf an.", "4 5 6 7"),
    ("Call me: 0 1 5 1 - 2 3 4 5 - 6 7 8", "7 8"),
    ("Meine Nummer ist 0 3 0 / 1 2 3 4 5 6 7", "6 7"),
    ("请拨打１ ３ ８ １ ２ ３ ４ ５ ６ ７ ８联系我。", "５ ６ ７ ８"),
    ("请拨打１３８\u3000１２３４\u3000５６７８联系我。", "５６７８"),
    (f"Meine Nummer ist 1{ZWSP} 5{ZWSP} 2 0 1 2 3 4 5 6 7", "4 5 6 7"),
    # digits of another form, which a reader reads as the digits they are
    ("Meine Nummer ist ①⑤②⓪①②③④⑤⑥⑦", "④⑤⑥⑦"),
    ("我的电话是①③⑧①②③④⑤⑥⑦⑧，请回电。", "⑤⑥⑦⑧"),
    ("Call me: ❶➀② ③④⑤⑥ ⑦⑧⑨⓪", "⑦⑧⑨⓪"),
    ("我的电话是\u0661\u0663\u0668\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668", "\u0665\u0666\u0667\u0668"),
    ("Meine Nummer ist \U0001d7cf\U0001d7d3\U0001d7d0\U0001d7ce\U0001d7cf\U0001d7d0\U0001d7d1\U0001d7d2", "\U0001d7d2"),
    # digit groups joined by a middle dot, an underscore or an asterisk
    ("Call me: 0151\u00b72345\u00b76789", "6789"),
    ("My SSN is 123\u00b745\u00b76789.", "6789"),
    ("Call me: 0151_2345_6789", "6789"),
    ("Call me: 0151*2345*6789", "6789"),
    ("Call me: 0151|2345|6789", "6789"), ("我的电话是138｜1234｜5678", "5678"),
    # an e-mail address spaced out, or spelled letter by letter
    ("Schreib an k l a u s . w e b e r @ e x a m p l e . d e bitte", "e x a m p l e"),
    ("Write to klaus.weber @ example.de today", "example"),
    ("我的邮箱是 z h a n g m h @ q q . c o m", "q q . c o m"),
])
def test_a_value_spaced_out_or_in_other_digit_forms_is_replaced(egress: CompositeDetector, text: str,
                                                                value: str) -> None:
    seen = _sent(egress, text)
    assert value not in seen, seen


@pytest.mark.parametrize("text", [
    "The area is 50 m² and the volume 3 m³.",
    "Compute 3*4*5 and 2*2.", "Use a|b or 1|2 in the query.",
    "①去银行 ②买菜 ③接孩子",
    "Reply @ 5. Then we go.",
    "Von 2019 - 2023 wuchs die Firma um 12 - 15 Prozent.",
    "Meet me @ home. See you.",
])
def test_signs_and_digit_forms_without_a_value_stay(egress: CompositeDetector, text: str) -> None:
    assert _sent(egress, text) == text


def test_a_long_word_before_an_at_is_read_once() -> None:
    # each took hours (every letter began an attempt that ran to the end of the text); the pytest timeout fails it
    from tandem.privacy.patterns import PatternDetector
    detector = PatternDetector()
    for text in ("abcdefgh" * 30000 + "@", "abcdefgh" * 30000 + " @ ", "ab . " * 50000 + " @ x"):
        assert [f for f in detector.detect(text, "en") if f.category == "EMAIL"] == []
    found = [f.text for f in detector.detect("x @ " + "ab . " * 50000, "en") if f.category == "EMAIL"]
    assert found and all(len(f) < 100 for f in found)


def test_the_verb_opening_a_short_german_request_is_no_name(egress: CompositeDetector) -> None:
    # read as English, "Ruf" was a person to spaCy, the name lists and the safety net
    assert _sent(egress, "Ruf mich an: 0151 2345678") == "Ruf mich an: <PHONE_1>"


KEYCAP, LOW_LINE, RING, STROKE = "\ufe0f\u20e3", "\u0332", "\u20dd", "\u0336"


@pytest.mark.parametrize(("text", "value"), [
    ("Meine Nummer ist " + "".join(d + KEYCAP for d in "01512345678"), "5" + KEYCAP + "6"),
    ("Call me: " + " ".join("".join(d + LOW_LINE for d in g) for g in ("0151", "2345", "678")), "6" + LOW_LINE),
    ("我的电话是" + "".join(d + RING for d in "13812345678") + "。", "5" + RING),
    ("Mein Name ist " + "".join(c + STROKE for c in "Klaus") + " " + "".join(c + STROKE for c in "Weber") + ".",
     "W" + STROKE),
    ("Mein Name ist Jürgen Mu\u0308ller, ich wohne in Köln.", "Mu\u0308ller"),  # written decomposed
])
def test_a_value_under_combining_marks_is_replaced(egress: CompositeDetector, text: str, value: str) -> None:
    seen = _sent(egress, text)
    assert value not in seen and not any(d in seen for d in "2345678"), seen


@pytest.mark.parametrize("text", ["Das Wetter ist scho\u0308n und wir gehen spazieren.",
                                  "Press 1" + KEYCAP + " for help."])
def test_text_with_combining_marks_and_no_value_goes_out_as_it_was(egress: CompositeDetector, text: str) -> None:
    assert _sent(egress, text) == text


def test_a_scripts_own_signs_stay_and_a_stress_mark_is_read_past() -> None:
    from tandem.privacy.plain import plain
    assert plain("मेरा नाम राम है") is None  # Devanagari vowel signs are the word, not a decoration
    seen = plain("Я хочу\u0301 домой.")
    assert seen is not None and seen.text == "Я хочу домой."
