"""Demo people and their social graph (a seed_demo step).

Three circles of friends (foodies around the demo user, the shopkeepers of one neighbourhood,
balcony gardeners), shops that many follow without following back, a few close friends and one
spammer the demo user blocked. Made through the real services, so every rule holds.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import permutations

from django.contrib.auth.hashers import make_password

from backend.accounts import services
from backend.accounts.models import User

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-pass-2026"

# username, display name, bio
PEOPLE = [
    (DEMO_USERNAME, "Demo 小吃货", "Working my way through every fruit stand in town."),
    ("lin_fruits", "林记鲜果 Lin's Fruit", "Family fruit shop since 1998. 荔枝季 is our season."),
    ("mei_bakes", "梅姐烘焙 Mei Bakes", "Sourdough at 6, egg tarts by 10. Community bakery."),
    ("ben_market", "Ben Carter", "Runs the Thursday community market. Ask me about durian."),
    ("grace_tea", "Grace Wu", "Tea, tarts and the farmers' market every Saturday."),
    ("chen_eats", "陈小吃", "Noodle hunter. 为了一碗好拉面可以穿越整个城市。"),
    ("sophie_k", "Sophie Kwan", "Pastry chef turned home cook. Mango everything."),
    ("tom_dumpling", "Tom Li", "Dumpling folder, hotpot organiser, fruit-tea critic."),
    ("xiaoyu", "小雨", "学生党 · looking for cheap eats and cheaper fruit."),
    ("wang_laoshi", "王老师", "退休教师，阳台上种草莓。Balcony strawberries, year three."),
    ("lucy_smoothie", "Lucy Zhang", "Smoothie bowls, dragon fruit, far too many photos."),
    ("ahmad_grill", "Ahmad Rahman", "Weekend grill master. Pomegranate seeds on everything."),
    ("deals888", "Super Deals 888", "CHEAP CHEAP CHEAP!!! DM for deals"),
]

# Everyone in a circle follows everyone else in it: friends (mutual follows).
CIRCLES = [
    [DEMO_USERNAME, "chen_eats", "sophie_k", "tom_dumpling"],
    ["lin_fruits", "mei_bakes", "ben_market", "grace_tea"],
    ["wang_laoshi", "lucy_smoothie", "ahmad_grill"],
]

# One-way follows: fans of the shops, and a few bridges between circles.
FOLLOWS = [
    *(
        (fan, shop)
        for shop in ("lin_fruits", "mei_bakes")
        for fan in (
            DEMO_USERNAME,
            "chen_eats",
            "sophie_k",
            "xiaoyu",
            "wang_laoshi",
            "lucy_smoothie",
        )
    ),
    ("xiaoyu", DEMO_USERNAME),
    ("xiaoyu", "chen_eats"),
    ("lucy_smoothie", "sophie_k"),
    ("grace_tea", DEMO_USERNAME),
    (DEMO_USERNAME, "wang_laoshi"),
    ("ahmad_grill", "ben_market"),
]

CLOSE_FRIENDS = [
    (DEMO_USERNAME, "chen_eats"),
    (DEMO_USERNAME, "sophie_k"),
    ("lin_fruits", "mei_bakes"),
    ("wang_laoshi", "lucy_smoothie"),
]

BLOCKS = [(DEMO_USERNAME, "deals888")]


def sign_in_hint() -> str:
    return f"Sign in at /signin as {DEMO_USERNAME} / {DEMO_PASSWORD} (every demo user has it)."


def _people(log: Callable[[str], None]) -> dict[str, User]:
    existing = {
        user.username: user
        for user in User.objects.filter(username__in=[username for username, _, _ in PEOPLE])
    }
    missing = [person for person in PEOPLE if person[0] not in existing]
    if missing:
        # Hashed once: Argon2 is slow on purpose, and the demo users share the password.
        password = make_password(DEMO_PASSWORD)
        for username, display_name, bio in missing:
            existing[username] = User.objects.create(
                username=username,
                email=f"{username}@demo.wordofmouth.test",
                display_name=display_name,
                bio=bio,
                password=password,
            )
        log(f"  {len(missing)} people created")
    return existing


def seed_people(*, log: Callable[[str], None]) -> None:
    people = _people(log)
    follows = [pair for circle in CIRCLES for pair in permutations(circle, 2)] + FOLLOWS
    created = sum(services.user_follow(follower=people[a], followee=people[b]) for a, b in follows)
    for owner, friend in CLOSE_FRIENDS:
        services.close_friend_add(owner=people[owner], friend=people[friend])
    for blocker, blocked in BLOCKS:
        services.user_block(blocker=people[blocker], blocked=people[blocked])
    if created:
        log(f"  {created} follows created")
