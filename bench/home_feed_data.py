"""The home benches' data set (bench_home_feed, bench_discover), generated in the bench database
by `INSERT … SELECT generate_series` in one go.

User u is id BASE + u; user 1 is the viewer:
- USERS people, a few deactivated or deleted; the viewer follows 500 of them (spread over the
  ids), two in five of those follow back (friends), one in ten has the viewer on their close
  friends list, one in fifty is muted; a handful of others block the viewer or are blocked by
  them (never followed: a block removes the follows, as `user_block` does);
- everyone else follows 20 people and keeps 3 of them as close friends; a thousand blocks
  between others (their follows removed too);
- POSTS posts spread evenly over the users and over 200 days, ≈70% public, 15% followers, 10%
  friends, 5% close friends; 2% drafts, 1% soft-deleted, 0.2% hidden by moderation; each with
  one or two ready pictures (three WebP variants, a colour placeholder, public only when the
  post is), a tenth tagging one or two of 8 products, three in ten with a hashtag;
- a like per post from someone, and the viewer's likes on a tenth and saves on 2% of the posts
  of the people they follow.
"""

from __future__ import annotations

import time

FOLLOWS = 500
PRODUCTS = 8
HASHTAGS = 30
BASE = 1000  # generated user u is id BASE + u; ORM-made fixtures stay below
DAYS = 200


def _hash(value: str, seed: int, modulo: int) -> str:
    """SQL for a well-spread pseudo-random 0..modulo-1 from an integer expression (each seed an
    independent draw); `%%` because the statements carry parameters."""
    return f"(abs(hashint4extended(({value})::int, {seed}) %% {modulo}))::int"


def _followed(k: str) -> str:
    # The viewer's k-th followee (k = 0 … FOLLOWS-1), as a user number.
    return f"(2 + 19 * {k})"


