"""Chinese personal data without cue words: names from a segmenter's part-of-speech tags, numbers by shape.

Chinese has no capitals and no spaces, so a name ("主治医生张敏华", "白雅宁说") is found by jieba's
part-of-speech tagger, whose dictionary and HMM ship inside its PyPI package: a token tagged as a
person name (``nr``, ``nrfg``, ``nrt``) that looks like a name (2-4 Han characters, a surname first, or a
transliteration: a known name of 3+ characters without a Chinese surname, "克林顿"), a surname token
followed by a given name the tagger split off ("孙" + "红梅"), and a surname with a title ("江主席",
"黄教授": the dictionary files some such pairs as common nouns). Names in news prose that jieba tags as
words (the subject of a sentence, transliterations, a name inside 邓小平理论) come from a character CRF
trained on MSRA's training sentences (``chinese_ner.py``) that reads jieba's tags as features, and from
Baidu's LAC tagger (``lac_names.py``), which misses other names than the CRF does. Names are also found by
what stands around them: the items of a list of names, a roster's note of sex or nationality after a
name ("热地（藏族）"), a surname alone that names again a person named in full before it, and a familiar
form of address ("老于"); and by their characters alone where nothing around them tells (a transliterated
name in the middle of a sentence: ``transliteration.py``).

Numbers go by shape, and a failed check does not clear them (privacy fails closed):

- resident ID: 17 digits and a digit or X with a plausible birth date in place (a valid check digit only
  raises the score), and the 15-digit first generation;
- bank card: 16-19 digits starting with 62 (UnionPay), or any that pass Luhn (``patterns.py``);
- mobile ``1[3-9]`` + 9 digits (with +86 and separators), landlines with an area code, 400/800 lines;
- addresses: province / city / district / road / number chains, and whatever follows an address cue
  (地址是…, 住在…) up to the end of the clause;
- e-mail is the language-neutral pattern in ``patterns.py``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from collections.abc import Iterable
from typing import Any

from tandem.errors import PolicyDenied
from tandem.forget import Recent
from tandem.privacy.checksums import cn_resident_id_ok
from tandem.privacy.chinese_ner import NameTagger
from tandem.privacy.detect import Finding
from tandem.privacy.jiagu_names import JiaguNames
from tandem.privacy.lac_names import LacNames
from tandem.privacy.subjects import COURTESY
from tandem.privacy.transliteration import Transliterations
from tandem.privacy.word_sets import DIGIT_WORDS, ZH_SURNAMES

__all__ = ["ChineseDetector", "plausible_resident_id"]

log = logging.getLogger("tandem.privacy")

# Common surnames beyond the lexicon's most frequent ones (the Hundred Family Surnames, public domain).
_MORE_SURNAMES = ("毕谈宁柏单包鲍卞蔡岑查柴常晁车陈成池褚储丛崔戴党邓狄刁丁东窦杜段樊房费丰封冯伏符傅甘高"
                  "戈葛耿宫龚巩谷关管桂郭韩杭郝何贺衡洪侯胡花华滑黄霍姬吉纪季冀贾简江姜蒋焦解金靳经荆井景居鞠"
                  "阚康柯孔寇匡邝赖蓝郎劳乐雷冷黎李利连廉梁廖林蔺凌刘柳龙娄卢鲁陆路吕栾罗骆麻马满毛茅梅蒙孟米"
                  "苗闵明莫牟穆倪聂宁牛农欧潘庞裴彭皮平蒲濮朴齐祁钱乔秦邱裘曲瞿全冉饶任荣阮芮沙山商尚邵申沈盛"
                  "施石时史寿舒帅司宋苏隋孙索邰谭汤唐陶滕田童涂屠万汪王韦卫魏温文闻翁邬巫吴伍武奚席夏冼项萧肖"
                  "谢辛邢熊徐许宣薛荀严阎颜晏燕杨姚叶易殷尹应雍尤游于余俞虞禹郁喻袁岳云臧曾翟詹湛张章赵甄郑"
                  "钟仲周朱诸竺祝庄卓宗邹左")
_COMPOUND = (*(s for s in ZH_SURNAMES if len(s) == 2), "端木", "南宫", "夏侯", "轩辕", "呼延", "钟离", "宇文",
             "长孙")
SURNAMES = frozenset(c for s in ZH_SURNAMES if len(s) == 1 for c in s) | frozenset(_MORE_SURNAMES)
_NAME_FLAGS = frozenset({"nr", "nrfg", "nrt"})
_HAN = re.compile(r"^[\u3400-\u9fff]+$")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
# Tokens after a surname that are words, not a given name ("李先生" is a cue, "王府井" a place).
_NOT_GIVEN_FLAGS = frozenset({"x", "m", "q", "p", "c", "u", "uj", "ul", "uz", "ug", "ud", "uv", "y", "e", "r", "d", "f",
                              "t", "v", "vn"})

_ID18 = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5})((?:18|19|20)\d{2})(\d{2})(\d{2})(\d{3})([0-9Xx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(\d{2})(\d{2})(\d{2})\d{3}(?![0-9A-Za-z])")
_CARD = re.compile(r"(?<![\d.])62\d{2}(?:[ -]?\d){12,15}(?![\d.])")
_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[-\s]?)?1[3-9]\d(?:[-\s]?\d){8}(?!\d)")
_LANDLINE = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[-\s]?)?(?:\(0?\d{2,3}\)|0\d{2,3})[-\s]?\d{7,8}"
                       r"(?:[-转]\d{1,5})?(?!\d)|(?<!\d)[48]00[-\s]?\d{3}[-\s]?\d{4}(?!\d)")
_UNITS = r"(?:省|自治区|特别行政区|市|州|盟|地区|区|县|旗|镇|乡|街道|村)"
_ROAD = r"(?:大街|大道|胡同|路|街|道|巷|弄|里|条|高速|公路|环)"
_ADDRESS = re.compile(r"(?:[\u4e00-\u9fff]{1,8}?" + _UNITS + r")*[\u4e00-\u9fff0-9A-Za-z]{0,10}?" + _ROAD
                      + r"(?:[\u4e00-\u9fff]{0,6}?[甲乙丙丁]?[0-9０-９一二三四五六七八九十百零]+(?:[-－、][0-9]+)*号"
                      r"(?:院|楼|[0-9A-Za-z]+(?:号楼|栋|幢|座|楼|层|单元|室))*"
                      # a building and floor after the number: "8号院1号楼华联购物中心1层"
                      r"(?:[\u4e00-\u9fffA-Za-z]{0,12}?[0-9]+(?:号楼|号|栋|幢|座|楼|层|单元|室)[0-9]*)*)")
# A street in its district without a number ("东城区东直门内大街", "海淀区中关村南大街"): the district names the city
# part and the street a stretch of it, enough to find a person who is said to be there. Only the words that are streets
# and nothing else (not 道, 里, 条: 知道, 这里, 一条), and no word of a sentence in the names (的, 在, 我…).
_NAME_CHAR = r"[^\W\d_的地得和与及在是了住我你他她们到从往去向这那个]"
_DISTRICT_STREET = re.compile(_NAME_CHAR + r"{1,4}?(?:区|县)" + _NAME_CHAR + r"{1,6}?(?:大街|大道|胡同|路|街|巷)")
_CUED_ADDRESS = re.compile(r"(?:地址|住址|地点|位置|住在|现住|家住|寄到|送到|位于|坐落于|在)(?:是|为|在|于)?[:：]?\s*"
                           r"([^，。；！？,;!?\n]{4,60})")
# A person named after the role that introduces them ("主治医生伊帆建议", "紧急联系人李建，").
# The name does not begin with what would end it ("老师说得对": 说得对 is no name).
_CUED_NAME = re.compile(r"(?:医生|大夫|护士|联系人|病人|患者|同事|朋友|同学|经理|老师|收件人|寄件人|律师)[:：]?\s*"
                        r"(?!建议|说|是|的|在)([\u4e00-\u9fff]{2,3}?)(?=[，。、；：\s,;:]|建议|说|是|的|和|与|在|$)")
# A name given as what someone or something is called: a pen name, a former name, a nickname ("笔名伞天）",
# "名叫“雄欢”的", "叫他“老史”"). The word says a name follows, whatever the name's characters are.
_ALIAS = r"(?:笔名|原名|化名|艺名|本名|乳名|小名|绰号|外号|网名|昵称|别名|名叫|取名|起名|署名)(?:为|是|叫)?[:：]?\s*"
_QUOTED = r"[“\"「『‘]([^”\"」』’\n]{1,8})[”\"」』’]"
_ALIAS_NAME = re.compile(_ALIAS + r"(?:" + _QUOTED + r"|([\u4e00-\u9fff·]{2,4}?)(?=[^\u4e00-\u9fff·]|的|是|$))"
                         r"|(?:叫|称|喊)[他她它]们?(?:为|作)?" + _QUOTED)  # "叫他“老史”": quoted only
# A word the dictionary does not know that starts with a surname is a name unless it is a number or a
# letter run: the HMM's tag for a word it made up is a guess ("鞠欢说": 鞠欢 tagged as a verb).
_NOT_NEW_NAME_FLAGS = frozenset({"x", "m", "q", "eng"})
_PLACE_HINT = re.compile(_UNITS + "|" + _ROAD + r"|号|\d")


def plausible_resident_id(match: re.Match[str]) -> bool:
    """A real birth date where an 18-digit resident ID keeps it (the check digit may be wrong)."""
    year, month, day = int(match.group(2)), int(match.group(3)), int(match.group(4))
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    return born <= dt.date.today()


def _valid_date(yy: str, mm: str, dd: str) -> bool:
    try:
        dt.date(1900 + int(yy), int(mm), int(dd))
    except ValueError:
        return False
    return True


def _numbers(text: str) -> list[Finding]:
    found = []
    for m in _ID18.finditer(text):
        if plausible_resident_id(m):
            score = 1.0 if cn_resident_id_ok(m.group()) else 0.9  # a wrong check digit: a mistyped ID, still one
            found.append(Finding(m.start(), m.end(), "ID_NUMBER", m.group(), score, "zh"))
    found += [Finding(m.start(), m.end(), "ID_NUMBER", m.group(), 0.8, "zh") for m in _ID15.finditer(text)
              if _valid_date(*m.groups())]
    found += [Finding(m.start(), m.end(), "CREDIT_CARD", m.group(), 0.85, "zh") for m in _CARD.finditer(text)]
    for rx in (_MOBILE, _LANDLINE):
        found += [Finding(m.start(), m.end(), "PHONE", m.group().strip(), 0.9, "zh") for m in rx.finditer(text)]
    return found


def _addresses(text: str) -> list[Finding]:
    found = [Finding(m.start(), m.end(), "ADDRESS", m.group(), 0.85, "zh") for m in _ADDRESS.finditer(text)]
    found += [Finding(m.start(), m.end(), "ADDRESS", m.group(), 0.8, "zh") for m in _DISTRICT_STREET.finditer(text)]
    for m in _CUED_ADDRESS.finditer(text):
        value = m.group(1).strip()
        if _PLACE_HINT.search(value):  # "在家" is no address; "在朝阳区建国路88号" is
            start = m.start(1) + m.group(1).index(value)
            # Surer than the chain rule, so the whole clause wins over the chain inside it.
            found.append(Finding(start, start + len(value), "ADDRESS", value, 0.9, "zh"))
    return found


def _load_jieba() -> Any:
    try:
        import jieba
        import jieba.posseg
    except ImportError as exc:
        raise PolicyDenied("jieba is not installed, so Chinese names cannot be detected",
                           hint="pip install jieba") from exc
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


class ChineseDetector:
    """See the module docstring. The tagger loads on first use (about a second), then ~1 ms a sentence.
    ``names``: the character tagger for names jieba does not tag (``chinese_ner.py``)."""

    def __init__(self, names: NameTagger | None = None, lac: LacNames | None = None,
                 transliterations: Transliterations | None = None, jiagu: JiaguNames | None = None) -> None:
        self._jieba: Any = None
        self._lock = threading.Lock()
        self.tagger = names or NameTagger()
        self.lac = lac or LacNames()
        self.transliterations = transliterations or Transliterations()
        self.jiagu = jiagu or JiaguNames()
        # the words of the last texts read: a conversation sends its messages again every turn, and the request is
        # read again for the names found anywhere in it (``again``); emptied by an erasure
        self._cut: Recent[str, tuple[tuple[int, str, str], ...]] = Recent(256)
        # where a text names again the names sought in it (``again``): a conversation's next turn seeks the same
        # names in its earlier messages, whose words may be forgotten by then
        self._again: Recent[tuple[str, frozenset[str]], tuple[Finding, ...]] = Recent(512)

    def _loaded(self) -> Any:
        with self._lock:
            if self._jieba is None:
                self._jieba = _load_jieba()
            return self._jieba

    def detect(self, text: str, language: str) -> list[Finding]:
        if language != "zh" or not text.strip():
            return []
        cued = [Finding(m.start(1), m.end(1), "PERSON", m.group(1), 0.75, "zh") for m in _CUED_NAME.finditer(text)]
        cued += [Finding(m.start(g), m.end(g), "PERSON", m.group(g), 0.75, "zh-alias")
                 for m in _ALIAS_NAME.finditer(text) for g in (1, 2, 3) if m.group(g)]
        tokens = self.words(text)
        found = _numbers(text) + _addresses(text) + cued + self._names(text, tokens)
        return found + _named_again(text, tokens, found, self._loaded().dt.FREQ)

    def again(self, text: str, language: str, names: frozenset[str]) -> list[Finding]:
        """Where ``text`` names again, alone, a person named anywhere in the request (``_sought``): a pen name
        given in one message, a given name after the full name said in another."""
        values = _in(text, language, names)
        if not values:
            return []
        return list(self._again.made((text, values), lambda: tuple(
            _sought(text, self.words(text), set(values), self._loaded().dt.FREQ))))

    def rereading(self, text: str, language: str, names: frozenset[str]) -> int:
        """The characters ``again`` would segment anew for ``text`` (neither its words nor what it names again of
        the same names remembered): the cost of reading it again, ~5,000 characters a second; the rest is lookups."""
        values = _in(text, language, names)
        if not values or self._again.get((text, values)) is not None or self._cut.get(text) is not None:
            return 0
        return len(text)

    def words(self, text: str) -> list[tuple[int, str, str]]:
        """jieba's words of ``text`` as (start, word, part-of-speech flag)."""
        return list(self._cut.made(text, lambda: self._segment(text)))

    def _segment(self, text: str) -> tuple[tuple[int, str, str], ...]:
        tokens: list[tuple[int, str, str]] = []
        at = 0
        for pair in self._loaded().posseg.cut(text):
            word, flag = pair.word, pair.flag
            at = text.index(word, at)
            tokens.append((at, word, flag))
            at += len(word)
        return tuple(tokens)

    def _names(self, text: str, tokens: list[tuple[int, str, str]]) -> list[Finding]:
        known = self._loaded().dt.FREQ  # the dictionary; a word not in it was put together by the tagger's HMM
        tags = self._loaded().posseg.dt.word_tag_tab  # the part of speech the dictionary files each word under
        # the Han characters of what the tagger read (a run may take in a dot or a digit beside a name)
        found = [Finding(m.start(), m.end(), "PERSON", m.group(), 0.7, "crf")
                 for start, end in self.tagger.persons(text, tokens, SURNAMES,
                                                       self.lac.tags(text) if self.tagger.lac else None)
                 for m in _HAN_RUN.finditer(text, start, end)]
        lac, doubt = self.lac.doubts(text)
        found += [Finding(m.start(), m.end(), "PERSON", m.group(), 0.7, "lac")
                  for start, end in lac for m in _HAN_RUN.finditer(text, start, end)]
        found += [Finding(m.start(), m.end(), "PERSON", m.group(), 0.7, "jiagu")
                  for start, end in self.jiagu.persons(text) for m in _HAN_RUN.finditer(text, start, end)]
        read = list(found)  # what the three taggers that read the context found
        for i, (start, word, flag) in enumerate(tokens):
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            if titled := _titled(word, after, start):
                found.append(Finding(start, start + len(titled), "PERSON", titled, 0.7, "jieba"))
            elif word in _FAMILIAR and after and _surname_only(after[1]) and after[0] == start + len(word):
                value = word + after[1]  # "这时老于坚信…": a surname the segmenter keeps apart from every word
                found.append(Finding(start, start + len(value), "PERSON", value, 0.7, "zh-familiar"))
            elif _surname_only(word) and after and _given(after[1], after[2]) and after[0] == start + len(word):
                value = word + after[1]
                found.append(Finding(start, start + len(value), "PERSON", value, 0.7, "jieba"))
            elif _person(word, flag, not known.get(word)) and not _word_only(word, start, known, tags, read):
                found.append(Finding(start, start + len(word), "PERSON", word, 0.7, "jieba"))
            elif _doubted_name(word, flag, doubt[start:start + len(word)]) and _at_clause_edge(text, start, word):
                found.append(Finding(start, start + len(word), "PERSON", word, 0.6, "jieba+lac"))
        found += [Finding(start, end, "PERSON", text[start:end], 0.6, "zh-translit")
                  for start, end in self.transliterations.spans(text, tokens, known)]
        found += _dotted(text, tokens, found, known)
        found += _listed(text, found)
        found += _annotated(text, found) + _referred(text, tokens, found)
        # the taggers read a digit alone on its line as a name ("一\n三\n八…": a number said one digit a line); no
        # name is digits only, and the digits of the number are ``failclosed.DigitRuns``'s
        # (nor a word of thanks standing as one: "OK，谢谢"; ``subjects.COURTESY``)
        return [f for f in found if not set(f.text) <= DIGIT_WORDS["zh"] and not _thanks(text, f)]


