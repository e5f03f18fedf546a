"""Names written in a script no detector here reads (Hangul, kana, Arabic, Hebrew, Thai, Devanagari) leave the
device as placeholders: in a Chinese, English or German text alike. Every probe is written here (none from a
benchmark set); before ``UnreadScripts`` each of them reached the cloud whole."""

from __future__ import annotations

import pytest

from tandem.privacy.pseudonymize import Vault, analyse, redact
from tandem.privacy.scripts import UnreadScripts, unread_letter
from tandem.router.wiring import egress_detector, fast_detector
from tandem.types import ChatRequest, Message

EGRESS = egress_detector(fast_detector("DE"))


def sent(text: str) -> tuple[str, Vault]:
    request = ChatRequest(messages=(Message("user", text),))
    vault = Vault()
    return redact(request, analyse(request, EGRESS), vault).request.messages[0].content or "", vault


HANGUL_IN_CHINESE = [
    ("请把合同发给김민준。", "김민준"),
    ("明天给박지성打电话。", "박지성"),
    ("我和이수진约了下午见面。", "이수진"),
    ("我的房东是최민호。", "최민호"),
    ("给정은지发邮件。", "정은지"),
    ("帮我订两张票，给한가인和我。", "한가인"),
    ("提醒我周五给송혜교回电话。", "송혜교"),
    ("同事강동원下周来上海。", "강동원"),
    ("快递的收件人写的是윤아。", "윤아"),
    ("帮我约조인성明天吃饭。", "조인성"),
    ("把照片发给배수지", "배수지"),
]
KANA_IN_CHINESE = [
    ("帮我给たなかさん发个消息。", "たなかさん"),
    ("提醒我给やまだ はなこ买礼物。", "やまだ はなこ"),
    ("请通知サトウ会议改到周五。", "サトウ"),
    ("约一下キム・ミンジュン周三吃饭。", "キム・ミンジュン"),
    ("给スズキ寄一个包裹。", "スズキ"),
    ("我的日本同事なかむら明天到。", "なかむら"),
    ("把文件转给ワタナベ・ナオミ。", "ワタナベ・ナオミ"),
    ("明天和こばやし见面。", "こばやし"),
    ("帮我给イトウ订一束花。", "イトウ"),
    ("告诉まつもと时间改了", "まつもと"),
]
HANGUL_KANA_IN_LATIN = [
    ("Send the file to 김민준 please.", "김민준"),
    ("Mein Kollege 박지성 kommt morgen.", "박지성"),
    ("Call 이수진 tomorrow at nine.", "이수진"),
    ("Bitte schick die Rechnung an 최민호.", "최민호"),
    ("Remind me to buy a gift for やまだ はなこ.", "やまだ はなこ"),
    ("Schreib サトウ, dass sich der Termin verschiebt.", "サトウ"),
    ("Book a table for キム・ミンジュン and me.", "キム・ミンジュン"),
    ("Ruf morgen たなか an.", "たなか"),
    ("My landlord is 정은지.", "정은지"),
    ("Das Paket ist für 송혜교.", "송혜교"),
]
RIGHT_TO_LEFT_AND_INDIC_IN_LATIN = [
    ("Bitte schick das an محمد الأحمد.", "محمد الأحمد"),
    ("Call فاطمة الزهراء tomorrow.", "فاطمة الزهراء"),
    ("The tenant is יוסי כהן.", "יוסי כהן"),
    ("Schreib an نور حسن wegen der Miete.", "نور حسن"),
    ("Remind me to call خالد tonight.", "خالد"),
    ("Meine Nachbarin heißt مريم.", "مريم"),
    ("Forward this to דנה לוי.", "דנה לוי"),
    ("Send flowers to สมชาย ใจดี.", "สมชาย ใจดี"),
    ("Invite प्रिया शर्मा to the party.", "प्रिया शर्मा"),
    ("Ruf morgen राहुल an.", "राहुल"),
]


# a Korean surname is one syllable: alone between spaces or signs it is a word, and a name (review27 P27-3)
ONE_SYLLABLE_SURNAMES = [
    ("Ruf bitte Frau 김 an.", "김"),
    ("Tell Mr. 박 the car is ready.", "박"),
    ("请通知 최 先生明天开会。", "최"),
    ("Herr 이 hat angerufen.", "이"),
    ("Meeting with 정, 윤 and me at ten.", "정"),
    # beside Han too: a Hangul letter is a whole syllable, not a particle (reread27 L3)
    ("给김打电话。", "김"),
    ("请告诉박明天开会。", "박"),
    ("帮我约최吃饭", "최"),
]


@pytest.mark.parametrize(("text", "name"), HANGUL_IN_CHINESE + KANA_IN_CHINESE + HANGUL_KANA_IN_LATIN
                         + RIGHT_TO_LEFT_AND_INDIC_IN_LATIN + ONE_SYLLABLE_SURNAMES)
def test_a_name_in_an_unread_script_leaves_as_a_placeholder_and_comes_back(text: str, name: str) -> None:
    out, vault = sent(text)
    assert not any(piece in out for piece in name.replace("・", " ").split()), out
    assert vault.restore(out) == text


@pytest.mark.parametrize("text", [
    "Bitte schick die Rechnung an Frau Müller, Straße des 17. Juni 12 – „dringend“…",
    "Café crème, jalapeño, smørrebrød and Nguyễn Huệ street cost 12 € × 2 ≈ 24 €; ½ price ™ © ° ² µg ª º",
    "请把合同发给王小明，电话是一三八一二三四五六七八。「谢谢」——好的！",
    "Straße, Ärger, Öl, Übung, ſ, ı, ł, ø, đ, ǅ, ȝ: Latin letters all",
])
def test_latin_and_han_texts_give_the_net_nothing(text: str) -> None:
    assert UnreadScripts().detect(text, "en") == []


def test_one_run_joins_its_words_and_one_letter_inside_a_word_or_with_case_is_no_name() -> None:
    text = "给キム・ミンジュン和やまだ はなこ。我の猫 π, 2π r, α particles, 5 μm, 今日は晴れ"
    found = UnreadScripts().detect(text, "zh")
    assert [f.text for f in found] == ["キム・ミンジュン", "やまだ はなこ"]
    assert all(f.category == "PROPER_NOUN" for f in found)
    assert [unread_letter(c) for c in "aé中김ア"] == [False, False, False, True, True]