FILL = [
    # --- people --------------------------------------------------------------------------
    """
    INSERT INTO accounts_user (id, password, is_superuser, username, first_name, last_name,
        email, is_staff, is_active, date_joined, display_name, bio, avatar, anonymised_at)
    SELECT %(base)s + u, '!', false, 'bench' || u, '', '', '', false, u %% 997 <> 5,
        now() - interval '300 days', 'Bench Person ' || u, 'I share what I cook and buy.',
        CASE WHEN u %% 3 = 0 THEN '' ELSE 'avatars/2026/01/bench' || u || '.webp' END,
        CASE WHEN u %% 1009 = 7 THEN now() - interval '3 days' END
    FROM generate_series(1, %(users)s) AS u
    """,
    # The viewer's follows, then the follow-backs (friends).
    f"""
    INSERT INTO accounts_follow (follower_id, followee_id, created_at)
    SELECT %(base)s + 1, %(base)s + {_followed("k")}, now() - (k %% 300) * interval '1 day'
    FROM generate_series(0, %(follows)s - 1) AS k
    """,
    f"""
    INSERT INTO accounts_follow (follower_id, followee_id, created_at)
    SELECT %(base)s + {_followed("k")}, %(base)s + 1, now() - (k %% 200) * interval '1 day'
    FROM generate_series(0, %(follows)s - 1) AS k WHERE k %% 5 < 2
    """,
    # Everyone else follows 20 people (distinct offsets, never themselves).
    f"""
    INSERT INTO accounts_follow (follower_id, followee_id, created_at)
    SELECT %(base)s + u, %(base)s + 1 + (u - 1 + 487 * k + 13 * (u %% 7)) %% %(users)s,
        now() - {_hash("u * 31 + k", 1, 300)} * interval '1 day'
    FROM generate_series(2, %(users)s) AS u, generate_series(1, 20) AS k
    WHERE (487 * k + 13 * (u %% 7)) %% %(users)s <> 0
    ON CONFLICT DO NOTHING
    """,
    # Close friends: a tenth of the viewer's followees list the viewer; others list 3 people.
    f"""
    INSERT INTO accounts_closefriend (owner_id, friend_id, created_at)
    SELECT %(base)s + {_followed("k")}, %(base)s + 1, now() - interval '20 days'
    FROM generate_series(0, %(follows)s - 1) AS k WHERE k %% 10 = 0
    """,
    """
    INSERT INTO accounts_closefriend (owner_id, friend_id, created_at)
    SELECT %(base)s + u, %(base)s + 1 + (u - 1 + 487 * k + 13 * (u %% 7)) %% %(users)s,
        now() - interval '30 days'
    FROM generate_series(2, %(users)s) AS u, generate_series(1, 3) AS k
    WHERE (487 * k + 13 * (u %% 7)) %% %(users)s <> 0
    ON CONFLICT DO NOTHING
    """,
    # Mutes: one in fifty of the viewer's followees (a mute keeps the follow).
    f"""
    INSERT INTO accounts_mute (muter_id, muted_id, created_at)
    SELECT %(base)s + 1, %(base)s + {_followed("k")}, now() - interval '10 days'
    FROM generate_series(0, %(follows)s - 1) AS k WHERE k %% 50 = 3
    """,
    # Blocks: five by the viewer, five of the viewer, a thousand between others.
    """
    INSERT INTO accounts_block (blocker_id, blocked_id, created_at)
    SELECT %(base)s + 1, %(base)s + 3 + 19 * k, now() - interval '5 days'
    FROM generate_series(0, 4) AS k
    UNION ALL
    SELECT %(base)s + 4 + 19 * k, %(base)s + 1, now() - interval '5 days'
    FROM generate_series(0, 4) AS k
    """,
    f"""
    INSERT INTO accounts_block (blocker_id, blocked_id, created_at)
    SELECT %(base)s + 2 + {_hash("n", 2, "(%(users)s - 1)")},
        %(base)s + 2 + {_hash("n", 3, "(%(users)s - 1)")}, now() - interval '5 days'
    FROM generate_series(1, 1000) AS n
    WHERE {_hash("n", 2, "(%(users)s - 1)")} <> {_hash("n", 3, "(%(users)s - 1)")}
    ON CONFLICT DO NOTHING
    """,
    """
    DELETE FROM accounts_follow f USING accounts_block b
    WHERE (f.follower_id = b.blocker_id AND f.followee_id = b.blocked_id)
       OR (f.follower_id = b.blocked_id AND f.followee_id = b.blocker_id)
    """,
    """
    DELETE FROM accounts_closefriend c USING accounts_block b
    WHERE (c.owner_id = b.blocker_id AND c.friend_id = b.blocked_id)
       OR (c.owner_id = b.blocked_id AND c.friend_id = b.blocker_id)
    """,
    # --- posts -----------------------------------------------------------------------------
    f"""
    INSERT INTO posts_post (id, author_id, text, visibility, status, location, like_count,
        comment_count, save_count, created_at, published_at, edited_at, deleted_at, hidden_at,
        card)
    SELECT n, %(base)s + 1 + (n - 1) %% %(users)s,
        'Day ' || n || ': ' || repeat('ripe mangoes from the farm down the road, ',
            1 + {_hash("n", 4, 5)}),
        CASE WHEN v < 14 THEN 'public' WHEN v < 17 THEN 'followers'
             WHEN v < 19 THEN 'friends' ELSE 'close_friends' END,
        CASE WHEN d < 20 THEN 'draft' ELSE 'published' END,
        CASE WHEN d %% 4 = 0 THEN 'Chengdu' ELSE '' END,
        {_hash("n", 5, 300)}, {_hash("n", 6, 40)}, {_hash("n", 7, 60)},
        at, CASE WHEN d >= 20 THEN at END, NULL,
        CASE WHEN d >= 20 AND d < 30 THEN at + interval '2 hours' END,
        CASE WHEN d >= 30 AND d < 32 THEN at + interval '1 day' END, '{{}}'::jsonb
    FROM (
        SELECT n, {_hash("n", 8, 20)} AS v, {_hash("n", 9, 1000)} AS d,
            now() - {_hash("n", 10, DAYS * 86400)} * interval '1 second' AS at
        FROM generate_series(1, %(posts)s) AS n
    ) AS generated
    """,
    # One or two pictures per post: media 2n-1 at position 0, 2n at position 1 for half.
    f"""
    INSERT INTO media_media (id, owner_id, kind, status, failure_reason, source, content_type,
        size_bytes, width, height, placeholder, variants, public, attached_at, created_at,
        processed_at)
    SELECT 2 * p.id - k.k, p.author_id, 'image', 'ready', '', '', 'image/webp', 184000,
        1080, 1440, '#' || lpad(to_hex({_hash("2 * p.id - k.k", 11, 16777216)}), 6, '0'),
        jsonb_build_object(
            '320', 'media/b' || (2 * p.id - k.k) || '/320.webp',
            '640', 'media/b' || (2 * p.id - k.k) || '/640.webp',
            '1080', 'media/b' || (2 * p.id - k.k) || '/1080.webp'),
        p.status = 'published' AND p.visibility = 'public' AND p.deleted_at IS NULL
            AND p.hidden_at IS NULL,
        p.created_at, p.created_at, p.created_at
    FROM posts_post p CROSS JOIN (VALUES (1), (0)) AS k(k)
    WHERE k.k = 1 OR {_hash("p.id", 12, 2)} = 0
    """,
    """
    INSERT INTO posts_postmedia (id, post_id, media_id, position, alt_text)
    SELECT m.id, (m.id + 1) / 2, m.id, 1 - m.id %% 2, ''
    FROM media_media m
    """,
    # A tenth of the posts tag one or two of the products (on their first picture).
    f"""
    INSERT INTO posts_producttag (post_id, product_id, sku_id, media_id, x, y, position)
    SELECT p.id, %(first_product)s + {_hash("2 * p.id + k", 13, PRODUCTS)},
        %(first_sku)s + {_hash("2 * p.id + k", 13, PRODUCTS)}, 2 * p.id - 1,
        0.3 + 0.2 * k, 0.6, k
    FROM posts_post p CROSS JOIN generate_series(0, 1) AS k
    WHERE {_hash("p.id", 14, 10)} = 0 AND (k = 0 OR {_hash("p.id", 15, 2)} = 0)
    """,
    f"""
    INSERT INTO posts_hashtag (id, name)
    SELECT n, 'bench' || n FROM generate_series(1, {HASHTAGS}) AS n
    """,
    f"""
    INSERT INTO posts_posthashtag (post_id, hashtag_id, position)
    SELECT p.id, 1 + {_hash("p.id", 16, HASHTAGS)}, 0
    FROM posts_post p WHERE {_hash("p.id", 17, 10)} < 3
    """,
    # --- likes and saves ------------------------------------------------------------------
    f"""
    INSERT INTO posts_like (user_id, post_id, created_at)
    SELECT %(base)s + 2 + {_hash("p.id", 18, "(%(users)s - 1)")}, p.id,
        p.created_at + interval '1 hour'
    FROM posts_post p WHERE p.status = 'published'
    ON CONFLICT DO NOTHING
    """,
    f"""
    INSERT INTO posts_like (user_id, post_id, created_at)
    SELECT f.follower_id, p.id, p.created_at + interval '2 hours'
    FROM accounts_follow f JOIN posts_post p ON p.author_id = f.followee_id
    WHERE f.follower_id = %(base)s + 1 AND p.status = 'published'
        AND {_hash("p.id", 19, 10)} = 0
    ON CONFLICT DO NOTHING
    """,
    f"""
    INSERT INTO posts_save (user_id, post_id, created_at)
    SELECT f.follower_id, p.id, p.created_at + interval '3 hours'
    FROM accounts_follow f JOIN posts_post p ON p.author_id = f.followee_id
    WHERE f.follower_id = %(base)s + 1 AND p.status = 'published'
        AND {_hash("p.id", 20, 50)} = 0
    """,
    # Each post's card snapshot, as posts.snapshot builds it from the rows (checked after the
    # fill against posts.snapshot itself).
    """
    UPDATE posts_post p SET card = jsonb_build_object(
        'media', coalesce((
            SELECT jsonb_agg(jsonb_build_object('id', m.id, 'kind', m.kind, 'status', m.status,
                'width', m.width, 'height', m.height, 'duration_ms', m.duration_ms,
                'placeholder', m.placeholder, 'variants', m.variants, 'public', m.public,
                'alt_text', pm.alt_text, 'position', pm.position) ORDER BY pm.position)
            FROM posts_postmedia pm JOIN media_media m ON m.id = pm.media_id
            WHERE pm.post_id = p.id), '[]'::jsonb),
        'tags', coalesce((
            SELECT jsonb_agg(jsonb_build_object('product_id', t.product_id, 'sku_id', t.sku_id,
                'media_id', t.media_id, 'x', t.x, 'y', t.y) ORDER BY t.position)
            FROM posts_producttag t WHERE t.post_id = p.id), '[]'::jsonb),
        'hashtags', coalesce((
            SELECT jsonb_agg(h.name ORDER BY ph.position)
            FROM posts_posthashtag ph JOIN posts_hashtag h ON h.id = ph.hashtag_id
            WHERE ph.post_id = p.id), '[]'::jsonb))
    """,
    "VACUUM ANALYZE",
]