_THANKS_EDGE = re.compile(r"[\s，。！？、；,.!?~～;]|$")


def _thanks(text: str, f: Finding) -> bool:
    """A word of thanks as a clause of its own ("OK，谢谢", "谢谢！"); not one said of someone or named by a label
    ("明天找谢谢一下", "谢谢说她会晚到", "联系人：谢谢")."""
    before = text[:f.start].rstrip()
    return f.text in COURTESY and _THANKS_EDGE.match(text, f.end) is not None \
        and (not before or (before[-1] not in "：:" and not _HAN_RUN.match(before[-1])))


# jieba's dictionary files some common words as names (明白 10,875 times, 文明, 阳光, 卫星, 王朝: "nr"). A word it
# counts this often is a name only where a tagger that reads the context finds one there too (毛泽东, 李白 in
# "我喜欢李白的诗"). On held-out parts of MSRA training: 96 and 99 false alarms fewer, no name more left whole.
_TAGGED_WORD = 300


def _word_only(word: str, start: int, known: Any, tags: Any, read: list[Finding]) -> bool:
    """A name-tagged dictionary word (``_TAGGED_WORD``, ``_compound``) that neither context tagger reads as a
    person."""
    return ((known.get(word) or 0) >= _TAGGED_WORD or _compound(word, known, tags)) \
        and not any(f.start < start + len(word) and start < f.end for f in read)


