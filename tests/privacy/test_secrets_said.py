"""A password, PIN or network key said in a sentence after its name (review31 R31-12): "my wifi password is
Sunflower42", "密码是abc12345", "my PIN is 4711" went to the cloud as written at ea969c1, while the same value in a
JSON field named "password" was replaced. Talk about a secret ("my password is wrong") stays."""

from __future__ import annotations

import pytest

from tandem.privacy.pseudonymize import Vault, analyse, redact
from tandem.privacy.secrets import secret_values
from tandem.router.wiring import egress_detector, fast_detector
from tandem.types import ChatRequest, Message

EGRESS = egress_detector(fast_detector("DE"))
SAID = [("my wifi password is Sunflower42", "Sunflower42"), ("password=Sunflower42", "Sunflower42"),
        ("密码是abc12345", "abc12345"), ("my PIN is 4711", "4711"), ("my password is Sunflower42!", "Sunflower42"),
        ("Passwort: Sommer2024!", "Sommer2024"), ("Die PIN lautet 0815.", "0815"), ("支付密码为 884422", "884422"),
        ("我的WiFi密码：Sunflower42", "Sunflower42"), ("The password: hunter2, ok?", "hunter2"),
        # a plain word, a door code, a key (review31 R31-12 rest: sent at 6c2a30a)
        ("my password is sunflower", "sunflower"), ("my password is Sunflower", "Sunflower"),
        ("mein Passwort lautet Katze", "Katze"), ("mein Passwort ist katze", "katze"),
        ("password: sunflower", "sunflower"), ("the password for the wifi is sunflower", "sunflower"),
        ("the code for the door is 4471", "4471"), ("Der Türcode ist 4471", "4471"),
        ("der Code für die Haustür ist 4471", "4471"), ("门禁码是4471", "4471"), ("门禁密码是4471", "4471"),
        ("key=AbC123xyz", "AbC123xyz"), ("the wifi password is hunter and the pin is 1234", "hunter"),
        # said digit by digit in words; no link before a value with a digit; a word after the value
        ("my PIN is four four seven one", "four four"), ("PIN ist vier vier sieben eins", "vier vier"),
        ("密码是四四七一", "四四七一"), ("PIN 4711", "4711"), ("door code 4471", "4471"),
        ("the wifi password is sunflower btw", "sunflower"),
        # a plain word before more words that say why; a passphrase; a PIN number (review32 R32-2, R32-9: sent at
        # 2d5bb64)
        ("my password is sunflower in case you need it", "sunflower"),
        ("mein Passwort ist Katze weil ich sie mag", "Katze"),
        ("das Passwort ist Zuckerwatte für alle", "Zuckerwatte"),
        ("my password is trombone for the guests", "trombone"),
        ("my password is correct horse battery staple", "horse battery"),
        ("my password is correct horse battery staple, ok?", "horse battery"),
        ("the password is purple monkey dishwasher", "monkey"), ("my pin number is 1234", "1234"),
        ("my PIN number is 4711", "4711"), ("meine PIN-Nummer ist 4711", "4711"), ("我的PIN码是4711", "4711"),
        ("my pin number is one two three four", "two three")]
TALK = ["my password is wrong", "Passwort ist falsch", "I forgot my PIN, can you help?", "密码是多少？", "我忘了密码",
        "What is a good password?", "the PIN is required", "pinball is fun", "spin is 45",
        "my password is case sensitive", "my password is too short", "my password is expired", "the code is ready",
        "the error code is 404", "The key is under the mat", "my password is the same", "Das Passwort ist abgelaufen",
        "my password is not working", "the password is changing tomorrow", "my password is secret",
        "the code is one of the best", "error code is four zero four", "the code 3 times",
        "I need a PIN code 4 digits long",
        # talk before more words (review32 R32-2's fix reads the words after a plain word)
        "my password is too short for me", "my password is wrong because I typed it fast",
        "my password is saved in case I forget", "my password is different for every site",
        "the password is somewhere in the drawer", "Das Passwort ist abgelaufen seit gestern",
        "my password is unique for each account", "my password is not working anymore",
        "my password is easy to remember",
        "my password is the same as yours", "my PIN number is printed on the letter"]


def _sent(text: str) -> str:
    request = ChatRequest(messages=(Message("user", text),))
    return str(redact(request, analyse(request, EGRESS), Vault()).request.messages[0].content)


@pytest.mark.parametrize(("text", "secret"), SAID)
def test_a_secret_said_after_its_name_is_replaced(text: str, secret: str) -> None:
    assert secret not in _sent(text)


@pytest.mark.parametrize("text", TALK)
def test_talk_about_a_secret_stays(text: str) -> None:
    assert _sent(text) == text


@pytest.mark.parametrize(("text", "secret"), [
    ("my password is zxcvbnm in case you forget", "zxcvbnm"), ("my password is Xkcdqwerty because I like comics",
                                                                "Xkcdqwerty"),
    ("mein Passwort ist Xkcdqwerty falls du es brauchst", "Xkcdqwerty"),
    ("the wifi password is lkjhgfdsa unless you changed it", "lkjhgfdsa"),
    ("my password is correct horse battery staple", "correct horse battery staple")])
def test_a_word_no_dictionary_knows_is_the_secret_before_more_words(text: str, secret: str) -> None:
    # review32 R32-2: secret_values found none of these at 2d5bb64 (a plain word not closing its clause was talk); the
    # egress sent them replaced only because the unknown-word net tagged them
    assert [f.text for f in secret_values(text)] == [secret]


@pytest.mark.timeout(60)
def test_many_codes_said_are_read_in_one_pass() -> None:
    # review32 R32-15: each code's "public kind?" check read the whole text before it: 136,000 characters of codes
    # took 98 s at ac525a3 (2 cores), far over this test's timeout; 0.2 s read once near each name
    text = "the code is 4471, the error code is 404. " * 3400
    found = secret_values(text)
    assert [f.text for f in found] == ["4471"] * 3400
