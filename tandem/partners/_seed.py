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
# What CrossWOZ lists among a restaurant's dishes that says something of the restaurant ("open 24 hours", "a celebrity
# came", "a view"); dropped after its price is drawn, so every other number the seed draws stays the same.
_ABOUT_THE_PLACE = {"24小时营业", "名人光顾", "景观餐厅", "明星主厨", "深夜营业", "老建筑餐厅", "美食街", "当地口味",
                    "当地必吃", "其他", "以前的炒肝", "前几年的炒肝"}

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
# finds 宫保鸡丁), data/dish_names.json; the catalog's own name is its name in its language. A CrossWOZ dish named
# there (the Beijing restaurants' recommended dishes) gets them too.
_DISH_NAMES: dict[str, dict[str, str]] = json.loads((DATA / "dish_names.json").read_text(encoding="utf-8"))
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
                    "dishes": [dish for j, d in enumerate(dishes)
                               if (dish := _dish(f"bj-r{i:03d}-d{j}", d, max(6, round(avg * rng.uniform(0.3, 1.1))),
                                                 "zh"))["name"] not in _ABOUT_THE_PLACE]})
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
