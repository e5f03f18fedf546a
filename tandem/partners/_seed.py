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
    # the other dishes of the Beijing restaurants (CrossWOZ's recommended dishes)
    "5dm分米鸡": {"en": "Fenmi fried chicken", "de": "Fenmi Brathähnchen"},
    "Mojito": {"en": "Mojito", "de": "Mojito"},
    "一品豆腐": {"en": "Yipin stuffed tofu", "de": "Gefüllter Tofu nach Yipin-Art"},
    "一头沉": {"en": "Tripe, yitouchen cut", "de": "Pansen, Yitouchen-Stück"},
    "我想吃土豆": {"en": "Potatoes, house style", "de": "Kartoffeln nach Hausart"},
    "三鲜包子": {"en": "Three delicacies steamed buns", "de": "Gedämpfte Teigbrötchen mit drei Köstlichkeiten"},
    "下午茶": {"en": "Afternoon tea", "de": "Nachmittagstee"},
    "东来顺秘制麻酱": {"en": "Donglaishun secret sesame sauce", "de": "Sesamsoße nach Donglaishun-Geheimrezept"},
    "九转大肠": {"en": "Nine-turn braised pork intestines", "de": "Geschmorte Schweinedärme nach Jiuzhuan-Art"},
    "九转肥肠": {"en": "Nine-turn braised pork intestines", "de": "Geschmorte Schweinedärme nach Jiuzhuan-Art"},
    "二锅头": {"en": "Erguotou baijiu", "de": "Erguotou Schnaps"},
    "京东肉饼": {"en": "Jingdong meat pie", "de": "Jingdong-Fleischpastete"},
    "京味奶酪": {"en": "Beijing-style milk pudding", "de": "Pekinger Milchpudding"},
    "今日沙拉": {"en": "Salad of the day", "de": "Salat des Tages"},
    "代客烤鸭礼盒": {"en": "Peking duck gift box", "de": "Pekingente als Geschenkbox"},
    "传统手切鲜羊": {"en": "Traditional hand-sliced fresh lamb",
                     "de": "Traditionell handgeschnittenes frisches Lammfleisch"},
    "传统手切鲜羊上脑": {"en": "Traditional hand-sliced lamb shoulder",
                         "de": "Traditionell handgeschnittene Lammschulter"},
    "传统麻酱烧饼": {"en": "Traditional sesame paste flatbread", "de": "Traditionelles Sesampasten-Fladenbrot"},
    "元东来顺外脊羊肉": {"en": "Donglaishun lamb loin", "de": "Lammrücken nach Donglaishun-Art"},
    "全家福": {"en": "Family reunion platter", "de": "Familienplatte"},
    "全聚德干烧四鲜": {"en": "Quanjude dry-braised four delicacies",
                       "de": "Trocken geschmorte vier Köstlichkeiten nach Quanjude-Art"},
    "八宝菜": {"en": "Eight treasure vegetables", "de": "Acht-Schätze-Gemüse"},
    "养生黑木耳": {"en": "Black fungus salad", "de": "Mu-Err-Pilz-Salat"},
    "冰桔茶": {"en": "Iced kumquat tea", "de": "Eisgekühlter Kumquat-Tee"},
    "冰豆浆": {"en": "Iced soy milk", "de": "Eisgekühlte Sojamilch"},
    "凉拌土豆丝": {"en": "Cold shredded potato salad", "de": "Kalter Kartoffelstreifensalat"},
    "力力凉面": {"en": "Lili cold noodles", "de": "Kalte Nudeln nach Lili-Art"},
    "卡布奇诺": {"en": "Cappuccino", "de": "Cappuccino"},
    "卤鸭肚": {"en": "Braised duck gizzards", "de": "Geschmorte Entenmägen"},
    "各种咖啡": {"en": "Coffee", "de": "Kaffee"},
    "咖喱土豆球": {"en": "Curry potato balls", "de": "Curry-Kartoffelbällchen"},
    "咖喱猪排饭": {"en": "Curry pork cutlet with rice", "de": "Curry mit Schweineschnitzel und Reis"},
    "咸水鸭肝": {"en": "Salted duck liver", "de": "Gesalzene Entenleber"},
    "土豆烧牛肉盖饭": {"en": "Beef and potato stew on rice", "de": "Rindfleisch-Kartoffel-Eintopf auf Reis"},
    "墨鱼滑": {"en": "Cuttlefish paste", "de": "Tintenfischpaste"},
    "墨鱼红烧肉": {"en": "Red braised pork with cuttlefish", "de": "Rot geschmortes Schweinefleisch mit Tintenfisch"},
    "外婆家烤肉": {"en": "Grandma's grilled meat", "de": "Gegrilltes Fleisch nach Omas Art"},
    "奇妙酱虾球": {"en": "Shrimp balls in creamy sauce", "de": "Garnelenbällchen in cremiger Soße"},
    "奶香青豆泥": {"en": "Creamy green pea puree", "de": "Cremiges Erbsenpüree"},
    "姜芽": {"en": "Pickled ginger shoots", "de": "Eingelegte Ingwersprossen"},
    "宫廷小吃": {"en": "Imperial court snacks", "de": "Snacks nach kaiserlicher Hofart"},
    "小吃": {"en": "Snacks", "de": "Snacks"},
    "小炒黄牛肉": {"en": "Stir-fried beef", "de": "Kurzgebratenes Rindfleisch"},
    "小煎猪肝": {"en": "Pan-fried pork liver", "de": "Gebratene Schweineleber"},
    "小豆凉糕": {"en": "Red bean cold cake", "de": "Kalter Kuchen aus roten Bohnen"},
    "小鲜肉酥饼": {"en": "Flaky meat pastry", "de": "Blätterteiggebäck mit Fleisch"},
    "小鸭也酥酥": {"en": "Crispy duck", "de": "Knusprige Ente"},
    "川味披萨": {"en": "Sichuan-style pizza", "de": "Pizza nach Sichuan-Art"},
    "巫山烤鱼": {"en": "Wushan grilled fish", "de": "Gegrillter Fisch nach Wushan-Art"},
    "干炸小丸子": {"en": "Deep-fried meatballs", "de": "Frittierte Fleischbällchen"},
    "干烧四鲜": {"en": "Dry-braised four delicacies", "de": "Trocken geschmorte vier Köstlichkeiten"},
    "干酪鱼": {"en": "Fish with cheese", "de": "Fisch mit Käse"},
    "干锅茶树菇": {"en": "Dry pot tea tree mushrooms", "de": "Teebaumpilze im Trockentopf"},
    "干锅鸭杂": {"en": "Dry pot duck giblets", "de": "Enteninnereien im Trockentopf"},
    "干黄酱": {"en": "Yellow soybean paste", "de": "Gelbe Sojabohnenpaste"},
    "年糕": {"en": "Rice cake", "de": "Reiskuchen"},
    "扁豆锅贴": {"en": "Green bean potstickers", "de": "Gebratene Teigtaschen mit grünen Bohnen"},
    "手切特级鲜百叶": {"en": "Hand-cut premium fresh tripe", "de": "Handgeschnittener frischer Blättermagen"},
    "手切羊后腿": {"en": "Hand-cut leg of lamb", "de": "Handgeschnittene Lammkeule"},
    "招牌色拉": {"en": "House salad", "de": "Salat des Hauses"},
    "拼盘": {"en": "Platter", "de": "Vorspeisenplatte"},
    "日式烧肉定食": {"en": "Japanese grilled meat set meal", "de": "Japanisches Grillfleisch-Menü"},
    "日本牛肉火锅": {"en": "Japanese beef hotpot", "de": "Japanischer Rindfleisch-Feuertopf"},
    "有机菜花": {"en": "Organic cauliflower", "de": "Bio-Blumenkohl"},
    "木桶猪手": {"en": "Wooden bucket pork knuckle", "de": "Schweinshaxe aus dem Holzfass"},
    "木瓜沙拉": {"en": "Papaya salad", "de": "Papayasalat"},
    "柠檬水": {"en": "Lemonade", "de": "Zitronenlimonade"},
    "桂花山药": {"en": "Osmanthus yam", "de": "Yamswurzel mit Osmanthus"},
    "梅菜包子": {"en": "Preserved mustard greens buns", "de": "Teigbrötchen mit eingelegtem Senfkohl"},
    "梨汤炒合菜": {"en": "Pear soup with stir-fried mixed vegetables", "de": "Birnensuppe mit gebratenem Mischgemüse"},
    "梨球果仁虾": {"en": "Shrimp with pear balls and nuts", "de": "Garnelen mit Birnenkugeln und Nüssen"},
    "椒盐鸭架": {"en": "Salt and pepper duck frame", "de": "Entenkarkasse mit Salz und Pfeffer"},
    "橙汁": {"en": "Orange juice", "de": "Orangensaft"},
    "毛血旺": {"en": "Maoxuewang spicy blood tofu stew", "de": "Scharfer Maoxuewang-Eintopf"},
    "津味双鲜": {"en": "Tianjin-style two delicacies", "de": "Zwei Köstlichkeiten nach Tianjin-Art"},
    "海底捞滑牛肉": {"en": "Haidilao tender beef slices", "de": "Zarte Rindfleischscheiben nach Haidilao-Art"},
    "清酒蛤蜊": {"en": "Sake steamed clams", "de": "Venusmuscheln in Sake"},
    "火燎鸭心": {"en": "Flame-seared duck hearts", "de": "Scharf angebratene Entenherzen"},
    "火爆腰花": {"en": "Sizzling pork kidney", "de": "Scharf gebratene Schweinenieren"},
    "炒河粉": {"en": "Stir-fried rice noodles", "de": "Gebratene Reisnudeln"},
    "炒红果": {"en": "Candied hawthorn", "de": "Kandierte Weißdornfrüchte"},
    "炒肝": {"en": "Stewed pork liver (chaogan)", "de": "Geschmorte Schweineleber (Chaogan)"},
    "炒肝包子": {"en": "Stewed pork liver with steamed buns",
                 "de": "Geschmorte Schweineleber mit gedämpften Teigbrötchen"},
    "炸烹虾": {"en": "Fried shrimp in sauce", "de": "Frittierte Garnelen in Soße"},
    "炸藕盒": {"en": "Fried stuffed lotus root", "de": "Frittierte gefüllte Lotuswurzel"},
    "炸饺子": {"en": "Fried dumplings", "de": "Frittierte Teigtaschen"},
    "烤五花肉": {"en": "Grilled pork belly", "de": "Gegrillter Schweinebauch"},
    "烤棉花糖": {"en": "Toasted marshmallows", "de": "Geröstete Marshmallows"},
    "烤牛舌": {"en": "Grilled beef tongue", "de": "Gegrillte Rinderzunge"},
    "烤羊排": {"en": "Grilled lamb chops", "de": "Gegrillte Lammkoteletts"},
    "烤肉季": {"en": "Kaorouji grilled lamb", "de": "Gegrilltes Lamm nach Kaorouji-Art"},
    "烤腰子": {"en": "Grilled kidneys", "de": "Gegrillte Nieren"},
    "烤鸡皮": {"en": "Grilled chicken skin", "de": "Gegrillte Hühnerhaut"},
    "烤鸭": {"en": "Peking duck", "de": "Pekingente"},
    "烧海参": {"en": "Braised sea cucumber", "de": "Geschmorte Seegurke"},
    "烩鸭四宝": {"en": "Braised duck four treasures", "de": "Geschmorte Ente mit vier Schätzen"},
    "焦圈": {"en": "Fried dough rings", "de": "Frittierte Teigringe"},
    "爆三样": {"en": "Quick-fried liver, kidney and pork", "de": "Kurzgebratene Leber, Niere und Schweinefleisch"},
    "爆肚": {"en": "Quick-boiled tripe", "de": "Kurz gekochter Pansen"},
    "牛肉大葱锅贴": {"en": "Beef and leek potstickers", "de": "Gebratene Teigtaschen mit Rind und Lauch"},
    "特色小吃": {"en": "Local snacks", "de": "Lokale Snacks"},
    "特色火烧": {"en": "Huoshao stuffed flatbread", "de": "Gefülltes Huoshao-Fladenbrot"},
    "狗不理包子": {"en": "Goubuli steamed buns", "de": "Goubuli-Teigbrötchen"},
    "猪肉大葱锅贴": {"en": "Pork and leek potstickers", "de": "Gebratene Teigtaschen mit Schwein und Lauch"},
    "现场表演抻面": {"en": "Hand-pulled noodles made before you", "de": "Vor Ihren Augen handgezogene Nudeln"},
    "甜点": {"en": "Dessert", "de": "Dessert"},
    "生菜": {"en": "Lettuce", "de": "Kopfsalat"},
    "番茄烤翅": {"en": "Tomato grilled chicken wings", "de": "Gegrillte Hähnchenflügel mit Tomate"},
    "白府肉丝红薯粉": {"en": "Shredded pork with sweet potato noodles",
                       "de": "Schweinefleischstreifen mit Süßkartoffelnudeln"},
    "皮蛋瘦肉粥": {"en": "Century egg and pork congee", "de": "Reisbrei mit tausendjährigem Ei und Schweinefleisch"},
    "盐津樱花果汁": {"en": "Salted cherry blossom juice", "de": "Gesalzener Kirschblütensaft"},
    "盐酥鸡": {"en": "Salt and pepper popcorn chicken", "de": "Knuspriges Salz-Pfeffer-Hähnchen"},
    "砂锅豆腐": {"en": "Claypot tofu", "de": "Tofu aus dem Tontopf"},
    "秘制脆皮虾": {"en": "Crispy shrimp house style", "de": "Knusprige Garnelen nach Hausrezept"},
    "稻香牛肋": {"en": "Braised beef ribs", "de": "Geschmorte Rinderrippen"},
    "精肉火烧": {"en": "Lean pork stuffed flatbread", "de": "Fladenbrot mit magerem Schweinefleisch"},
    "糖火烧": {"en": "Sweet sesame flatbread", "de": "Süßes Sesam-Fladenbrot"},
    "糖耳朵": {"en": "Honey twist pastry", "de": "Süße Teigohren"},
    "糖醋木耳": {"en": "Sweet and sour black fungus", "de": "Süß-saure Mu-Err-Pilze"},
    "糖醋里脊": {"en": "Sweet and sour pork", "de": "Süß-saures Schweinefilet"},
    "素三鲜包子": {"en": "Vegetarian three delicacies buns", "de": "Vegetarische Teigbrötchen mit drei Köstlichkeiten"},
    "素炒鳝丝": {"en": "Vegetarian stir-fried mock eel", "de": "Vegetarischer gebratener Aal-Ersatz"},
    "素馅包子": {"en": "Vegetable steamed buns", "de": "Gedämpfte Teigbrötchen mit Gemüse"},
    "素馅烧卖": {"en": "Vegetable shumai", "de": "Shumai mit Gemüsefüllung"},
    "紫菜蛋花汤": {"en": "Seaweed egg drop soup", "de": "Seetang-Eierblumensuppe"},
    "红豆奶酪": {"en": "Red bean milk pudding", "de": "Milchpudding mit roten Bohnen"},
    "纯芝麻酱": {"en": "Pure sesame paste", "de": "Reine Sesampaste"},
    "羊肉": {"en": "Lamb", "de": "Lammfleisch"},
    "羊肉串": {"en": "Lamb skewers", "de": "Lammspieße"},
    "美式咖啡": {"en": "Americano coffee", "de": "Kaffee Americano"},
    "老北京炸酱面": {"en": "Old Beijing zhajiang noodles", "de": "Alt-Pekinger Zhajiang-Nudeln"},
    "肉皮冻": {"en": "Pork skin jelly", "de": "Schweinehaut-Aspik"},
    "肉龙": {"en": "Steamed meat roll", "de": "Gedämpfte Fleischrolle"},
    "肚仁": {"en": "Tender tripe", "de": "Zarter Pansen"},
    "腰果鸡丁": {"en": "Cashew chicken", "de": "Hähnchen mit Cashewnüssen"},
    "自制奶酪": {"en": "Homemade milk pudding", "de": "Hausgemachter Milchpudding"},
    "芒果奶酪": {"en": "Mango milk pudding", "de": "Mango-Milchpudding"},
    "芝士炸鸡": {"en": "Cheese fried chicken", "de": "Frittiertes Hähnchen mit Käse"},
    "芥末烤翅": {"en": "Mustard grilled chicken wings", "de": "Gegrillte Hähnchenflügel mit Senf"},
    "芥末鸭掌": {"en": "Duck feet with mustard", "de": "Entenfüße mit Senf"},
    "芫爆散丹": {"en": "Quick-fried tripe with coriander", "de": "Kurzgebratener Pansen mit Koriander"},
    "花生酥": {"en": "Peanut brittle", "de": "Erdnusskrokant"},
    "菌菇汤": {"en": "Mushroom soup", "de": "Pilzsuppe"},
    "萝卜干": {"en": "Dried radish", "de": "Getrockneter Rettich"},
    "萝卜汤": {"en": "Radish soup", "de": "Rettichsuppe"},
    "葱烧海参": {"en": "Sea cucumber braised with scallions", "de": "Seegurke mit Frühlingszwiebeln geschmort"},
    "蒜茸粉丝扇贝": {"en": "Garlic scallops with glass noodles", "de": "Jakobsmuscheln mit Knoblauch und Glasnudeln"},
    "蒿子杆": {"en": "Crown daisy greens", "de": "Speisechrysanthemen"},
    "蓑衣黄瓜": {"en": "Spiral-cut cucumber", "de": "Spiralgurke"},
    "蓝莓山药": {"en": "Blueberry yam", "de": "Yamswurzel mit Heidelbeeren"},
    "蚕豆素丸子": {"en": "Broad bean vegetarian balls", "de": "Vegetarische Bällchen aus Saubohnen"},
    "蜜汁烤翅": {"en": "Honey grilled chicken wings", "de": "Gegrillte Hähnchenflügel mit Honig"},
    "蟹黄豆腐": {"en": "Tofu with crab roe", "de": "Tofu mit Krabbenrogen"},
    "西葫芦鲜肉锅贴": {"en": "Zucchini and pork potstickers",
                       "de": "Gebratene Teigtaschen mit Zucchini und Schweinefleisch"},
    "话梅山药": {"en": "Yam with preserved plum", "de": "Yamswurzel mit getrockneten Pflaumen"},
    "豆汁": {"en": "Fermented mung bean milk (douzhi)", "de": "Fermentierte Mungbohnenmilch (Douzhi)"},
    "豆汁儿": {"en": "Fermented mung bean milk (douzhi)", "de": "Fermentierte Mungbohnenmilch (Douzhi)"},
    "豆腐脑": {"en": "Tofu pudding", "de": "Tofupudding"},
    "豆花": {"en": "Silken tofu pudding (douhua)", "de": "Seidentofu-Pudding (Douhua)"},
    "豌豆黄": {"en": "Pea flour cake", "de": "Erbsenkuchen"},
    "贝勒爷烤肉": {"en": "Beileye grilled meat", "de": "Gegrilltes Fleisch nach Beileye-Art"},
    "越南生春卷": {"en": "Vietnamese fresh spring rolls", "de": "Vietnamesische Sommerrollen"},
    "那家麻辣鲶鱼": {"en": "Najia spicy catfish", "de": "Scharfer Wels nach Najia-Art"},
    "酒香醉鸭心": {"en": "Wine-marinated duck hearts", "de": "In Wein marinierte Entenherzen"},
    "酪干": {"en": "Dried milk curd", "de": "Getrockneter Quark"},
    "酱爆鸭心": {"en": "Duck hearts stir-fried in bean sauce", "de": "Entenherzen in Bohnensoße gebraten"},
    "酱猪耳": {"en": "Pig ears braised in soy sauce", "de": "Schweineohren in Sojasoße"},
    "酱肘花": {"en": "Braised pork hock slices", "de": "Geschmorte Schweinshaxe in Scheiben"},
    "酱驴肉": {"en": "Braised donkey meat", "de": "Geschmortes Eselfleisch"},
    "酸豆角牛肉炒河粉": {"en": "Rice noodles with beef and pickled beans",
                         "de": "Gebratene Reisnudeln mit Rind und sauren Bohnen"},
    "酸辣黄瓜条": {"en": "Hot and sour cucumber sticks", "de": "Scharf-saure Gurkenstreifen"},
    "醋溜白菜": {"en": "Napa cabbage in vinegar sauce", "de": "Chinakohl in Essigsoße"},
    "金牌烤鸭": {"en": "Signature Peking duck", "de": "Pekingente nach Hausart"},
    "金针菇": {"en": "Enoki mushrooms", "de": "Enoki-Pilze"},
    "锅仔金针肥牛": {"en": "Beef slices with enoki mushrooms in a pot",
                     "de": "Rindfleischscheiben mit Enoki-Pilzen im Topf"},
    "青笋": {"en": "Celtuce", "de": "Spargelsalat"},
    "面片": {"en": "Noodle flake soup", "de": "Nudelflecken-Suppe"},
    "韭菜鸡蛋锅贴": {"en": "Chive and egg potstickers", "de": "Gebratene Teigtaschen mit Schnittlauch und Ei"},
    "飞鸿麻花香辣虾": {"en": "Spicy shrimp with fried dough twists", "de": "Scharfe Garnelen mit Teigzöpfen"},
    "香菇": {"en": "Shiitake mushrooms", "de": "Shiitake-Pilze"},
    "香菇鸡肉饭": {"en": "Shiitake chicken rice", "de": "Hähnchen mit Shiitake und Reis"},
    "香蕉酸奶": {"en": "Banana yogurt", "de": "Bananenjoghurt"},
    "香辣牛肉面": {"en": "Spicy beef noodles", "de": "Scharfe Rindfleischnudeln"},
    "驴打滚": {"en": "Glutinous rice rolls with bean flour (lüdagun)", "de": "Klebreisrollen mit Bohnenmehl (Lüdagun)"},
    "骨汤拉面": {"en": "Bone broth ramen", "de": "Ramen in Knochenbrühe"},
    "鱼头泡饼": {"en": "Fish head stew with flatbread", "de": "Fischkopf-Eintopf mit Fladenbrot"},
    "鱼香肉丝": {"en": "Fish-fragrant shredded pork", "de": "Schweinefleischstreifen nach Yuxiang-Art"},
    "鲜口磨酸辣鸭丝汤": {"en": "Hot and sour duck soup with mushrooms", "de": "Scharf-saure Entensuppe mit Pilzen"},
    "鲜榨红心西柚": {"en": "Fresh pink grapefruit juice", "de": "Frisch gepresster Grapefruitsaft"},
    "鲜花椒煮江团鱼": {"en": "Catfish in fresh Sichuan pepper broth",
                       "de": "Wels in Brühe mit frischem Sichuanpfeffer"},
    "鸡肉南蛮": {"en": "Chicken nanban", "de": "Hähnchen Nanban"},
    "鸭架汤": {"en": "Duck bone soup", "de": "Entenknochensuppe"},
    "鸭汤": {"en": "Duck soup", "de": "Entensuppe"},
    "鸭皮片": {"en": "Crispy duck skin slices", "de": "Knusprige Entenhaut"},
    "鸭肉春卷": {"en": "Duck spring rolls", "de": "Frühlingsrollen mit Ente"},
    "鸳鸯锅底貌": {"en": "Yin-yang hotpot broth", "de": "Yin-Yang-Feuertopfbrühe"},
    "麻豆腐": {"en": "Fermented mung bean curd (ma doufu)", "de": "Fermentierter Mungbohnen-Tofu (Ma Doufu)"},
    "麻辣香锅": {"en": "Spicy stir-fry pot (mala xiangguo)", "de": "Scharfer Wok-Topf (Mala Xiangguo)"},
    "黄瓜条": {"en": "Cucumber sticks", "de": "Gurkenstreifen"},
    "黄色金针菇": {"en": "Golden enoki mushrooms", "de": "Gelbe Enoki-Pilze"},
    "黑加仑": {"en": "Blackcurrant juice", "de": "Schwarzer Johannisbeersaft"},
    "黑椒烤翅": {"en": "Black pepper grilled chicken wings", "de": "Gegrillte Hähnchenflügel mit schwarzem Pfeffer"},
    "黑椒焖鸭胗": {"en": "Black pepper braised duck gizzards", "de": "Entenmägen mit schwarzem Pfeffer geschmort"},
    "黑豆浆": {"en": "Black soy milk", "de": "Schwarze Sojamilch"},
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
