"""What the demo people post about (posts.seed): fruit and food topics, each with a drawn
scene, its colour, the demo shop product it tags (found by a search word) and three posts'
worth of words. Hashtags and @mentions are part of the text, as people type them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    scene: str
    colour: tuple[int, int, int]
    product: str  # a search word for the product to tag ("" for none)
    location: str
    texts: tuple[str, str, str]


# What a screen reader says for each drawn scene.
ALT_TEXTS = {
    "bowl": "A white bowl of ripe fruit on a soft pastel background",
    "berries": "A scatter of glossy red berries",
    "slices": "Fresh fruit cut into bright slices on a plate",
    "loaf": "A golden loaf of bread on a board",
    "tarts": "Small fruit tarts in a row",
    "drink": "A tall glass of fruit juice with a straw",
}

# fmt: off
TOPICS = (
    Topic("bowl", (246, 178, 38), "Tainong", "Nanshan night market", (
        "Mango season is officially open 🥭 Tainong mangoes, so sweet the juice ran down my wrist. "
        "#芒果 #mango-season",
        "Cubed three mangoes for breakfast and regret nothing. Hedgehog cut tutorial in comments! "
        "#mango #breakfast",
        "@sophie_k this is the mango I told you about: fibre-free and fragrant. #芒果 #fruitlover",
    )),
    Topic("berries", (214, 38, 62), "Dandong", "Balcony garden", (
        "First strawberries of the year from the shop, sweeter than my balcony ones (don't tell "
        "them). #草莓 #strawberry",
        "Strawberry picnic in the park. Bring a friend, bring a bowl. #strawberry #weekend",
        "Dandong strawberries + a spoon of yoghurt = my favourite dessert this week. "
        "#草莓 #dessert",
    )),
    Topic("slices", (240, 140, 30), "navel", "Home kitchen", (
        "Navel oranges that peel in one go. The kids finished a whole kilo in two days. #橙子 "
        "#citrus",
        "Winter = citrus on every surface of my kitchen. #citrus #vitaminC",
        "Fresh-squeezed orange juice Sunday. Three oranges per glass, zero sugar added. #juice "
        "#citrus",
    )),
    Topic("bowl", (226, 40, 96), "dragon", "Lucy's smoothie corner", (
        "Red dragon fruit smoothie bowl 💗 the colour is real, no filter. #火龙果 #smoothiebowl",
        "Dragon fruit on toast? Dragon fruit on toast. #breakfast #dragonfruit",
        "Tried the red-flesh dragon fruit: sweeter than the white one and much prettier. #火龙果 "
        "#fruitlover",
    )),
    Topic("berries", (188, 30, 40), "妃子笑", "Lin's Fruit", (
        "荔枝季 is here! Feizixiao lychees, thin skin, tiny seed. #荔枝 #lychee",
        "Peeled a whole box of lychees watching a drama. No regrets. #lychee #summer",
        "Lychee honey on yoghurt with fresh lychees on top: double lychee. #荔枝 #honey",
    )),
    Topic("loaf", (196, 130, 70), "sourdough", "Mei Bakes", (
        "6 am sourdough straight from Mei's oven. That crackle when you cut it. #sourdough #bakery",
        "Open crumb achieved (by Mei, not me). Best loaf in the neighbourhood. #sourdough #bread",
        "Sourdough toast, butter, a pinch of salt. Simple mornings. #breakfast #sourdough",
    )),
    Topic("tarts", (250, 208, 80), "egg tarts", "Mei Bakes", (
        "Portuguese egg tarts still warm, caramelised spots and all. #蛋挞 #eggtart",
        "Bought six egg tarts for the team, arrived with four. Road tax. #eggtart #bakery",
        "@mei_bakes your egg tarts are dangerous. Flaky, wobbly, perfect. #蛋挞 #dessert",
    )),
    Topic("bowl", (236, 214, 70), "Meyer", "Home kitchen", (
        "Meyer lemons for honey-lemon water all week. Soothes a tired throat. #lemon #homemade",
        "Lemon tart attempt #2, much better than #1 🍋 #baking #lemon",
        "Preserved lemons in salt for the winter. Recipe from my grandmother. #lemon #pantry",
    )),
    Topic("berries", (70, 80, 160), "Blueberries", "Thursday market", (
        "Blueberries on everything this week: oats, pancakes, salads. #蓝莓 #blueberry",
        "A pint of blueberries disappeared on the walk home from the market. #blueberry #snack",
        "Blueberry muffins with market berries, recipe in the next post. #baking #blueberry",
    )),
    Topic("bowl", (150, 200, 90), "Shine Muscat", "Lin's Fruit", (
        "Shine Muscat grapes: crunchy, rosy-scented, no seeds. Worth every fen. #阳光玫瑰 #grapes",
        "Frozen grapes are the best summer snack, change my mind. #grapes #summer",
        "Fruit platter for the family visit, Shine Muscat in the middle of course. #fruitplatter "
        "#grapes",
    )),
    Topic("bowl", (250, 170, 150), "Yangshan", "Yangshan orchard", (
        "Yangshan peaches so juicy you eat them over the sink. #水蜜桃 #peach",
        "Peach season means peach everything: tea, jam, just peaches. #peach #summer",
        "Peeled a peach with my fingers, the skin just slides off. Ripe! #水蜜桃 #fruitlover",
    )),
    Topic("drink", (250, 160, 60), "Fresh orange juice", "Grace's tea corner", (
        "Fresh orange juice after the Saturday market run. #juice #market",
        "Orange juice with sparkling water and mint: the summer spritz without alcohol. #drinks "
        "#citrus",
        "Juice stand find of the week. @grace_tea you were right. #juice #weekend",
    )),
    Topic("drink", (110, 150, 70), "Longjing", "Grace's tea corner", (
        "Longjing green tea, first flush. Chestnut aroma, sweet aftertaste. #龙井 #tea",
        "Cold-brew green tea in a bottle overnight. So smooth. #tea #coldbrew",
        "Tea and egg tarts: the best afternoon combo in town. #tea #afternoontea",
    )),
    Topic("slices", (234, 90, 70), "Fuji", "Home kitchen", (
        "Aksu Fuji apples with the honey core 冰糖心. Crisp and sweet. #苹果 #apple",
        "Apple slices with peanut butter, the after-school snack that never gets old. #snack "
        "#apple",
        "Baked apples with cinnamon and walnuts on a cold night. #baking #apple",
    )),
    Topic("tarts", (230, 120, 140), "strawberry shortcake", "Mei Bakes", (
        "Strawberry shortcake for a birthday, cream so light it floats. #cake #strawberry",
        "Slice of strawberry shortcake and a book. Perfect rainy afternoon. #cake #dessert",
        "Ordered the shortcake for mum's birthday, she asked for the bakery's name. #birthday "
        "#cake",
    )),
    Topic("bowl", (150, 210, 110), "Korla", "Thursday market", (
        "Korla fragrant pears, so much juice. Good for autumn dryness. #香梨 #pear",
        "Steamed pear with rock sugar for my cough, grandma's remedy. #pear #homemade",
        "Pear and walnut salad with a little honey. #salad #pear",
    )),
    Topic("loaf", (230, 190, 140), "milk bread", "Mei Bakes", (
        "Hokkaido milk bread, pillowy and pulls apart in strings. #吐司 #bread",
        "French toast made with milk bread is a whole different thing. #breakfast #bread",
        "Milk bread sandwiches for the school picnic. #lunchbox #bread",
    )),
    Topic("berries", (170, 30, 50), "Cherries", "Lin's Fruit", (
        "Cherries by the kilo, dark and sweet. #车厘子 #cherries",
        "Cherry pit spitting contest with the kids. I lost. #cherries #summer",
        "Cherries and dark chocolate, an underrated pairing. #cherries #dessert",
    )),
    Topic("bowl", (240, 200, 60), "Pineapple 菠萝", "Hainan trip", (
        "Pineapple soaked in salt water, the Guangdong way. #菠萝 #pineapple",
        "Pineapple fried rice served in the pineapple. Showing off a little. #cooking #pineapple",
        "Grilled pineapple on the barbecue with @ahmad_grill. Caramelised edges! #grill #pineapple",
    )),
    Topic("drink", (200, 140, 90), "cold-brew coffee", "Home kitchen", (
        "Yunnan cold-brew coffee, chocolatey and no bitterness. #coffee #yunnan",
        "Cold brew with a splash of milk, my whole personality in summer. #coffee #coldbrew",
        "Coffee and a walnut loaf slice on the balcony. #coffee #morning",
    )),
)
# fmt: on

COMMENTS = (
    "Looks amazing! Where did you get it?",
    "Adding this to my list 📝",
    "The colour!! 😍",
    "I need this in my life right now.",
    "We had these last week, so good.",
    "Saving this for the weekend.",
    "@demo you have to try this",
    "How long does it keep in the fridge?",
    "That looks like a painting.",
    "Bought some after seeing this, thanks!",
)

# Collections the demo user saves into (name -> which posts, by index in the seed's order).
COLLECTIONS = {"Summer fruit": (0, 3, 4, 10, 30, 31), "To bake": (5, 6, 14, 16, 25)}
