"""A catalog search across the languages an item is named in (W4-11: "沙丘" vs "Dune", "披萨" vs "Pizza Margherita")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tandem.partners.server import load_data
from tandem.partners.store import PartnerStore, words_match

_MIGRATIONS = ["CREATE TABLE films (id TEXT PRIMARY KEY, title TEXT NOT NULL, names TEXT NOT NULL)"]


def _seed(conn) -> None:  # type: ignore[no-untyped-def]
    for film, names in (("f-dune", {"en": "Dune", "de": "Dune", "zh": "沙丘"}),
                        ("f-fox", {"en": "A Fox in the Snow", "de": "Ein Fuchs im Schnee", "zh": "雪中狐"})):
        conn.execute("INSERT INTO films VALUES (?, ?, ?)", (film, names["de"], json.dumps(names, ensure_ascii=False)))


def test_a_catalog_finds_an_item_by_any_of_its_names(tmp_path: Path) -> None:
    store = PartnerStore(tmp_path / "films.db", _MIGRATIONS, _seed)
    rows = store.rows("SELECT * FROM films ORDER BY id")
    assert [r["id"] for r in words_match(rows, "沙丘", ("title", "names"))] == ["f-dune"]
    assert [r["id"] for r in words_match(rows, "the fox", ("title", "names"))] == ["f-fox"]
    assert [r["id"] for r in words_match(rows, "雪中狐", ("title", "names"))] == ["f-fox"]
    assert words_match(rows, "沙丘", ("title",)) == []  # a partner that keeps one language finds nothing
    store.close()


def test_a_language_key_is_no_name() -> None:
    rows = [{"id": "d1", "names": {"deu": "Pizza Margherita", "zho": "玛格丽特披萨"}},
            {"id": "d2", "names": ["Tiramisu"]}]
    assert [r["id"] for r in words_match(rows, "披萨", ("names",))] == ["d1"]
    assert [r["id"] for r in words_match(rows, "tiramisu", ("names",))] == ["d2"]
    assert words_match(rows, "deu", ("names",)) == []


@pytest.mark.parametrize(("region", "query", "product"), [
    ("EU", "电热水壶", "p-eu-kettle"), ("EU", "a kettle", "p-eu-kettle"), ("EU", "充电宝", "p-eu-powerbank"),
    ("EU", "an umbrella", "p-eu-umbrella"), ("CN", "einen Wasserkocher", "p-cn-kettle"),
    ("CN", "a power bank", "p-cn-powerbank"), ("CN", "headphones", "p-cn-headph"),
])
def test_the_shops_products_are_found_in_the_users_language(region: str, query: str, product: str) -> None:
    rows = load_data("products.json")[region]
    assert [r["id"] for r in words_match(rows, query, ("name", "names", "brand"))] == [product]


@pytest.mark.parametrize(("city", "query", "dish"), [
    ("Berlin", "披萨", "Pizza Margherita"), ("Berlin", "麻婆豆腐", "Mapo Tofu"),
    ("Munich", "currywurst with fries", "Currywurst mit Pommes"), ("Berlin", "beef pho", "Pho Bo"),
    ("Hangzhou", "Kung Pao chicken", "宫保鸡丁"), ("Shanghai", "Xiaolongbao", "小笼包"),
    ("Shanghai", "soup dumplings", "小笼包"),
    # the Beijing restaurants' dishes (CrossWOZ's) had their Chinese name only
    ("Beijing", "lamb skewers", "羊肉串"), ("Beijing", "Lammspieße", "羊肉串"),
    ("Beijing", "sweet and sour pork", "糖醋里脊"), ("Beijing", "fish-fragrant shredded pork", "鱼香肉丝"),
])
def test_the_restaurants_dishes_are_found_in_the_users_language(city: str, query: str, dish: str) -> None:
    dishes = [d for r in load_data("restaurants.json") if r["city"] == city for d in r["dishes"]]
    assert dishes and {d["name"] for d in words_match(dishes, query, ("name", "names"))} == {dish}


def test_every_dish_is_named_in_every_language_the_catalogs_serve() -> None:
    """218 of the Beijing dishes had their Chinese name only, so "order lamb skewers" in Beijing found none; and what
    CrossWOZ lists that says something of the restaurant ("24小时营业", "名人光顾") was on its menu as a dish."""
    dishes = [d for r in load_data("restaurants.json") for d in r["dishes"]]
    assert [d["name"] for d in dishes if set(d["names"]) != {"de", "en", "zh"}] == []
    assert not {"24小时营业", "名人光顾", "景观餐厅"} & {d["name"] for d in dishes}


def test_no_dish_is_named_in_the_words_a_request_says() -> None:
    """我想吃土豆 was named "I want potatoes" (review R17-2), so "I want a coffee" found it beside the coffees."""
    dishes = [d for r in load_data("restaurants.json") if r["city"] == "Beijing" for d in r["dishes"]]
    assert "我想吃土豆" not in {d["name"] for d in words_match(dishes, "I want a coffee", ("name", "names"))}


def test_chinese_is_found_in_either_script() -> None:
    """A note kept as typed in traditional characters is found by a search said in simplified ones (speech writes
    those), and a simplified title by a traditional search; other scripts are read as before."""
    rows = [{"id": "n1", "title": "乾隆皇帝的書在書房"}, {"id": "n2", "title": "买牛奶"},
            {"id": "n3", "title": "Milch kaufen"}]
    assert [r["id"] for r in words_match(rows, "书房", ("title",))] == ["n1"]
    assert [r["id"] for r in words_match(rows, "買牛奶", ("title",))] == ["n2"]
    assert [r["id"] for r in words_match(rows, "Milch", ("title",))] == ["n3"]
    assert words_match(rows, "鋼琴", ("title",)) == []


def test_only_the_users_own_words_of_a_tool_that_writes_are_kept_as_typed() -> None:
    """``writes`` comes from the manifest's effect (its schema default), and a written text no resolve step looks up is
    the user's own (a note, a reminder's to-do, an appointment); a dish, film or item a partner looks up is not."""
    from tandem.agent.capabilities import shipped

    own = {spec.name: (spec.writes, sorted(spec.own_text)) for spec in shipped()}
    assert own["take_note"] == (True, ["text"])
    assert own["set_reminder"] == (True, ["todo"])
    assert own["add_calendar_event"] == (True, ["location", "title"])
    assert own["order_food"] == (True, []) and own["buy_movie_tickets"] == (True, [])
    assert own["show_notes"] == (False, []) and own["search_products"] == (False, [])



def test_an_erasure_empties_what_a_search_kept_of_the_users_words() -> None:
    """The simplified forms a search keeps include the user's own notes: an erasure empties them (review27 R27-5)."""
    from tandem.forget import forget_all
    from tandem.partners import store

    kept = store._short_simplified.cache_clear.__self__  # type: ignore[attr-defined]  # its tandem.forget.Recent
    assert [r["id"] for r in words_match([{"id": "n1", "title": "記得帶護照"}], "护照", ("title",))] == ["n1"]
    assert len(kept) > 0
    forget_all()
    assert len(kept) == 0
