"""detect_language reads a sentence's language from its words (language_words.toml): a word two languages write alike
("was", "am", "die", "in") tells neither, Chinese characters that are only a name leave the sentence's language to its
other words, and a code's letters ("SH-FDC980A464") are no words."""

import pytest

from tandem.agent.slots import detect_language


@pytest.mark.parametrize(("text", "lang"), [
    # a word German and English write alike tells neither: the others do
    ("we had pizza last night, it was great", "en"),
    ("that film was far too long", "en"),
    ("the concert was amazing, thanks", "en"),
    ("I am so tired, it was a long day", "en"),
    ("my brother will die laughing", "en"),
    ("there was a man at the door", "en"),
    ("das war super, danke", "de"),
    ("was gibt es heute im Kino", "de"),
    ("ich bin am Montag nicht da", "de"),
    ("die Pizza war kalt", "de"),
    ("Was steht diese Woche an?", "de"),
    ("drei Karten an die Adresse Torstraße 5", "de"),
    ("Moin moin", "de"),
    # Chinese characters framed by Chinese words; a Chinese name in an English or German request
    ("take me to 天安门 by metro", "en"),
    ("book two tickets for 流浪地球2 tonight", "en"),
    ("how do I get to 北京南站", "en"),
    ("bring mich zum 国家大剧院", "de"),
    ("帮我订两张Dune的票", "zh"),
    ("我想看 the Batman", "zh"),
    ("iPhone 15多少钱", "zh"),
    ("周杰伦", "zh"),
    # letters inside a code are no words
    ("Sendungsstatus SH-FDC980A464", "de"),
    ("Erstatte TIX-2C3D4E5F6A", "de"),
    ("refund TIX-2C3D4E5F6A", "en"),
])
def test_the_words_that_tell_a_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang
