"""Builds the reference partners' catalogs in ``tandem/partners/data/`` (run by hand, output committed).

    python -m tandem.partners._seed ../shared/eval

Beijing restaurants and places come from the CrossWOZ databases (dishes, average prices, ratings,
nearest metro station); restaurant names are replaced by fictional ones so no real business appears.
Berlin, Munich, Hangzhou and Shanghai catalogs are generated from cuisine and dish lists with a fixed
random seed (MultiWOZ's cuisine list seeds the European side). The output is deterministic.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data")

_ZH_PARTS = ("福鸿聚悦京德和兴瑞丰金玉祥嘉泰", "味香源膳宴食鲜满意庭",
             ("楼", "轩", "阁", "坊", "居", "馆", "小厨", "食府"))
_NOT_DISHES = {"老字号", "美食林风味", "美食林臻选", "必吃榜", "网红店", "特色菜", "招牌菜"}

_CN_CUISINES = {
    "杭帮菜": [("西湖醋鱼", 68), ("东坡肉", 48), ("龙井虾仁", 88), ("叫花鸡", 78), ("片儿川", 22), ("宋嫂鱼羹", 32)],
    "本帮菜": [("红烧肉", 58), ("小笼包", 26), ("生煎包", 18), ("油爆虾", 72), ("腌笃鲜", 52), ("葱油拌面", 16)],
    "川菜": [("麻婆豆腐", 28), ("水煮鱼", 78), ("宫保鸡丁", 38), ("回锅肉", 42), ("担担面", 18)],
    "粤菜": [("白切鸡", 58), ("虾饺", 32), ("叉烧包", 20), ("干炒牛河", 36), ("煲仔饭", 34)],
    "面馆": [("牛肉面", 26), ("炸酱面", 22), ("葱油拌面", 16), ("酸辣粉", 18), ("馄饨", 20)],
}
_EU_CUISINES = {
    "german": [("Schnitzel mit Kartoffelsalat", 16.5), ("Käsespätzle", 12.9), ("Currywurst mit Pommes", 8.5),
               ("Rinderroulade", 19.8), ("Obatzda mit Brezn", 7.9)],
    "italian": [("Pizza Margherita", 9.5), ("Spaghetti Carbonara", 12.5), ("Lasagne al forno", 13.0),
                ("Risotto ai funghi", 14.5), ("Tiramisu", 6.5)],
    "turkish": [("Döner Teller", 10.5), ("Lahmacun", 6.0), ("Iskender Kebap", 14.0), ("Mercimek Suppe", 5.5)],
    "vietnamese": [("Pho Bo", 12.9), ("Bun Cha", 13.5), ("Sommerrollen", 6.9), ("Banh Mi", 8.5)],
    "indian": [("Chicken Tikka Masala", 14.9), ("Palak Paneer", 12.9), ("Dal Tadka", 10.5), ("Garlic Naan", 3.5)],
    "chinese": [("Mapo Tofu", 11.9), ("Gebratene Nudeln mit Gemüse", 10.5), ("Dim Sum Auswahl", 12.0)],
}
# A dish's name in each language the catalogs serve (W4-11: "披萨" finds "Pizza Margherita", "Kung Pao chicken"
# finds 宫保鸡丁); the catalog's own name is its name in its language. A CrossWOZ dish named here gets them too.
_DISH_NAMES = {
    "Schnitzel mit Kartoffelsalat": {"en": "Schnitzel with potato salad", "zh": "炸猪排配土豆沙拉"},
    "Käsespätzle": {"en": "Cheese spaetzle", "zh": "德式奶酪面疙瘩"},
    "Currywurst mit Pommes": {"en": "Currywurst with fries", "zh": "咖喱香肠配薯条"},
    "Rinderroulade": {"en": "Beef roulade", "zh": "德式牛肉卷"},
    "Obatzda mit Brezn": {"en": "Obatzda cheese spread with pretzel", "zh": "奶酪酱配碱水面包"},
    "Pizza Margherita": {"en": "Margherita pizza", "zh": "玛格丽特披萨"},
    "Spaghetti Carbonara": {"en": "Spaghetti carbonara", "zh": "培根蛋酱意面"},
    "Lasagne al forno": {"en": "Baked lasagna", "zh": "焗烤千层面"},
    "Risotto ai funghi": {"en": "Mushroom risotto", "zh": "蘑菇烩饭"},
    "Tiramisu": {"en": "Tiramisu", "zh": "提拉米苏"},
    "Döner Teller": {"en": "Doner kebab plate", "zh": "土耳其烤肉拼盘"},
    "Lahmacun": {"en": "Lahmacun flatbread", "zh": "土耳其肉馅薄饼"},
    "Iskender Kebap": {"en": "Iskender kebab", "zh": "伊斯坎德尔烤肉"},
    "Mercimek Suppe": {"en": "Lentil soup", "zh": "扁豆汤"},
    "Pho Bo": {"en": "Beef pho", "zh": "越南牛肉河粉"},
    "Bun Cha": {"en": "Bun cha grilled pork with noodles", "zh": "越南烤肉米粉"},
    "Sommerrollen": {"en": "Summer rolls", "zh": "越南春卷"},
    "Banh Mi": {"en": "Banh mi sandwich", "zh": "越南法棍三明治"},
    "Chicken Tikka Masala": {"en": "Chicken tikka masala", "zh": "印度咖喱烤鸡"},
    "Palak Paneer": {"en": "Palak paneer spinach curry", "zh": "菠菜奶酪咖喱"},
    "Dal Tadka": {"en": "Dal tadka lentil curry", "zh": "印度扁豆咖喱"},
    "Garlic Naan": {"en": "Garlic naan", "zh": "蒜香馕"},
    "Mapo Tofu": {"en": "Mapo tofu", "zh": "麻婆豆腐"},
    "Gebratene Nudeln mit Gemüse": {"en": "Fried noodles with vegetables", "zh": "蔬菜炒面"},
    "Dim Sum Auswahl": {"en": "Dim sum selection", "zh": "点心拼盘"},
    "西湖醋鱼": {"en": "West Lake fish in vinegar sauce", "de": "Westsee-Fisch in Essigsoße"},
    "东坡肉": {"en": "Dongpo pork belly", "de": "Dongpo-Schweinebauch"},
    "龙井虾仁": {"en": "Shrimp with Longjing tea", "de": "Garnelen mit Longjing-Tee"},
    "叫花鸡": {"en": "Beggar's chicken", "de": "Bettlerhuhn"},
    "片儿川": {"en": "Hangzhou noodle soup with pork and bamboo shoots", "de": "Hangzhou-Nudelsuppe"},
    "宋嫂鱼羹": {"en": "Sister Song's fish soup", "de": "Fischsuppe nach Schwester Song"},
    "红烧肉": {"en": "Red braised pork belly", "de": "Rot geschmorter Schweinebauch"},
    "小笼包": {"en": "Xiaolongbao soup dumplings", "de": "Xiaolongbao Suppenteigtaschen"},
    "生煎包": {"en": "Pan-fried pork buns", "de": "Gebratene Teigtaschen mit Schweinefleisch"},
    "油爆虾": {"en": "Crispy fried shrimp", "de": "Knusprig frittierte Garnelen"},
    "腌笃鲜": {"en": "Pork and bamboo shoot soup", "de": "Suppe mit Schweinefleisch und Bambussprossen"},
    "葱油拌面": {"en": "Scallion oil noodles", "de": "Nudeln mit Frühlingszwiebelöl"},
    "麻婆豆腐": {"en": "Mapo tofu", "de": "Mapo Tofu"},
    "水煮鱼": {"en": "Sichuan boiled fish", "de": "Sichuan-Fisch in scharfer Brühe"},
    "宫保鸡丁": {"en": "Kung Pao chicken", "de": "Kung Pao Hähnchen"},
    "回锅肉": {"en": "Twice-cooked pork", "de": "Zweimal gegartes Schweinefleisch"},
    "担担面": {"en": "Dan dan noodles", "de": "Dan-Dan-Nudeln"},
    "白切鸡": {"en": "White cut chicken", "de": "Gekochtes Huhn nach kantonesischer Art"},
    "虾饺": {"en": "Har gow shrimp dumplings", "de": "Har Gow Garnelen-Teigtaschen"},
    "叉烧包": {"en": "Char siu pork buns", "de": "Char-Siu-Brötchen mit Schweinefleisch"},
    "干炒牛河": {"en": "Beef chow fun", "de": "Gebratene Reisnudeln mit Rind"},
    "煲仔饭": {"en": "Claypot rice", "de": "Reis aus dem Tontopf"},
    "牛肉面": {"en": "Beef noodle soup", "de": "Nudelsuppe mit Rindfleisch"},
    "炸酱面": {"en": "Zhajiang noodles with soybean paste", "de": "Zhajiang-Nudeln mit Sojabohnenpaste"},
    "酸辣粉": {"en": "Hot and sour glass noodles", "de": "Scharf-saure Glasnudeln"},
    "馄饨": {"en": "Wonton soup", "de": "Wantan-Suppe"},
    "提拉米苏": {"en": "Tiramisu", "de": "Tiramisu"},
    "烧饼": {"en": "Sesame flatbread", "de": "Sesam-Fladenbrot"},
    "凉面": {"en": "Cold noodles", "de": "Kalte Nudeln"},
    "羊蝎子": {"en": "Lamb spine hotpot", "de": "Lammrücken-Eintopf"},
    "牛肉丸": {"en": "Beef balls", "de": "Rindfleischbällchen"},
    "金枪鱼沙拉": {"en": "Tuna salad", "de": "Thunfischsalat"},
}
_EU_NAME_PARTS = (("Zur", "Am", "Haus", "Kleine", "Goldene", "Bella", "Casa", "Saigon", "Anatolia", "Masala"),
                  ("Linde", "Brücke", "Ecke", "Sonne", "Lampe", "Gans", "Mond", "Ofen", "Küche", "Tafel"))
_EU_AREAS = {"Berlin": ["Mitte", "Kreuzberg", "Prenzlauer Berg", "Friedrichshain", "Neukölln", "Charlottenburg"],
             "Munich": ["Altstadt", "Schwabing", "Maxvorstadt", "Haidhausen", "Glockenbachviertel", "Sendling"]}
_CN_AREAS = {"Hangzhou": ["西湖区", "上城区", "拱墅区", "滨江区"],
             "Shanghai": ["黄浦区", "静安区", "徐汇区", "浦东新区"]}


def _dish(dish_id: str, name: str, price: float, language: str) -> dict[str, Any]:
    """A menu line with its name in every language ``_DISH_NAMES`` gives (``names``, keyed by language)."""
    names = dict(sorted({language: name, **_DISH_NAMES.get(name, {})}.items()))
    return {"id": dish_id, "name": name, "price": price, "names": names}


def _zh_names(rng: random.Random, count: int) -> list[str]:
    combos = [a + b + c for a in _ZH_PARTS[0] for b in _ZH_PARTS[1] for c in _ZH_PARTS[2]]
    return rng.sample(combos, count)


def _beijing_restaurants(eval_dir: Path, rng: random.Random, stations: set[str]) -> list[dict[str, Any]]:
    rows = json.loads((eval_dir / "crosswoz/database/restaurant_db.json").read_text(encoding="utf-8"))
    picked = [r for _, r in rows if r.get("地铁") and r["地铁"].split("地铁站")[0] in stations
              and r.get("人均消费")][:48]
    names = _zh_names(rng, len(picked))
    out = []
    for i, (row, name) in enumerate(zip(picked, names, strict=True)):
        dishes = [d for d in row.get("推荐菜") or [] if d not in _NOT_DISHES and len(d) <= 8][:6]
        avg = int(row["人均消费"])
        out.append({"id": f"bj-r{i:03d}", "city": "Beijing", "name": name, "cuisine": "京菜",
                    "rating": row.get("评分"), "avg_price": avg, "hours": row.get("营业时间"),
                    "station": row["地铁"].split("地铁站")[0],
                    "dishes": [_dish(f"bj-r{i:03d}-d{j}", d, max(6, round(avg * rng.uniform(0.3, 1.1))), "zh")
                               for j, d in enumerate(dishes)]})
    return out


def _generated_restaurants(city: str, prefix: str, rng: random.Random, count: int) -> list[dict[str, Any]]:
    cn = city in _CN_AREAS
    cuisines = _CN_CUISINES if cn else _EU_CUISINES
    names = _zh_names(rng, count) if cn else [f"{a} {b}" for a, b in rng.sample(
        [(a, b) for a in _EU_NAME_PARTS[0] for b in _EU_NAME_PARTS[1]], count)]
    areas = _CN_AREAS[city] if cn else _EU_AREAS[city]
    out = []
    for i, name in enumerate(names):
        cuisine = rng.choice(sorted(cuisines))
        dishes = [_dish(f"{prefix}-r{i:03d}-d{j}", d, round(p * rng.uniform(0.9, 1.2)) if cn
                        else round(p * rng.uniform(0.9, 1.2), 1), "zh" if cn else "de")
                  for j, (d, p) in enumerate(cuisines[cuisine])]
        out.append({"id": f"{prefix}-r{i:03d}", "city": city, "name": name, "cuisine": cuisine,
                    "rating": round(rng.uniform(3.6, 4.9), 1), "area": rng.choice(areas),
                    "avg_price": round(sum(d["price"] for d in dishes) / len(dishes)), "dishes": dishes})
    return out


def _beijing_places(eval_dir: Path, stations: set[str]) -> list[dict[str, Any]]:
    rows = json.loads((eval_dir / "crosswoz/database/attraction_db.json").read_text(encoding="utf-8"))
    return [{"name": r["名称"], "city": "Beijing", "kind": "attraction", "address": r.get("地址"),
             "station": r["地铁"].split("地铁站")[0]}
            for _, r in rows if r.get("地铁") and r["地铁"].split("地铁站")[0] in stations][:120]


def main(eval_dir: Path, out: Path = DATA) -> None:
    rng = random.Random(20261129)
    metro = json.loads((DATA / "metro.json").read_text(encoding="utf-8"))
    bj_stations = {s for line in metro["Beijing"]["lines"].values() for s in line}
    restaurants = _beijing_restaurants(eval_dir, rng, bj_stations)
    for city, prefix, n in (("Berlin", "be", 16), ("Munich", "mu", 12), ("Hangzhou", "hz", 14),
                            ("Shanghai", "sh", 16)):
        restaurants += _generated_restaurants(city, prefix, rng, n)
    _write(out / "restaurants.json", restaurants)
    places = json.loads((DATA / "places_manual.json").read_text(encoding="utf-8"))
    _write(out / "places.json", places + _beijing_places(eval_dir, bj_stations))


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} rows to {path}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/eval"))
