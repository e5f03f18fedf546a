"""Word sets declared here, not loaded: sensitive topics per language, common Chinese surnames, German
words that are never names, organisation words, month and day names. (The loaded reference lists, the
census names and the system dictionaries, are in ``dictionaries.py``.)

Topics (health, finance) mark a request as sensitive without being replaceable: "my diagnosis" stays
meaningful only with the diagnosis in it, so such requests are kept on the device in ``auto`` mode.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["CALENDAR", "DIGIT_REPEATS", "DIGIT_WORDS", "FIELD_KINDS", "GERMAN_COMMON", "ORG_WORDS", "PERSON_WORDS",
           "SAID_BY_PEOPLE", "ZH_SURNAMES", "Topics", "topic_patterns"]

# Digits said as words, as speech recognition and dictation write a number out ("zero one five one ...", "null eins
# fünf ...", "一三八一二三四…", 幺 for one on the phone). Words that say the next digit comes two or three times.
DIGIT_WORDS = {
    "en": frozenset({"zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}),
    "de": frozenset({"null", "eins", "zwei", "zwo", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"}),
    "zh": frozenset("零〇一幺二两三四五六七八九"),
    # the languages of an EU user's contacts, whose numbers a German or English request may quote as said
    "fr": frozenset({"zéro", "zero", "un", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"}),
    "it": frozenset({"zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"}),
    "es": frozenset({"cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"}),
    "pl": frozenset({"zero", "jeden", "jedna", "dwa", "trzy", "cztery", "pięć", "sześć", "siedem", "osiem",
                     "dziewięć"}),
    "tr": frozenset({"sıfır", "bir", "iki", "üç", "dört", "beş", "altı", "yedi", "sekiz", "dokuz"}),
}
DIGIT_REPEATS = {"double": 2, "triple": 3, "doppel": 2, "doppelte": 2, "dreifach": 3}

# The kind of personal data a record's field holds, by the words of its key (en, de, zh), surest kinds first:
# (words found anywhere in the key with its separators taken out, words that must be a whole word of it). A
# program names its fields by what they hold ("last_name", "phone_prefix", "plz", "strasse"), so the value of such
# a field is of that kind whatever it looks like ("Meier", "0151"). "name" alone is not here: products, files and
# tools have names too.
FIELD_KINDS: tuple[tuple[str, tuple[str, ...], frozenset[str]], ...] = (
    ("EMAIL", ("email", "mail", "邮箱", "邮件"), frozenset()),
    ("IBAN", ("iban", "kontonummer", "accountnumber", "bankaccount", "银行账号", "账号"), frozenset({"bic", "swift"})),
    ("CREDIT_CARD", ("cardnumber", "creditcard", "kartennummer", "银行卡", "卡号"), frozenset({"pan", "cvv", "cvc"})),
    ("ID_NUMBER", ("passport", "reisepass", "personalausweis", "steuerid", "taxid", "socialsecurity", "idnumber",
                   "idcard", "身份证", "护照"), frozenset({"ssn", "tin"})),
    ("DATE_OF_BIRTH", ("birth", "geburt", "生日", "出生"), frozenset({"dob"})),
    # what signs a person in: a user name, a password or PIN, a token (not "max_tokens": a whole word only)
    ("ID_NUMBER", ("username", "userid", "loginname", "password", "passwort", "passcode", "kennwort", "benutzername",
                   "密码", "用户名"), frozenset({"login", "pin", "token", "secret", "handle"})),
    ("PHONE", ("phone", "mobile", "telefon", "handy", "mobil", "fax", "电话", "手机"), frozenset({"tel", "msisdn"})),
    ("IP_ADDRESS", ("ipaddress",), frozenset({"ip"})),
    ("ADDRESS", ("address", "street", "strasse", "straße", "housenumber", "hausnummer", "postcode", "postalcode",
                 "zipcode", "postleitzahl", "wohnort", "地址", "住址", "邮编"),
     frozenset({"zip", "plz", "city", "town", "ort", "stadt", "apartment", "apt", "unit"})),
    ("PERSON", ("firstname", "lastname", "surname", "givenname", "fullname", "familyname", "middlename",
                "maidenname", "nickname", "vorname", "nachname", "familienname", "rufname", "姓名", "名字",
                "联系人", "收件人"), frozenset({"姓", "名"})),
)

# The most common surnames cover >85% of the population; compound ones first so they win.
ZH_SURNAMES = (
    "欧阳", "上官", "司马", "诸葛", "东方", "皇甫", "尉迟", "公孙", "令狐", "慕容", "司徒",
    *"王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
     "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤",
)

# Common German words that start with a capital letter (nouns, greetings, sentence openers): never names.
GERMAN_COMMON = frozenset({
    "guten", "tag", "morgen", "abend", "bitte", "danke", "meine", "mein", "meinen", "ihre", "ihr", "ihren",
    "sehr", "geehrte", "geehrter", "liebe", "lieber", "hallo", "herr", "frau", "konto", "steuer-id",
    "steuernummer", "reisepassnummer", "adresse", "telefon", "nummer", "termin", "grüße", "gruß", "viele",
    "freundliche", "rechnung", "vertrag", "arzt", "ärztin", "praxis", "bank", "straße", "the",
})

# Nouns for a person (kin, titles, roles; German and English, as written before a name): a name after them is a
# person's ("Oma Erna", "Kollege Peter", "Uncle Bob"), where after a noun for a thing it names the thing ("Pizza
# Margherita", "Apple Watch"; ``dictionaries.names_a_thing``).
PERSON_WORDS = frozenset({
    "oma", "opa", "omi", "opi", "mama", "papa", "mutti", "vati", "mutter", "vater", "tante", "onkel", "bruder",
    "schwester", "sohn", "tochter", "cousin", "cousine", "neffe", "nichte", "enkel", "enkelin", "schwager",
    "schwägerin", "frau", "herr", "herrn", "fräulein", "doktor", "dr", "prof", "professor", "professorin", "kollege",
    "kollegen", "kollegin", "chef", "chefin", "nachbar", "nachbarn", "nachbarin", "freund", "freundin", "pfarrer",
    "pastor", "schwiegermutter", "schwiegervater", "patentante", "pate", "patin", "kommissar", "kommissarin", "uncle",
    "aunt", "auntie", "mom", "mum", "dad", "grandma", "grandpa", "granny", "grandmother", "grandfather", "mother",
    "father", "sister", "brother", "son", "daughter", "niece", "nephew", "wife", "husband", "mr", "mrs", "ms", "miss",
    "mx", "sir", "madam", "lady", "lord", "doctor", "nurse", "coach", "captain", "officer", "detective", "judge",
    "agent", "king", "queen", "prince", "princess", "saint", "pope", "president", "senator", "governor", "mayor",
    "friend", "boss", "colleague", "neighbor", "neighbour", "teacher", "partner", "baby",
})

# Words that make a capitalised phrase an organisation or a place, not a person.
ORG_WORDS = re.compile(
    r"\b(?:Inc|Ltd|LLC|GmbH|AG|Corp|Corporation|Company|Co|Group|Bank|University|College|School|Institute|"
    r"Foundation|Association|Society|Council|Ministry|Department|Agency|Services|Systems|Solutions|Technologies|"
    r"Labs?|Studios?|Records|Press|Club|Team|Party|Church|Hospital|Airlines?|Hotel|Restaurant|Cafe|Market|"
    r"Weekly|Daily|Times|News|Magazine|Journal|Review|Radio|TV|Orchestra|Band|Choir|Ensemble|Festival|Museum|"
    r"Theatre|Theater|Gallery|Library|Stadium|Park|Center|Centre|Airport|Station|Motors|Pharma|Energy|Capital|"
    r"Partners|Holdings|Media|Games|Software|Networks|Northern|Southern|Eastern|Western|Central)\b")

# Units of money, singular and plural, and ISO codes: after "to" in a clause about money they are what a sum
# is converted into ("100 dollars to yen"), never who receives it.
CURRENCIES = frozenset({
    *(w + s for w in ("dollar", "euro", "pound", "peso", "rupee", "franc", "ruble", "rouble", "dinar", "dirham",
                      "riyal", "rial", "shekel", "shilling", "zloty", "forint", "ringgit", "kwacha", "cent", "buck",
                      "bitcoin", "penny", "yuan", "rand", "baht", "real") for s in ("", "s")),
    "yen", "won", "renminbi", "rmb", "krona", "kronor", "krone", "kroner", "lira", "lire", "lei", "leu", "reais",
    "rupiah", "dong", "naira", "taka", "hryvnia", "koruna", "pence", "sterling", "btc", "eth",
    "usd", "eur", "gbp", "jpy", "cny", "chf", "cad", "aud", "inr", "mxn", "krw", "sek", "nok", "dkk", "pln", "rub",
})
# Capitalised in every dictionary and listed as surnames by the census, yet never a person here.
CALENDAR = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december",
})

# English verbs said of people only (speaking, writing, calling, asking, wanting), as they follow a subject: present,
# past, and after a modal. A census surname that is a word ("Smith", "Baker") opening a sentence as their subject is a
# person; as the subject of other verbs it may be the word ("Rice costs more", "Stone is heavy", "Bush needs water").
SAID_BY_PEOPLE = frozenset({
    *(verb + ending for verb in ("call", "text", "email", "e-mail", "ask", "answer", "mention", "confirm", "complain",
                                 "explain", "request", "suggest", "recommend", "insist", "talk", "want", "wonder")
      for ending in ("", "s", "ed")),
    *(verb + ending for verb in ("phone", "message", "promise", "agree", "apologise", "apologize", "hope")
      for ending in ("", "s", "d")),
    "reply", "replies", "replied", "wish", "wishes", "wished", "say", "says", "said", "tell", "tells", "told",
    "write", "writes", "wrote", "ring", "rings", "rang", "speak", "speaks", "spoke", "send", "sends", "sent",
    "think", "thinks", "thought", "know", "knows", "knew",
})

_HEALTH = {
    "en": ["diagnos\\w*", "cancer", "tumou?r", "diabet\\w*", "HIV", "AIDS", "depress\\w*", "anxiety disorder",
           "pregnan\\w*", "chemotherapy", "medication", "prescri\\w*", "symptom\\w*", "therap\\w*", "psychiatr\\w*",
           "illness", "disease", "surgery", "blood pressure", "insulin", "antidepressant\\w*", "STD", "hepatitis",
           "dementia", "schizophreni\\w*", "bipolar", "asthma", "allerg\\w*", "infection", "miscarriage",
           "paracetamol", "ibuprofen", "doctor", "hospital", "clinic", "patient"],
    "de": ["Diagnose\\w*", "Krebs\\w*", "Tumor\\w*", "Diabetes", "HIV", "Depression\\w*", "schwanger\\w*",
           "Schwangerschaft", "Chemotherapie", "Medikament\\w*", "Rezept\\w*", "Symptom\\w*", "Therapie\\w*",
           "Krankheit\\w*", "Erkrankung\\w*", "Operation", "Blutdruck", "Insulin", "Arzt", "Ärztin",
           "Krankenhaus", "Klinik", "Patient\\w*", "Psychiat\\w*", "Allergie\\w*", "krank\\w*", "Hausarzt"],
    "zh": ["诊断", "癌", "肿瘤", "糖尿病", "艾滋", "抑郁", "怀孕", "化疗", "药物", "处方", "症状", "治疗",
           "疾病", "手术", "血压", "胰岛素", "医院", "病人", "患者", "过敏", "精神病", "医生", "生病", "病情"],
}
_FINANCE = {
    "en": ["salary", "income", "debt\\w*", "credit score", "loan", "mortgage", "bank account", "bankrupt\\w*",
           "tax return", "overdraft", "net worth", "credit card", "transaction\\w*", "pension"],
    "de": ["Gehalt", "Einkommen\\w*", "Schulden", "Kredit\\w*", "Darlehen", "Hypothek", "Bankkonto", "Konto\\w*",
           "Insolvenz", "Steuererklärung", "Überweisung\\w*", "Rente", "Schufa"],
    "zh": ["工资", "收入", "贷款", "欠款", "债务", "信用", "房贷", "银行账户", "银行卡", "破产", "存款", "转账"],
}


@dataclass(frozen=True)
class Topics:
    """One language's sensitive-topic words as one pattern; ``spans`` gives (start, end, category).

    The pattern runs on the lower-cased text and starts with the words themselves: a pattern that starts
    with a literal is scanned for at C speed, one that starts with ``\b`` or runs case-insensitively is
    tried at every position, several times slower. The word boundary before a match is tested here.
    """

    pattern: re.Pattern[str]
    bounded: bool  # words must start at a word boundary (not in Chinese, which has no spaces)
    # For the rare text whose lower case has another length ("İ"), so that offsets would shift.
    fallback: re.Pattern[str]

    def spans(self, text: str) -> Iterator[tuple[int, int, str]]:
        lowered = text.lower()
        if len(lowered) != len(text):
            yield from ((m.start(), m.end(), m.lastgroup or "") for m in self.fallback.finditer(text))
            return
        pos = 0
        while (match := self.pattern.search(lowered, pos)) is not None:
            start = match.start()
            if self.bounded and start and _WORD_CHAR.match(lowered, start - 1):
                pos = start + 1  # inside a word ("hive" for HIV): look again one character later
                continue
            yield start, match.end(), match.lastgroup or ""
            pos = max(match.end(), start + 1)


_WORD_CHAR = re.compile(r"\w")


def _groups(language: str, bounded: bool, head: str) -> str:
    tail = r"\b" if bounded else ""
    return "|".join(f"(?P<{c}>{head}(?:{'|'.join(w.lower() for w in t[language])}){tail})"
                    for c, t in (("HEALTH", _HEALTH), ("FINANCE", _FINANCE)))


def topic_patterns() -> dict[str, Topics]:
    """Per language: the sensitive-topic words (categories HEALTH and FINANCE)."""
    out = {}
    for language in _HEALTH:
        bounded = language != "zh"
        out[language] = Topics(re.compile(_groups(language, bounded, "")), bounded,
                               re.compile(_groups(language, bounded, r"\b" if bounded else ""), re.I))
    return out