def _compound(word: str, known: Any, tags: Any) -> bool:
    """A name-filed dictionary word that is a common word and more, with no surname first: the dictionary files 871
    such words as names, rarer ones too (银行卡 216 times: 银行 and 卡; 通知书, 小学生, 安全性, 德国人)."""
    head = word[:2]
    return (len(word) >= 3 and bool(known.get(word)) and not (word[0] in SURNAMES or word.startswith(_COMPOUND))
            and (known.get(head) or 0) >= _COMMON_WORD and tags.get(head) not in _NAME_FLAGS)


# A given name alone ("请转告海燕，…") is a word the dictionary files as a name (海燕 87 times "nr") without a surname
# before it; the taggers trained on news read it from context, and an addressee at the start of a message is no
# context they know. Where the dictionary calls a two-character word a name, LAC gives each of its characters at
# least this chance of being part of one, and the word opens or closes a clause (an addressee, a topic), it is a
# name: two readers half agreeing where persons are named. On held-out MSRA training parts: about 5 false alarms
# more per 1,300 sentences (8-16 without the clause edge); 亚军, 光辉 as the words they are keep LAC near zero.
_NAME_DOUBT = 0.02


def _doubted_name(word: str, flag: str, chances: list[float]) -> bool:
    # a given name is two characters, filed "nr" (transliterations, "nrt", are places as often: 波恩, 阿曼)
    return (flag == "nr" and len(word) == 2 and bool(_HAN.match(word)) and len(chances) == 2
            and min(chances) >= _NAME_DOUBT)