def fixtures() -> dict:
    """The shop and the products posts tag (one SKU each; consecutive ids so generated rows
    reach them as first + n)."""
    from django.contrib.auth import get_user_model

    from commerce.models import SKU, Category, Merchant, Product

    owner = get_user_model().objects.create_user(username="bench-owner", password=None)
    shop = Merchant.objects.create(name="Bench farm", slug="bench-farm", owner=owner)
    category = Category.objects.create(name="Bench fruit", slug="bench-fruit")
    products = [
        Product.objects.create(merchant=shop, category=category, name=f"Mango box {n}")
        for n in range(PRODUCTS)
    ]
    skus = [
        SKU.objects.create(product=product, name="2 kg", price=8_800, on_hand=50).pk
        for product in products
    ]
    for ids in (skus, [product.pk for product in products]):
        if [pk - ids[0] for pk in ids] != list(range(PRODUCTS)):
            raise RuntimeError("the bench needs consecutive ids in a fresh database")
    if owner.pk >= BASE:
        raise RuntimeError("the bench needs a fresh database (generated user ids collide)")
    return {"first_product": products[0].pk, "first_sku": skus[0]}


def fill(users: int, posts: int, fixtures: dict) -> float:
    from django.db import connection

    params = {**fixtures, "users": users, "posts": posts, "follows": FOLLOWS, "base": BASE}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in FILL:
            cursor.execute(statement, params)
    took = time.perf_counter() - started
    _check_cards()
    return took


def _check_cards() -> None:
    """The SQL-made cards must be the ones posts.snapshot makes from the same rows."""
    from posts.models import Post, PostHashtag, PostMedia, ProductTag
    from posts.snapshot import cards_from_rows, rows_for

    sample = list(Post.objects.filter(card__tags__0__isnull=False).order_by("pk")[:20])
    sample += list(Post.objects.order_by("pk")[:20])
    ids = [post.pk for post in sample]
    rows = rows_for(ids, post_media=PostMedia, product_tag=ProductTag, post_hashtag=PostHashtag)
    expected = cards_from_rows(ids, *rows)
    if any(post.card != expected[post.pk] for post in sample):
        raise RuntimeError("the bench's SQL-made card snapshots differ from posts.snapshot's")
