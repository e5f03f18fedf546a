"""A number written a group or one digit a line ("0\\n1\\n5\\n1\\n…", "Tel 0151\\n2345\\n678"; said as words or in
Han digits too): each line alone holds too few digits for a rule, so it went out as written at 680efeb (walk20
task 2). Lines of digits one after another are one number (``failclosed._digit_lines``), through the egress detector."""

from __future__ import annotations

import re

import pytest

from tandem.privacy.failclosed import DigitRuns
from tandem.privacy.pseudonymize import Vault, analyse, redact
from tandem.router.wiring import egress_detector, fast_detector
from tandem.types import ChatRequest, Message

EGRESS = egress_detector(fast_detector("DE"))


def _sent(text: str) -> str:
    request = ChatRequest(messages=(Message("user", text),))
    return str(redact(request, analyse(request, EGRESS), Vault()).request.messages[0].content)


@pytest.mark.parametrize(("text", "digits"), [
    ("Meine Nummer:\n0\n1\n5\n1\n2\n3\n4\n5\n6\n7\n8", "01512345678"),
    ("my phone is\n5\n5\n5\n1\n2\n3\n4\n5\n6\n7", "5551234567"),
    ("1\r\n5\r\n2\r\n0\r\n1\r\n2\r\n3\r\n4", "15201234"),  # Windows line ends
    ("1 \n 5 \n\n 2 \n 0 \n 1 \n 2 \n 3", "1520123"),  # spaces and a blank line between
    ("0151\n2345\n678", "01512345678"), ("Tel 0151\n2345678 danke", "01512345678"),
    ("IBAN\nDE\n8\n9\n3\n7\n0\n4\n0\n0\n4\n4\n0\n5\n3\n2\n0\n1\n3\n0\n0\n0", "89370400440532013000"),
    ("电话\n1\n3\n8\n1\n2\n3\n4\n5\n6\n7\n8", "13812345678"),
    ("电话\n一\n三\n八\n一\n二\n三\n四\n五", "一三八一二三四五"),  # the name taggers took single digits for names
    ("meine Nummer\nnull\neins\nfünf\neins\nzwei\ndrei\nvier\nfünf", "nulleinsfünfeinszweidreivierfünf"),
    ("call me at\nzero\none\nfive\none\ntwo\nthree\nfour", "zeroonefiveonetwothreefour"),
    # a list's marks and a comma or dot after each; the other line breaks a reader sees
    ("- 0\n- 1\n- 5\n- 1\n- 2\n- 3\n- 4", "0151234"), ("• 0\n• 1\n• 5\n• 1\n• 2\n• 3\n• 4", "0151234"),
    ("0,\n1,\n5,\n1,\n2,\n3,\n4,\n5", "01512345"), ("0151\v2345\v678", "01512345678"),
    ("0151\u20282345\u2028678", "01512345678"), ("0151\f2345\f678", "01512345678"),
])
def test_digits_a_line_are_one_number(text: str, digits: str) -> None:
    sent = re.sub(r"<[A-Z_]+_\d+>", "", _sent(text))
    left = "".join(c for c in sent if c.isdigit() or c in "零〇一幺二两三四五六七八九") + "".join(
        w for w in sent.split() if w in ("null", "eins", "fünf", "zwei", "drei", "vier", "zero", "one", "five",
                                         "two", "three", "four"))
    assert len(left) <= 1 and not any(part in sent for part in (digits[:4], digits[-4:])), sent


@pytest.mark.parametrize("text", [
    "Steps:\n1\n2\n3", "Order 12\n34 items", "Preise:\n3.50\n4.20\n5.10\n6.30",
    "Preis 12\n3.50 Euro, bitte", "Ich habe\neins\nzwei\ndrei Fragen",
    "1. Milch\n2. Eier\n3. Brot\n4. Butter\n5. Mehl\n6. Zucker",
])
def test_short_lists_and_numbered_lines_stay(text: str) -> None:
    assert not DigitRuns().detect(text, "de")


def test_long_runs_of_digit_lines_are_found_in_one_pass() -> None:
    texts = ["1 " * 30000 + "\n" + "1 " * 30000 + ".5", "1\n 1 " * 30000 + ".5", "1\n \n" * 20000 + ".5",
             "- 1\n" * 30000 + ".5", "1\u2028\u2028" * 20000 + ".5"]
    # a pattern retried from every digit took 55 s for the first (the suite's timeout fails a quadratic one)
    found = [DigitRuns().detect(text, "en") for text in texts]
    assert all(found)  # _RUN's runs on one line, and the lines
