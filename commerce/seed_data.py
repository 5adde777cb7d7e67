"""What the demo shops sell: three neighbourhood shops run by demo users (backend.accounts.seed).

Prices are in fen (CNY minor units). `fresh` is (days since harvest, days until best-before) for
fruit and bakes, counted from the day the seed runs; None for goods that keep. Shapes and colours
are for the drawn product pictures (commerce.seed_images).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoSku:
    name: str
    price: int
    stock: int


@dataclass(frozen=True)
class DemoProduct:
    name: str
    category: str
    shape: str
    colour: tuple[int, int, int]
    description: str
    skus: tuple[DemoSku, ...]
    fresh: tuple[int, int] | None = None
    commission_rate_bp: int | None = None


@dataclass(frozen=True)
class DemoShop:
    owner: str
    name: str
    description: str
    shipping_fee: int
    free_shipping_threshold: int
    products: tuple[DemoProduct, ...]


def _skus(*rows: tuple[str, int, int]) -> tuple[DemoSku, ...]:
    return tuple(DemoSku(name, price, stock) for name, price, stock in rows)


# The tables are laid out by hand, one product to a block, for reading and editing.
# fmt: off
FRUIT = (
    DemoProduct("Gannan navel oranges 赣南脐橙", "citrus", "round", (240, 140, 30),
                "Sweet, seedless and easy to peel, from the hills of southern Jiangxi.",
                _skus(("1 kg", 1580, 120), ("2.5 kg box", 3580, 60),
                      ("Family crate 5 kg", 6600, 25)),
                fresh=(3, 21), commission_rate_bp=800),
    DemoProduct("Wokan mandarins 沃柑", "citrus", "round", (245, 156, 40),
                "Thin skin, lots of juice: the lunch-box mandarin kids ask for.",
                _skus(("1 kg", 1280, 150), ("3 kg box", 3380, 40)), fresh=(2, 18)),
    DemoProduct("Meyer lemons", "citrus", "round", (246, 214, 64),
                "Fragrant and mild, for lemon tea, tarts and honey-lemon water.",
                _skus(("500 g", 990, 80), ("1.5 kg bag", 2580, 30)), fresh=(4, 30)),
    DemoProduct("Pomelo 沙田柚", "citrus", "round", (214, 222, 96),
                "One big Shatian pomelo, pale and sweet, peels like a gift.",
                _skus(("1 fruit (about 1.2 kg)", 1880, 45),), fresh=(5, 40)),
    DemoProduct("Dandong strawberries 丹东草莓", "berries", "berries", (214, 40, 56),
                "Big winter strawberries, picked at dawn and on the shelf the same day.",
                _skus(("500 g punnet", 4280, 60), ("1 kg gift box", 7980, 20)),
                fresh=(1, 4), commission_rate_bp=1200),
    DemoProduct("Blueberries 蓝莓", "berries", "berries", (70, 86, 160),
                "Firm, dusty-blue Yunnan berries. Sweet straight from the box.",
                _skus(("125 g", 1590, 90), ("4 × 125 g", 5690, 35)), fresh=(2, 10)),
    DemoProduct("Raspberries", "berries", "berries", (200, 50, 80),
                "Soft and fragrant; eat within two days or freeze for smoothies.",
                _skus(("125 g", 1890, 40),), fresh=(1, 3)),
    DemoProduct("Hainan Tainong mangoes 台农芒果", "tropical-fruit", "round", (250, 190, 40),
                "Small, sweet and fibre-free: the mango for mango everything.",
                _skus(("1 kg", 1980, 100), ("Family crate 5 kg", 8800, 20)),
                fresh=(3, 8), commission_rate_bp=1000),
    DemoProduct("Lychees 妃子笑荔枝", "tropical-fruit", "round", (214, 70, 80),
                "Feizixiao lychees from Guangdong: red-green shells, snow-white flesh.",
                _skus(("500 g", 2280, 80), ("2 kg box", 7980, 25)), fresh=(1, 5)),
    DemoProduct("Red dragon fruit 红心火龙果", "tropical-fruit", "round", (222, 48, 122),
                "Magenta inside, made for smoothie bowls and photos.",
                _skus(("2 fruits", 1680, 70), ("6-fruit box", 4580, 30)), fresh=(3, 10)),
    DemoProduct("Bananas", "tropical-fruit", "long", (246, 208, 60),
                "A hand of ripe Yunnan bananas, ready to eat today and tomorrow.",
                _skus(("1 hand (about 1 kg)", 790, 140),), fresh=(4, 5)),
    DemoProduct("Pineapple 菠萝", "tropical-fruit", "round", (236, 180, 50),
                "Xuwen pineapple, peeled and soaked the Guangdong way if you ask.",
                _skus(("1 fruit", 1290, 60), ("Peeled, 2 fruits", 2880, 25)), fresh=(3, 7)),
    DemoProduct("Yangshan peaches 阳山水蜜桃", "stone-fruit", "round", (246, 160, 150),
                "Juicy white peaches from Wuxi. Handle gently, eat over the sink.",
                _skus(("6 peaches", 5980, 40), ("12-peach gift box", 10800, 15)),
                fresh=(1, 5), commission_rate_bp=1500),
    DemoProduct("Cherries 车厘子", "stone-fruit", "berries", (150, 20, 40),
                "Dark, crisp cherries, size J. Rinse just before eating.",
                _skus(("500 g", 4980, 60), ("2.5 kg box", 22800, 10)), fresh=(2, 7)),
    DemoProduct("Aksu Fuji apples 阿克苏冰糖心", "apples-pears", "round", (200, 40, 40),
                "Crunchy Xinjiang Fujis with the sugar-heart core.",
                _skus(("1 kg", 1380, 130), ("Family crate 5 kg", 5980, 30)), fresh=(10, 60)),
    DemoProduct("Korla fragrant pears 库尔勒香梨", "apples-pears", "round", (190, 200, 90),
                "Small, thin-skinned and perfumed: the pear for a sore throat.",
                _skus(("1 kg", 1680, 90), ("3 kg box", 4580, 25)), fresh=(8, 45)),
    DemoProduct("Hami melon 哈密瓜", "melons", "round", (236, 196, 110),
                "Crisp orange flesh, honey-sweet. One melon feeds four.",
                _skus(("1 melon (about 2 kg)", 2680, 40),), fresh=(4, 10)),
    DemoProduct("Shine Muscat grapes 阳光玫瑰", "grapes", "berries", (150, 196, 80),
                "Seedless, crisp skin, rose-scented. The grape everyone gifts.",
                _skus(("1 bunch (about 600 g)", 3980, 50), ("2 bunches gift box", 7480, 20)),
                fresh=(2, 12), commission_rate_bp=1000),
)

BAKES = (
    DemoProduct("Country sourdough", "bread", "loaf", (184, 122, 64),
                "Wild-yeast loaf, 36-hour ferment, baked at 6 every morning.",
                _skus(("1 loaf 800 g", 3200, 25), ("Half loaf", 1700, 20)), fresh=(0, 3)),
    DemoProduct("Hokkaido milk bread 北海道吐司", "bread", "loaf", (236, 196, 140),
                "Soft, pull-apart milk loaf made with tangzhong.",
                _skus(("1 loaf", 2200, 30),), fresh=(0, 3)),
    DemoProduct("Whole-wheat walnut loaf", "bread", "loaf", (150, 100, 60),
                "Stone-ground wheat, toasted walnuts, a touch of honey.",
                _skus(("1 loaf", 2800, 20),), fresh=(0, 4)),
    DemoProduct("Baguette", "bread", "long", (214, 160, 90),
                "Crackling crust, open crumb. Best the day it is baked.",
                _skus(("1 baguette", 1200, 40), ("3 baguettes", 3200, 15)), fresh=(0, 1)),
    DemoProduct("Portuguese egg tarts 葡式蛋挞", "pastries", "tart", (250, 196, 80),
                "Flaky pastry, caramelised custard. Out of the oven at 10.",
                _skus(("Box of 4", 2400, 50), ("Box of 12", 6600, 20)),
                fresh=(0, 2), commission_rate_bp=1000),
    DemoProduct("Butter croissants", "pastries", "long", (226, 170, 80),
                "French butter, three days of lamination, 27 layers.",
                _skus(("2 croissants", 1800, 40), ("6 croissants", 4980, 15)), fresh=(0, 2)),
    DemoProduct("Pineapple buns 菠萝包", "pastries", "loaf", (230, 180, 80),
                "Hong Kong bolo bao with a crackly sugar top. No pineapple inside.",
                _skus(("4 buns", 1600, 40),), fresh=(0, 2)),
    DemoProduct("Mango mousse cake 芒果慕斯", "cakes", "tart", (250, 190, 60),
                "Hainan mango mousse on a sponge base, made to order.",
                _skus(('6" cake', 16800, 8), ('8" cake', 22800, 5)), fresh=(0, 2)),
    DemoProduct("Strawberry shortcake", "cakes", "tart", (240, 120, 130),
                "Chiffon, whipped cream and Dandong strawberries.",
                _skus(("1 slice", 3200, 20), ('6" cake', 18800, 6)), fresh=(0, 2)),
    DemoProduct("Matcha basque cheesecake", "cakes", "tart", (130, 160, 80),
                "Burnt top, molten middle, Uji matcha.",
                _skus(('6" cake', 13800, 10),), fresh=(0, 4)),
)

PANTRY = (
    DemoProduct("Roasted Xinjiang walnuts", "nuts-seeds", "bag", (150, 110, 70),
                "Paper-shell walnuts, roasted with a pinch of salt.",
                _skus(("250 g bag", 2680, 70), ("1 kg bag", 8800, 25))),
    DemoProduct("Dried mango slices", "dried-fruit", "bag", (246, 170, 40),
                "Thick-cut Philippine mango, no added sugar.",
                _skus(("200 g bag", 2280, 80),), commission_rate_bp=800),
    DemoProduct("Turpan raisins 吐鲁番葡萄干", "dried-fruit", "bag", (110, 150, 60),
                "Green seedless raisins dried in the desert wind.",
                _skus(("500 g bag", 2580, 60),)),
    DemoProduct("Longjing green tea 西湖龙井", "tea", "bag", (120, 160, 80),
                "Pre-Qingming West Lake Longjing, flat leaves, chestnut aroma.",
                _skus(("50 g tin", 12800, 20), ("100 g tin", 23800, 10))),
    DemoProduct("Yunnan cold-brew coffee", "coffee", "bottle", (90, 60, 40),
                "Pu'er-grown beans, brewed cold for 18 hours.",
                _skus(("1 bottle 330 ml", 1800, 50), ("6 bottles", 9800, 15)), fresh=(0, 10)),
    DemoProduct("Fresh orange juice", "juice", "bottle", (246, 150, 40),
                "Squeezed from our navel oranges every Thursday morning.",
                _skus(("1 bottle 500 ml", 1600, 40),), fresh=(0, 3)),
    DemoProduct("Lychee honey 荔枝蜜", "honey-jam", "bottle", (230, 170, 50),
                "Raw honey from the lychee orchards of Conghua.",
                _skus(("500 g jar", 6800, 30),)),
    DemoProduct("Homemade strawberry jam", "honey-jam", "bottle", (200, 40, 60),
                "Made in small batches from the market's own strawberries.",
                _skus(("220 g jar", 3200, 30),)),
    DemoProduct("Wuchang rice 五常大米", "rice-grains", "bag", (236, 226, 200),
                "Northeast rice, new harvest, fragrant when cooked.",
                _skus(("2.5 kg bag", 5980, 40), ("5 kg bag", 10800, 20))),
    DemoProduct("Shiitake mushrooms 香菇", "mushrooms", "round", (130, 90, 60),
                "Fresh shiitake from the hills of Fujian.",
                _skus(("300 g", 1280, 50),), fresh=(1, 5)),
    DemoProduct("Baby bok choy 上海青", "leafy-greens", "berries", (100, 170, 80),
                "Tender Shanghai greens for stir-fries and hotpot.",
                _skus(("500 g", 690, 60),), fresh=(1, 4)),
)

SHOPS = (
    DemoShop("lin_fruits", "林记鲜果 Lin's Fruit Stand",
             "A family fruit stand since 1998: whatever is best this week, picked ripe.",
             shipping_fee=800, free_shipping_threshold=9900, products=FRUIT),
    DemoShop("mei_bakes", "梅姐烘焙 Mei's Bakery",
             "Community bakery: sourdough at 6, egg tarts by 10, cakes to order.",
             shipping_fee=600, free_shipping_threshold=8800, products=BAKES),
    DemoShop("ben_market", "Thursday Community Store",
             "The Thursday market's pantry: nuts, tea, honey, rice and farm greens.",
             shipping_fee=1000, free_shipping_threshold=12800, products=PANTRY),
)

# Demo buyers and what they bought: (buyer, [(product name, SKU name, quantity)]). Each entry is
# one checkout; a cart across shops becomes one order per shop and one payment for them all.
PURCHASES = (
    ("demo", [("Dandong strawberries 丹东草莓", "500 g punnet", 2),
              ("Portuguese egg tarts 葡式蛋挞", "Box of 4", 1)]),
    ("chen_eats", [("Hainan Tainong mangoes 台农芒果", "1 kg", 2),
                   ("Shine Muscat grapes 阳光玫瑰", "1 bunch (about 600 g)", 1)]),
    ("sophie_k", [("Hainan Tainong mangoes 台农芒果", "Family crate 5 kg", 1),
                  ("Mango mousse cake 芒果慕斯", '6" cake', 1),
                  ("Lychee honey 荔枝蜜", "500 g jar", 1)]),
    ("xiaoyu", [("Bananas", "1 hand (about 1 kg)", 1), ("Pineapple buns 菠萝包", "4 buns", 1)]),
    ("wang_laoshi", [("Longjing green tea 西湖龙井", "50 g tin", 1),
                     ("Korla fragrant pears 库尔勒香梨", "1 kg", 2)]),
    ("lucy_smoothie", [("Red dragon fruit 红心火龙果", "6-fruit box", 1),
                       ("Blueberries 蓝莓", "4 × 125 g", 1)]),
)

# fmt: on

DEMO_ADDRESS = {
    "name": "",
    "phone": "13800138000",
    "line1": "18 Huaihai Middle Road, Room 1203",
    "city": "Shanghai",
    "postal_code": "200021",
}