def _at_clause_edge(text: str, start: int, word: str) -> bool:
    """The word opens or closes a clause: where a person is addressed or is the topic ("海燕，…", "…转告海燕，")."""
    end = start + len(word)
    return start == 0 or text[start - 1] in _CLAUSE or end == len(text) or text[end] in _CLAUSE


# A word the dictionary counts this often is read as that word when it stands alone, not as a given name
# (明天 3,264, 建国 3,083, 光明 1,219 of jieba's ~60 million; the given names 建华 342, 红梅 189).
_COMMON_WORD = 1000


def _named_again(text: str, tokens: list[tuple[int, str, str]], found: list[Finding], known: Any) -> list[Finding]:
    """The other places where the message names a person it names somewhere (a document-level pass: the
    detectors read one clause at a time, a message names a person once with a cue and then without one).
    A name found anywhere, as a detector read it before overlapping findings were joined ("笔名叫晚舟。…晚舟的
    小说": the vault learns only the joined "叫晚舟"), the given name of a Chinese name ("田心远 … 心远每天")
    and a part of a foreign name ("沃伦斯卡娅" of "安娜·沃伦斯卡娅") count where they stand again (``_sought``)."""
    persons = [f for f in found if f.category == "PERSON"]
    covered = {i for f in persons for i in range(f.start, f.end)}
    return _sought(text, tokens, _sought_values(f.text for f in persons), known, covered)


