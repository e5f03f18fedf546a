"""Hand-written realistic messages in en/de/zh, each with the personal values that must never leave the
device, and the categories they belong to. Check digits are valid (computed, not copied from examples)."""

from __future__ import annotations

__all__ = ["SAMPLES"]

SAMPLES: list[tuple[str, str, dict[str, str]]] = [
    ("en", "Hi, I'm moving. My new address is 4821 Maple Avenue, Apt 12, Portland, OR 97205 and my phone is "
           "(503) 555-0147. Please email the lease to jordan.whitaker@fastmail.com.",
     {"4821 Maple Avenue": "ADDRESS", "(503) 555-0147": "PHONE", "jordan.whitaker@fastmail.com": "EMAIL"}),
    ("en", "Can you check why my card 4539 1488 0343 6467 was declined? My SSN is 512-44-9821 and I was "
           "born on March 3, 1986.",
     {"4539 1488 0343 6467": "CREDIT_CARD", "512-44-9821": "ID_NUMBER", "March 3, 1986": "DATE_OF_BIRTH"}),
    ("en", "Write a short note to Margaret Holloway telling her that Daniel Okafor will cover her shift.",
     {"Margaret Holloway": "PERSON", "Daniel Okafor": "PERSON"}),
    ("de", "Guten Tag, mein Name ist Katrin Vogelsang. Bitte überweisen Sie die Erstattung auf mein Konto "
           "DE44 5001 0517 5407 3249 31. Meine Steuer-ID lautet 47150389216.",
     {"Katrin Vogelsang": "PERSON", "DE44 5001 0517 5407 3249 31": "IBAN", "47150389216": "ID_NUMBER"}),
    ("de", "Herr Brenninkmeyer wohnt in der Lindenallee 37, 50968 Köln und ist unter 0221 4710832 oder "
           "mobil unter +49 172 3318054 erreichbar.",
     {"Brenninkmeyer": "PERSON", "Lindenallee 37": "ADDRESS", "0221 4710832": "PHONE",
      "+49 172 3318054": "PHONE"}),
    ("de", "Meine Reisepassnummer ist C4J7M2K9R, geboren am 14.08.1979. Schreib mir an "
           "t.hartmann@web.de.",
     {"C4J7M2K9R": "ID_NUMBER", "14.08.1979": "DATE_OF_BIRTH", "t.hartmann@web.de": "EMAIL"}),
    ("zh", "你好，我叫李文博，身份证号码是440304198506123412，手机号13926581134，请把发票寄到广东省深圳市"
           "福田区深南大道6008号。",
     {"李文博": "PERSON", "440304198506123412": "ID_NUMBER", "13926581134": "PHONE",
      "深南大道6008号": "ADDRESS"}),
    ("zh", "请帮我给陈静女士写一封邮件，她的邮箱是chenjing88@163.com，电话是021-62478835。",
     {"陈静": "PERSON", "chenjing88@163.com": "EMAIL", "021-62478835": "PHONE"}),
    ("zh", "我的银行卡号是6222 0212 3456 7894 这张卡不能用了，我住在上海市徐汇区漕溪北路88号。",
     {"6222 0212 3456 7894": "CREDIT_CARD", "漕溪北路88号": "ADDRESS"}),
]
