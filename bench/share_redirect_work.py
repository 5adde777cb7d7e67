"""The share-redirect bench's work inside the bench server's environment (its own database).

`python -m bench.share_redirect_work seed N` makes N share links with raw batched INSERTs (and
the sharers and products they need through the ORM) and prints {"links", "seconds"};
`python -m bench.share_redirect_work queries K` taps K links twice with Django's test client,
counting the SQL queries of the second (cached) taps, and prints {"taps", "queries"}.
Run through `EmbeddedServer.run` so that it works on that server's database.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time

INSERT_BATCH = 10_000


def seed(count: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from commerce.models import SKU, Category, Merchant, Product
    from shoplinks.codes import new_code

    started = time.perf_counter()
    # One link per (sharer, product): a square grid of them covers `count`.
    side = math.isqrt(count - 1) + 1
    users = get_user_model()
    password = make_password(None)
    owner = users.objects.create(username="bench-shop-owner", password=password)
    merchant = Merchant.objects.create(name="Bench shop", slug="bench-shop", owner=owner)
    category = Category.objects.create(name="Bench", slug="bench")
    products = Product.objects.bulk_create(
        Product(merchant=merchant, category=category, name=f"Bench product {n}")
        for n in range(side)
    )
    SKU.objects.bulk_create(
        SKU(product=product, name="1 kg", price=1250, on_hand=10) for product in products
    )
    sharers = users.objects.bulk_create(
        users(username=f"bench-sharer-{n}", password=password) for n in range(side)
    )
    now = timezone.now()
    product_ids = [product.pk for product in products]
    sharer_ids = [sharer.pk for sharer in sharers]
    codes = set()
    rows = []
    with transaction.atomic(), connection.cursor() as cursor:
        for number in range(count):
            code = new_code()
            while code in codes:
                code = new_code()
            codes.add(code)
            sharer, product = divmod(number, side)
            rows.append((code, sharer_ids[sharer], product_ids[product], now))
            if len(rows) == INSERT_BATCH or number == count - 1:
                cursor.executemany(
                    "INSERT INTO shoplinks_sharelink (code, sharer_id, product_id, created_at)"
                    " VALUES (%s, %s, %s, %s)",
                    rows,
                )
                rows = []
    return {"links": count, "seconds": time.perf_counter() - started}


def queries(count: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from shoplinks.models import ShareLink

    codes = list(ShareLink.objects.order_by("?").values_list("code", flat=True)[:count])
    browser = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone) Mobile Safari", "REMOTE_ADDR": "10.0.0.1"}
    returning, newcomer = Client(), Client()
    for code in codes:
        returning.get(f"/s/{code}", **browser)
    with CaptureQueriesContext(connection) as captured:
        for code in codes:
            # A returning visitor (their cookie) and a first-time one (no cookie), on cached links.
            assert returning.get(f"/s/{code}", **browser).status_code == 302
            newcomer.cookies.clear()
            assert newcomer.get(f"/s/{code}", **browser).status_code == 302
    return {"taps": 2 * len(codes), "queries": len(captured.captured_queries)}


def main(argv: list[str]) -> None:
    command, number = argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    work = {"seed": seed, "queries": queries}[command]
    print(json.dumps(work(int(number))))


if __name__ == "__main__":
    main(sys.argv[1:])