def _in(text: str, language: str, names: frozenset[str]) -> frozenset[str]:
    """The values of ``names`` sought in a Chinese ``text`` (``_sought_values``) that it holds."""
    return frozenset(v for v in _sought_values(names) if v in text) if language == "zh" else frozenset()


def _sought_values(names: Iterable[str]) -> set[str]:
    """The Han names of ``names`` (2+ characters) and the parts that name their bearer alone."""
    names = set(names)
    return {n for n in names if len(n) >= 2 and _HAN.match(n)} | {p for n in names for p in _name_parts(n)}


def _sought(text: str, tokens: list[tuple[int, str, str]], values: set[str], known: Any,
            covered: set[int] | frozenset[int] = frozenset()) -> list[Finding]:
    """Where a value stands as a word of its own in the segmenter's reading (赵国华: not in 中国华侨), unless
    the dictionary knows it as a common word of another kind there (王建国: 建国以来; a guess of the tagger's
    that is a word: 现代, 阵雨). A value may end inside a word the segmenter made up, not one the dictionary
    knows: its HMM joins a name's last character to the next ("心远订了酒店": 心 + 远订)."""
    starts = {start: (word, flag) for start, word, flag in tokens}
    ends = {start + len(word) for start, word, _ in tokens}
    made_up = {i for start, word, _ in tokens if not known.get(word) for i in range(start + 1, start + len(word))}
    out = []
    for value in values:
        common = (known.get(value) or 0) >= _COMMON_WORD
        for m in re.finditer(re.escape(value), text):
            if m.start() not in starts or not (m.end() in ends or m.end() in made_up):
                continue
            word, flag = starts[m.start()]
            if common and (word != value or flag not in _NAME_FLAGS):
                continue
            if not covered.intersection(range(m.start(), m.end())):
                out.append(Finding(m.start(), m.end(), "PERSON", value, 0.6, "zh-again"))
    return out


