"""A phone number said in groups of number words (French pairs, Spanish "treinta y cuatro", Turkish "yüz otuz iki",
Polish hundreds) is a number, as one said digit by digit is: the egress check replaces it."""

from __future__ import annotations

import pytest

from tandem.privacy.failclosed import said_digits
from tandem.privacy.pseudonymize import Vault, analyse, redact
from tandem.router.wiring import egress_detector, fast_detector
from tandem.types import ChatRequest, Message

EGRESS = egress_detector(fast_detector("DE"))


def _sent(text: str) -> str:
    request = ChatRequest(messages=(Message("user", text),))
    return redact(request, analyse(request, EGRESS), Vault()).request.messages[0].content or ""


@pytest.mark.parametrize(("text", "said"), [
    ("Sie sagte, ihre Nummer ist zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit.", "douze"),
    ("Su número es seis uno dos, treinta y cuatro, cincuenta y seis, setenta y ocho.", "treinta"),
    ("Her number is sıfır beş yüz otuz iki, yüz yirmi üç, kırk beş, altmış yedi.", "otuz"),
    ("Jej numer to sześćset jeden, dwieście trzydzieści cztery, pięćset sześćdziesiąt siedem.", "dwieście"),
    ("Il suo numero è tre quattro sette, trentadue, quarantotto, cinquantasei.", "trentadue"),
    ("My number is oh seven nine, thirty four, fifty six, seventy eight.", "thirty"),
    ("meine Nummer ist null eins sieben sechs, dreiundzwanzig, fünfundvierzig, siebenundsechzig", "fünfundvierzig"),
    ("ruf mich an unter null eins fünf eins, zwölf, vierunddreißig, sechsundfünfzig, achtundsiebzig", "zwölf"),
    ("erreichbar unter null sieben elf, zweiundvierzig, dreiundzwanzig, eins eins", "zweiundvierzig"),
    ("Die Nummer von Oma: null drei null, einundzwanzig, neunundneunzig, achtzehn", "neunundneunzig"),
    ("Seine Festnetznummer lautet null acht neun, dreissig, vierzig, fünfzig, sechzig", "vierzig"),
    ("我的号码是一三八，一二三四，五六七八", "一二三四"),  # German and Chinese: review24's L24-5 and the lead's own
    ("他的电话：一五九,八八六六,二三四五", "八八六六"),
    # groups apart by 、, and German or Italian hundreds written as one word (reread24's L3)
    ("我的号码是一三八、一二三四、五六七八", "一二三四"),
    ("联系电话：一五零、八八六六、二三四五，谢谢", "八八六六"),
    ("Meine Nummer ist null einhundertsiebzig, dreiundzwanzig, fünfundvierzig", "dreiundzwanzig"),
    ("Festnetz: null dreißig, zweihundertdreiundzwanzig, vierhundertzwölf", "vierhundertzwölf"),
    ("Il numero è zero sei, centotrentadue, quarantotto, cinquantasei", "centotrentadue"),
])
def test_a_number_said_in_groups_does_not_leave(text: str, said: str) -> None:
    assert said not in _sent(text)


@pytest.mark.parametrize("text", [
    "I was born in nineteen eighty five.",
    "We need twenty five chairs, thirty cups and ten tables.",
    "One hundred and twenty people came, and forty stayed.",
    "Il y a trente-deux élèves et quarante professeurs.",
    "Compré doce huevos y treinta y cinco manzanas.",
    "Un, deux, trois, nous irons au bois!",
    "Wir sind dreiundzwanzig Leute und brauchen fünfundvierzig Stühle.",
    "Er wurde neunzehnhundertachtzig geboren, sie mit einundzwanzig Jahren.",
    "Ein, zwei, drei Karten für heute Abend bitte.",
    "第一、二、三、四、五、六、七章都读完了",
    "星期一、二、三、四、五、六都营业",
    "二〇一九年、二〇二〇年、二〇二一年都去过",
    "Wir brauchen dreihundert Stühle und zweihundertfünfzig Teller.",
    "我们一共二十三个人，要四十五把椅子",
])
def test_counts_in_a_sentence_are_no_number(text: str) -> None:
    assert said_digits(text) == []


@pytest.mark.parametrize("text", [
    "二〇二三、二〇二四、二〇二五年都去过日本",  # review25 on 9c48ab7
    "订了一二三、四五六两个房间",  # 两 counts the rooms: never a digit read out, and 3 + 3 digits is no phone
    "我们二〇二一、二〇二二年都在上海",
    "一九九八、一九九九、二〇〇〇年出生的同学",
    "二〇一八、二〇一九两年都没回家",
    "一九八九、一九九九、二〇〇九年毕业的校友都来了",
    "一九九九、二〇〇〇年之交变化很大",
    "一九九〇、一九九五年他住在北京",
    "房间一二三、四五六两间都订了",
    "买了一二三、四五六两张票",
])
def test_a_list_of_years_or_counts_is_no_number(text: str) -> None:
    assert said_digits(text) == []


@pytest.mark.parametrize(("text", "said"), [
    ("我的号码是一三八、一二三四、五六七八", "一二三四"),
    ("号码一三九、八八六六、二三四五个人手机", "八八六六"),
    ("座机六七二〇、一八一八，晚上打", "一八一八"),
    ("打一五零、八八六六、二三四五个电话也没人接", "八八六六"),
    ("电话一三八、一二三四、五六七八两个都行", "一二三四"),
    # review26's R26-3, reread26's H1: groups of one length before a word opening with a measure character
    ("办公室电话六七二〇、一八一八分机二〇三", "一八一八"),
    ("请拨六七二〇、一八一八座机找王经理", "一八一八"),
    ("座机六七二〇、一八一八个人办公室的", "一八一八"),
    ("客服电话四〇〇八、八〇〇八人工服务", "八〇〇八"),
    ("办公室电话六七二〇、一八一八周一到周五有人接", "一八一八"),
    ("电话六七二〇、一八一八天天有人", "一八一八"),
    ("用卡六二二二、〇二〇二、一二三四、五六七八分期付款", "五六七八"),
    ("他的手机号一三八一、二三四五、六七八九次日再打", "二三四五"),
    ("电话二〇二三、二〇二四赛季都打过", "二〇二四"),
])
def test_a_phone_in_groups_before_a_count_does_not_leave(text: str, said: str) -> None:
    assert said not in _sent(text)
