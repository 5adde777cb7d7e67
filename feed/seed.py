"""Demo friends and their recent life (the last seed_demo step): three circles of friends
around the demo people, each with fresh posts, so the demo user's home feed is full, and their
likes, comments, @mentions and follows on the demo user's posts, so the bell has a story to tell.

Everything goes through the real services: the events they publish make the notifications, and
every rule (visibility, blocks) holds. Idempotent: people are known by username, posts by author
and text, comments by author, post and text; follows and likes are no-ops when they exist.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import permutations

from django.contrib.auth.hashers import make_password

from backend.accounts import services as accounts
from backend.accounts.models import User, Visibility
from backend.accounts.seed import DEMO_PASSWORD, DEMO_USERNAME
from backend.errors import ApplicationError
from feed.discover.scores import refresh_scores
from posts import selectors as posts
from posts import services as posts_services
from posts.seed import seed_picture
from posts.seed_data import ALT_TEXTS

# username, display name, bio
PEOPLE = [
    ("kai_noodles", "Kai 面面", "Hand-pulled noodles or nothing. Night market regular."),
    ("yuki_matcha", "Yuki Tan", "Matcha, mochi and the occasional mango sticky rice."),
    ("ravi_spice", "Ravi Menon", "Curry on Sundays, chutney with everything."),
    ("momo_dessert", "Momo 甜品", "Dessert diary: one sweet thing a day."),
    ("jun_hotpot", "Jun Park", "Hotpot host. Bring your own dipping sauce."),
    ("anna_crumb", "Anna Crumb", "Croissant tester. Flaky layers are a lifestyle."),
    ("leo_coffee", "Leo 咖啡", "Pour-over at dawn, pastries at nine."),
    ("fang_jam", "Fang 果酱", "Small-batch jams from whatever the market has."),
    ("olivia_tart", "Olivia Reyes", "Tarts, galettes and butter in large amounts."),
    ("hana_herbs", "Hana Sato", "Balcony herbs: basil, shiso, mint that took over."),
    ("pedro_citrus", "Pedro Alves", "Growing a lemon tree in a pot. It is winning."),
    ("nina_sprouts", "Nina 豆芽", "Microgreens on the windowsill, salads on the table."),
    ("bo_beekeeper", "Bo Lindqvist", "Rooftop bees and the honey they make."),
]

# Everyone in a circle follows everyone else in it (friends), the demo people included.
CIRCLES = [
    [DEMO_USERNAME, "chen_eats", "kai_noodles", "yuki_matcha", "ravi_spice", "momo_dessert"],
    ["mei_bakes", "sophie_k", "anna_crumb", "leo_coffee", "fang_jam", "olivia_tart"],
    ["wang_laoshi", "lucy_smoothie", "hana_herbs", "pedro_citrus", "nina_sprouts"],
]

# Bridges between the circles, and fans of the demo user it does not follow back (yet): they
# are the new followers in its notifications and the friends of friends in its suggestions.
FOLLOWS = [
    ("jun_hotpot", DEMO_USERNAME),
    ("anna_crumb", DEMO_USERNAME),
    ("hana_herbs", DEMO_USERNAME),
    ("bo_beekeeper", DEMO_USERNAME),
    ("jun_hotpot", "kai_noodles"),
    ("kai_noodles", "jun_hotpot"),
    ("bo_beekeeper", "wang_laoshi"),
    ("wang_laoshi", "bo_beekeeper"),
    ("fang_jam", "bo_beekeeper"),
    ("yuki_matcha", "leo_coffee"),
    ("leo_coffee", "yuki_matcha"),
    (DEMO_USERNAME, "leo_coffee"),
    ("pedro_citrus", "fang_jam"),
]

CLOSE_FRIENDS = [(DEMO_USERNAME, "kai_noodles"), ("kai_noodles", DEMO_USERNAME)]

# author, text, visibility: fresh posts, newest last (posted in this order).
POSTS = [
    (
        "kai_noodles",
        "Biang biang noodles, hand-pulled, wide as a belt. #noodles #nightmarket",
        Visibility.PUBLIC,
    ),
    (
        "hana_herbs",
        "Shiso finally took off on the balcony. Pesto next? #balcony #herbs",
        Visibility.PUBLIC,
    ),
    (
        "anna_crumb",
        "Croissant number 14 this month: still the best at @mei_bakes. #croissant",
        Visibility.PUBLIC,
    ),
    (
        "yuki_matcha",
        "Matcha mochi with a whole strawberry inside 🍓 #mochi #strawberry",
        Visibility.PUBLIC,
    ),
    (
        "pedro_citrus",
        "Three lemons on the potted tree. Three! #lemon #balcony",
        Visibility.FOLLOWERS,
    ),
    (
        "leo_coffee",
        "Pour-over and a slice of banana bread. Slow Saturday. #coffee #bakery",
        Visibility.PUBLIC,
    ),
    (
        "ravi_spice",
        "Mango chutney batch: six jars, one already gone. #芒果 #chutney",
        Visibility.FRIENDS,
    ),
    (
        "fang_jam",
        "Fig and honey jam, honey from @bo_beekeeper's rooftop. #jam #figs",
        Visibility.PUBLIC,
    ),
    (
        "nina_sprouts",
        "Pea shoots on toast with a squeeze of lemon. #microgreens #breakfast",
        Visibility.PUBLIC,
    ),
    (
        "momo_dessert",
        "Mango pomelo sago for the whole circle tonight, @demo bring spoons! #芒果 #dessert",
        Visibility.FRIENDS,
    ),
    ("olivia_tart", "Plum galette, rustic on purpose. #galette #plums", Visibility.PUBLIC),
    (
        "jun_hotpot",
        "Hotpot Friday: eight friends, two broths, zero leftovers. #hotpot",
        Visibility.PUBLIC,
    ),
    (
        "bo_beekeeper",
        "First honey of the season off the roof. Lychee blossom, light and floral. #honey #lychee",
        Visibility.PUBLIC,
    ),
    (
        "kai_noodles",
        "Found the lychee stand you told me about, @demo. Worth the queue. #荔枝",
        Visibility.CLOSE_FRIENDS,
    ),
    (
        "chen_eats",
        "Night market run with @kai_noodles and @yuki_matcha: 11 stalls, one stomach. #nightmarket",
        Visibility.PUBLIC,
    ),
]

# The drawn pictures of those posts, in turn (scene, colour), and their seeds (apart from
# posts.seed's).
SCENERY = [
    ("bowl", (222, 120, 60)),
    ("slices", (246, 178, 38)),
    ("loaf", (196, 140, 70)),
    ("berries", (214, 38, 62)),
    ("tarts", (150, 60, 120)),
    ("drink", (250, 200, 80)),
]
PICTURE_SEED = 5000

# What friends say on the demo user's newest posts, in turn.
COMMENTS = [
    ("kai_noodles", "This looks amazing, saving it for the weekend!"),
    ("yuki_matcha", "Where did you get these? Need them in my life."),
    ("momo_dessert", "@chen_eats look, we have to go here."),
    ("anna_crumb", "Beautiful colours 😍"),
    ("ravi_spice", "Recipe please!"),
    ("jun_hotpot", "Next hotpot, you bring this."),
]
LIKERS = [
    "kai_noodles",
    "yuki_matcha",
    "ravi_spice",
    "momo_dessert",
    "jun_hotpot",
    "anna_crumb",
    "hana_herbs",
    "bo_beekeeper",
]
# How many of the demo user's newest posts the circle engages with.
DEMO_POSTS_ENGAGED = 4


def _people(log: Callable[[str], None]) -> dict[str, User]:
    names = [username for username, _, _ in PEOPLE]
    wanted = set(names) | {name for circle in CIRCLES for name in circle} | {DEMO_USERNAME}
    found = {user.username: user for user in User.objects.filter(username__in=wanted)}
    missing = [person for person in PEOPLE if person[0] not in found]
    if missing:
        # Hashed once: Argon2 is slow on purpose, and the demo users share the password.
        password = make_password(DEMO_PASSWORD)
        for username, display_name, bio in missing:
            found[username] = User.objects.create(
                username=username,
                email=f"{username}@demo.wordofmouth.test",
                display_name=display_name,
                bio=bio,
                password=password,
            )
        log(f"  {len(missing)} friends created")
    return found


def _graph(people: dict[str, User], log: Callable[[str], None]) -> None:
    pairs = [pair for circle in CIRCLES for pair in permutations(circle, 2)] + FOLLOWS
    created = sum(accounts.user_follow(follower=people[a], followee=people[b]) for a, b in pairs)
    for owner, friend in CLOSE_FRIENDS:
        accounts.close_friend_add(owner=people[owner], friend=people[friend])
    if created:
        log(f"  {created} follows created")


def _posts(people: dict[str, User], log: Callable[[str], None]) -> None:
    created = 0
    for username, text, visibility in POSTS:
        author = people[username]
        if posts.user_posts(viewer=author, author=author).filter(text=text).exists():
            continue
        scene, colour = SCENERY[created % len(SCENERY)]
        picture = seed_picture(author, scene=scene, colour=colour, seed=PICTURE_SEED + created)
        posts_services.post_create(
            author=author,
            text=text,
            media_ids=[picture],
            alt_texts=[ALT_TEXTS[scene]],
            visibility=visibility,
            status="published",
        )
        created += 1
    if created:
        log(f"  {created} fresh posts by friends")


def _engage_demo(people: dict[str, User], log: Callable[[str], None]) -> None:
    """Likes and comments from the circle on the demo user's newest posts; skipped for a post
    someone may not see, as it would be for a real person."""
    demo = people[DEMO_USERNAME]
    newest = list(posts.user_posts(viewer=demo, author=demo)[:DEMO_POSTS_ENGAGED])
    likes = comments = 0
    for number, post in enumerate(newest):
        for username in LIKERS[number : number + 5]:
            try:
                likes += posts_services.post_like(user=people[username], post=post)
            except ApplicationError:
                continue
        for username, text in COMMENTS[number : number + 2]:
            author = people[username]
            try:
                said = posts.comments_for(viewer=author, post=post).filter(author=author, text=text)
                if not said.exists():
                    posts_services.comment_create(author=author, post=post, text=text)
                    comments += 1
            except ApplicationError:
                continue
    if likes or comments:
        log(f"  {likes} likes and {comments} comments on the demo user's posts")


def seed_social(*, log: Callable[[str], None]) -> None:
    if not User.objects.filter(username=DEMO_USERNAME).exists():
        log("  demo people missing: run the accounts step first")
        return
    people = _people(log)
    _graph(people, log)
    _posts(people, log)
    _engage_demo(people, log)
    # Discover ranks right away rather than at the scheduled job's first run, 10 minutes in.
    log(f"  discover ranked: {refresh_scores()} entries")