def _name_parts(name: str) -> list[str]:
    """The parts of a name that name its bearer alone: the parts of a dot-joined foreign name, the given name
    of a Chinese name (of two characters: one would be replaced inside too many words)."""
    if any(dot in name for dot in _DOTS):
        return [p for p in re.split(f"[{_DOTS}]", name) if len(p) >= 2 and _HAN.match(p)]
    surname = 2 if name.startswith(_COMPOUND) else 1 if name[:1] in SURNAMES else 0
    given = name[surname:]
    return [given] if surname and len(given) == 2 and _HAN.match(name) else []


# What a roster or a biography writes right after a name: sex and nationality ("热地（藏族）", "林兰英（女）").
_ANNOTATION = re.compile(r"(?:[（(])(?:女|男|[\u4e00-\u9fff]{1,4}族(?:[，,、]女)?)[）)]")
_CLAUSE = "，。；：！？、“”‘’（）《》,.;:!?()\n "  # where a clause or an item begins


def _annotated(text: str, found: list[Finding]) -> list[Finding]:
    """The name an annotation follows: the 2-4 Han characters before it, starting where the name before it
    ends (a roster without separators) or where the clause begins; nothing if neither is within reach."""
    out = []
    ends = {f.end for f in found if f.category == "PERSON"}
    for m in _ANNOTATION.finditer(text):
        end = m.start()
        if end in ends:
            continue  # the name is found already
        for start in range(end - 2, max(end - 5, -1), -1):
            if not _HAN.match(text[start:end]):
                break
            if start in ends or start == 0 or text[start - 1] in _CLAUSE:
                out.append(Finding(start, end, "PERSON", text[start:end], 0.6, "zh-annotated"))
                break
    return out


