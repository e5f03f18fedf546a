"""jieba's dictionary files hundreds of common compounds as names (银行卡, 通知书, 大家庭, 介绍信, 公开赛: "nr"): such a
word is a person only where a tagger that reads the context finds one (``chinese._compound``). Every probe is written
here (none from a benchmark set): the words reach the cloud as typed, the persons named by such words stay replaced."""

from __future__ import annotations

import pytest

from tandem.privacy.pseudonymize import Vault, analyse, redact
from tandem.router.wiring import egress_detector, fast_detector
from tandem.types import ChatRequest, Message

EGRESS = egress_detector(fast_detector("CN"))


def sent(text: str) -> str:
    request = ChatRequest(messages=(Message("user", text),))
    return redact(request, analyse(request, EGRESS), Vault()).request.messages[0].content or ""


@pytest.mark.parametrize(("text", "word"), [
    ("我的录取通知书到了，帮我拍照发给妈妈。", "通知书"),
    ("我们是一个大家庭。", "大家庭"),
    ("公司开了介绍信吗？", "介绍信"),
    ("网球公开赛什么时候开始？", "公开赛"),
    ("身份证号码和银行卡号都发给财务了。", "银行卡"),
])
def test_a_dictionary_compound_filed_as_a_name_is_the_word(text: str, word: str) -> None:
    assert word in sent(text)


@pytest.mark.parametrize(("text", "name"), [
    ("请把文件发给雅典娜。", "雅典娜"),
    ("雅典娜明天来上班。", "雅典娜"),
    ("我和雅典娜约了周三吃饭，她的电话是13912345678。", "雅典娜"),
    ("告诉波斯特我晚点到。", "波斯特"),
    ("我的同事波斯特下周出差。", "波斯特"),
    ("波斯特说他不来了。", "波斯特"),
    ("顺治帝是哪一年登基的？", "顺治"),
    ("光绪帝的老师是翁同龢。", "光绪"),
    ("公子嘉说他明天到。", "公子嘉"),
    ("给小小罗寄一个包裹。", "小小罗"),
    ("新生黛的快递到了。", "新生黛"),
    ("请联系福临越确认时间。", "福临越"),
    ("报销单：王芳，银行卡号6228443374723752838。", "王芳"),
])
def test_a_person_named_by_such_a_word_is_still_replaced(text: str, name: str) -> None:
    assert name not in sent(text)