_FUNCTION_FLAGS = frozenset({"x", "m", "q", "p", "c", "u", "uj", "ul", "uz", "ug", "ud", "uv", "y", "e", "r"})


def _referred(text: str, tokens: list[tuple[int, str, str]], found: list[Finding]) -> list[Finding]:
    """A person named again by the surname alone ("严汉祥 … （严收藏有…"): a single-character word at the
    start of a clause that is the surname of a name found before it in the same text."""
    names = [f for f in found if f.category == "PERSON" and 2 <= len(f.text) <= 4]
    out = []
    for start, word, flag in tokens:
        if (len(word) == 1 and flag not in _FUNCTION_FLAGS and (start == 0 or text[start - 1] in _CLAUSE)
                and any(f.text[0] == word and f.end <= start for f in names)
                and not any(f.start <= start < f.end for f in found)):
            out.append(Finding(start, start + 1, "PERSON", word, 0.6, "zh-referred"))
    return out


_ITEM = re.compile(r"[、和与及]([\u4e00-\u9fff]{2,3})[、和与及]")  # one item of an enumeration, between two others
# The first and the last item of an enumeration with 、, next to a name: "绍武、会林的", "（王刚、李明）"
_FIRST = re.compile(r"(?:^|(?<=[，。；：！？“（《\s]))([\u4e00-\u9fff]{2,3})、$")  # searched up to a name
_LAST = re.compile(r"、([\u4e00-\u9fff]{2,3})(?=的|等|[，。；：！？”）》\s]|$)")  # matched after a name


def _listed(text: str, found: list[Finding]) -> list[Finding]:
    """The names between names in a list. Without separators (a committee roster: "…王汉斌杨尚昆万里宋平…"):
    where two names found touch, the text is a list of names, and a run of 2-4 Han characters between two
    names of that list is one more, whatever a tagger read there (万里 is also a word). With separators
    ("雷鸣、高远和程光"): the items of one enumeration are of one kind, so a 2-3 character item between two
    names is a name."""
    names = [f for f in found if f.category == "PERSON"]
    touch = {f.end for f in names} & {f.start for f in names}  # one name ends where another begins
    stretches: list[list[int]] = []  # names that overlap or touch, as one stretch
    for f in sorted(names, key=lambda f: f.start):
        if stretches and f.start <= stretches[-1][1]:
            stretches[-1][1] = max(stretches[-1][1], f.end)
        else:
            stretches.append([f.start, f.end])
    out: list[Finding] = []
    gaps: list[tuple[int, int]] = []  # between the stretches of one chain
    listed = False
    for i, (start, end) in enumerate(stretches):
        listed = listed or any(start < t < end for t in touch)
        after = stretches[i + 1][0] if i + 1 < len(stretches) else -1
        if item := _ITEM.fullmatch(text, end, max(after, end)):
            out.append(Finding(item.start(1), item.end(1), "PERSON", item.group(1), 0.6, "zh-list"))
        for item in (_LAST.match(text, end), _FIRST.search(text, max(0, start - 4), start)):
            if item:
                out.append(Finding(item.start(1), item.end(1), "PERSON", item.group(1), 0.6, "zh-ends"))
        if 2 <= after - end <= 4 and _HAN.match(text[end:after]):
            gaps.append((end, after))
            continue
        out += [Finding(a, b, "PERSON", text[a:b], 0.6, "zh-list") for a, b in gaps] if listed else []
        gaps, listed = [], False
    return out


# A foreign name's parts are joined by a middle dot ("塔季扬娜·沃罗别娃"); the taggers often find one part
# or pieces of one ("季扬娜", "沃罗别"), which leaves the rest in clear.
_DOTS = "·•・"
_DOTTED = re.compile(r"[\u4e00-\u9fff]{1,8}(?:[·•・][\u4e00-\u9fff]{1,8})+")


def _dotted(text: str, tokens: list[tuple[int, str, str]], found: list[Finding], known: Any) -> list[Finding]:
    """The whole dot-joined run a found name stands in, without the ordinary words at its edges (a title
    before it, a verb after it: "总统", "陪同")."""
    out = []
    for m in _DOTTED.finditer(text):
        if not any(f.start < m.end() and m.start() < f.end for f in found):
            continue
        inside = [t for t in tokens if t[0] < m.end() and m.start() < t[0] + len(t[1])]
        # the words touching a dot are parts of the name whatever jieba calls them (亚历山大·…: a place to it)
        while len(inside) > 1 and _ordinary(inside[0], known) and inside[1][1] not in _DOTS:
            inside.pop(0)
        while len(inside) > 1 and _ordinary(inside[-1], known) and inside[-2][1] not in _DOTS:
            inside.pop()
        if inside:
            start, end = max(m.start(), inside[0][0]), min(m.end(), inside[-1][0] + len(inside[-1][1]))
            out.append(Finding(start, end, "PERSON", text[start:end], 0.7, "jieba"))
    return out


def _ordinary(token: tuple[int, str, str], known: Any) -> bool:
    """A word at the edge of a dotted run that is no part of the name: a known word of two or more
    characters not tagged as a name, or a function word."""
    _, word, flag = token
    if len(word) >= 2:
        return bool(known.get(word)) and flag not in _NAME_FLAGS
    return flag in _NOT_GIVEN_FLAGS and word not in _DOTS


# A surname with a title names one person as surely as a full name does ("江主席", "张书记", "王总"); the
# tagger keeps such a pair as one dictionary word or splits it, tagging the surname as anything ("张" q).
_TITLES = ("主席", "总理", "总统", "书记", "部长", "局长", "市长", "省长", "县长", "厂长", "校长", "院长", "所长",
           "处长", "科长", "队长", "主任", "经理", "董事长", "委员", "大使", "教授", "老师", "医生", "大夫", "律师",
           "先生", "女士", "小姐", "师傅", "同志", "总", "工")


def _titled(word: str, after: tuple[int, str, str] | None, start: int) -> str:
    """The surname and title ("江主席"), as one token or a surname token and a title token; "" if none."""
    if len(word) >= 2 and word[0] in SURNAMES and word[1:] in _TITLES and _HAN.match(word):
        return word
    if (len(word) == 1 and word in SURNAMES and after is not None and after[0] == start + 1
            and after[1] in _TITLES):
        return word + after[1]
    return ""


# A familiar form of address: 老 or 小 and a surname ("老于", "小欧阳"), when the segmenter keeps both apart
# (小时, 小米, 老毛病 are words it knows).
_FAMILIAR = frozenset({"老", "小"})


def _surname_only(word: str) -> bool:
    return (len(word) == 1 and word in SURNAMES) or word in _COMPOUND


def _given(word: str, flag: str) -> bool:
    return 1 <= len(word) <= 2 and bool(_HAN.match(word)) and flag not in _NOT_GIVEN_FLAGS


def _person(word: str, flag: str, new: bool) -> bool:
    """A name-tagged token shaped like a name, or a word the dictionary does not know that starts with a
    surname ("方坤", "郑平": the tagger joined two characters it had no word for)."""
    if flag == "nrt" and _HAN.match(word) and len(word) >= 2:
        return True  # a transliterated name is as long as it is ("克瓦希涅夫斯基")
    if not _HAN.match(word) or not 2 <= len(word) <= 4:
        return False
    surname = word[0] in SURNAMES or word.startswith(_COMPOUND)
    if flag in _NAME_FLAGS:
        # "nrt": transliterated or nick names ("娜娜"); a name the HMM found needs no known surname (兰莹, 苑雪)
        # a name the dictionary knows without a Chinese surname is a transliteration (克林顿, 基辛格)
        return flag == "nrt" or new or surname or len(word) >= 3
    return new and surname and len(word) <= 3 and flag not in _NOT_NEW_NAME_FLAGS
