"""The web shell: home (landing and signed-in), navigation, messages, live badge slot, error pages,
favicon and static assets, and /healthz.

Some tests route through this module's own URLconf (`shell_urls`): the real routes plus views that
raise, so the error pages are exercised exactly as a real failure would reach them.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from django.contrib import messages
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.shortcuts import render
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.urls import path, reverse

from backend import urls as real_urls
from backend.celery import app as celery_app
from backend.web import context_processors, health
from backend.web.views import greeting_at
from tests.factories import FollowFactory, UserFactory

# --- A URLconf with views that fail (used through `shell_urls`) ------------------------------


def _raise_permission_denied(request):
    raise PermissionDenied


def _raise_suspicious(request):
    raise SuspiciousOperation("tampered")


def _raise_bug(request):
    raise RuntimeError("secret internals: password=hunter2")


def _say_hello(request):
    messages.success(request, "Saved. Looking good!")
    return render(request, "base.html")


urlpatterns = [
    path("_test/forbidden", _raise_permission_denied),
    path("_test/suspicious", _raise_suspicious),
    path("_test/bug", _raise_bug),
    path("_test/hello", _say_hello),
    *real_urls.urlpatterns,
]
handler400 = real_urls.handler400
handler403 = real_urls.handler403
handler404 = real_urls.handler404
handler500 = real_urls.handler500

shell_urls = pytest.mark.urls(__name__)


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.fixture
def member(db):
    return UserFactory(username="mei", display_name="Mei Lin")


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def _foreign_urls(html: str) -> list[str]:
    urls = re.findall(r"(?:https?:)?//[^\s\"'<>)]+", html)
    return [url for url in urls if urlsplit(url).hostname not in {None, "testserver"}]


# --- Home ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_home_is_a_landing_with_sign_up_and_sign_in(client):
    """A visitor sees what the product is and the way in: sign up and sign in."""
    response = client.get("/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "love to eat" in html
    assert f'href="{reverse("accounts:signup")}"' in html
    assert f'href="{reverse("accounts:signin")}"' in html


def test_signed_in_home_greets_the_member_and_shows_their_counts(signed_in, member):
    """A member's home greets them by display name and shows whom they follow and who follows."""
    FollowFactory(followee=member)

    html = signed_in.get("/").content.decode()

    assert re.search(r"Good (morning|afternoon|evening), Mei Lin", html)
    assert "<strong>0</strong><span>Following</span>" in html
    assert "<strong>1</strong><span>Follower</span>" in html


@pytest.mark.parametrize(
    ("utc_hour", "greeting"),
    [(1, "Good morning"), (3, "Good morning"), (5, "Good afternoon"), (12, "Good evening")],
)
def test_greeting_follows_the_business_clock(settings, utc_hour, greeting):
    """Morning, afternoon and evening are read on the business time zone's clock."""
    settings.BUSINESS_TIME_ZONE = "Asia/Shanghai"  # UTC+8

    assert greeting_at(datetime(2026, 3, 1, utc_hour, tzinfo=UTC)) == greeting


def test_signed_in_home_loads_the_home_feed_into_the_page(signed_in):
    """Below the greeting the page asks the feed for its cards, with skeletons meanwhile, and
    carries the hidden "new posts" pill and its script."""
    html = signed_in.get("/").content.decode()

    assert f'hx-get="{reverse("feed:home_cards")}"' in html
    assert "home-skeleton" in html
    assert 'id="home-pill"' in html
    assert "feed/home.js" in html
    assert f'href="{reverse("feed:suggestions")}"' in html


def test_signed_in_home_reads_a_bounded_number_of_queries(
    signed_in, member, django_assert_max_num_queries
):
    """The page itself costs a few queries; its cards come in their own request."""
    for person in UserFactory.create_batch(12):
        FollowFactory(follower=person, followee=UserFactory())

    # Session, user, follow counts.
    with django_assert_max_num_queries(3):
        response = signed_in.get("/")

    assert response.status_code == 200


# --- Navigation and the shell ---------------------------------------------------------------


def _nav(client, url="/") -> list[context_processors.NavLink]:
    return client.get(url).context["nav_links"]


def test_navigation_shows_only_entries_whose_page_exists(signed_in, monkeypatch):
    """An entry whose URL name does not resolve (its page comes later) is left out."""
    monkeypatch.setattr(
        context_processors,
        "NAV",
        (
            context_processors.NavItem("Home", "web:home", "home"),
            context_processors.NavItem("Later", "nowhere:yet", "sparkle"),
        ),
    )

    assert [link.label for link in _nav(signed_in)] == ["Home"]


def test_every_navigation_link_leads_to_a_page(signed_in):
    """No link of the navigation answers 404."""
    links = _nav(signed_in)

    assert links
    for link in links:
        assert signed_in.get(link.url).status_code != 404, link


def test_me_links_to_the_members_profile_or_to_sign_in(client, member):
    """The "Me" entry is the member's own profile, and sign-in for a visitor."""
    visitor_me = {link.label: link.url for link in _nav(client)}["Me"]
    client.force_login(member)
    member_me = {link.label: link.url for link in _nav(client)}["Me"]

    assert visitor_me == reverse("accounts:signin")
    assert member_me == reverse("accounts:profile", kwargs={"username": "mei"})


def test_the_current_page_is_marked_in_the_navigation(signed_in):
    """The entry for the page being shown carries aria-current="page"."""
    html = signed_in.get("/").content.decode()

    assert re.search(r'href="/"\s+aria-current="page"', html)
    assert [link.label for link in _nav(signed_in) if link.current] == ["Home"]


def test_signed_in_shell_has_profile_sign_out_and_badge(signed_in):
    """A member's shell links their profile, signs out by POST, and holds the badge slot."""
    html = signed_in.get("/").content.decode()

    assert f'href="{reverse("accounts:profile", kwargs={"username": "mei"})}"' in html
    assert re.search(rf'<form[^>]+method="post"[^>]+action="{reverse("accounts:signout")}"', html)
    assert 'id="notif-badge"' in html


def test_pages_send_the_csrf_token_with_every_htmx_request(signed_in):
    """The body's hx-headers carry the CSRF token, so htmx writes pass the CSRF check."""
    response = signed_in.get("/")

    token = response.context["csrf_token"]
    assert f'hx-headers=\'{{"X-CSRFToken": "{token}"}}\'' in response.content.decode()


def test_live_script_loads_only_when_the_notifications_route_exists(signed_in, monkeypatch):
    """Without a /ws/notifications/ route the page opens no socket; with it, live.js is wired."""
    monkeypatch.setattr(context_processors, "WEBSOCKET_ROUTES", [])
    without = signed_in.get("/").content.decode()
    monkeypatch.setattr(
        context_processors, "WEBSOCKET_ROUTES", [("ws/notifications/", "feed.consumers.X")]
    )
    with_route = signed_in.get("/").content.decode()

    assert "live.js" not in without
    assert 'data-live-socket="/ws/notifications/"' in with_route
    assert "web/live.js" in with_route


def test_visitors_get_no_live_socket_even_with_the_route(client, monkeypatch, db):
    """A visitor has no notifications: the socket is never opened for them."""
    monkeypatch.setattr(
        context_processors, "WEBSOCKET_ROUTES", [("ws/notifications/", "feed.consumers.X")]
    )

    assert "data-live-socket" not in client.get("/").content.decode()


@shell_urls
@pytest.mark.django_db
def test_messages_are_rendered_as_toasts(client):
    """A Django message shows up as a toast with its level."""
    html = client.get("/_test/hello").content.decode()

    assert re.search(r'class="toast toast-success"[^>]*>Saved\. Looking good!<', html)


@pytest.mark.django_db
def test_pages_reference_no_other_host(client):
    """The landing page names no other host: no CDN, no web fonts from elsewhere."""
    assert _foreign_urls(client.get("/").content.decode()) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "asset", ["web/app.css", "web/app.js", "web/live.js", "web/favicon.svg", "django_htmx/"]
)
def test_shell_assets_are_served_by_the_app(client, asset):
    """The stylesheet, scripts, favicon and htmx itself come from this server."""
    html = client.get("/").content.decode() + '<script src="/static/web/live.js">'
    url = re.search(rf'(?:src|href)="(/static/{re.escape(asset)}[^"]*)"', html).group(1)

    response = client.get(url)

    assert response.status_code == 200


@pytest.mark.django_db
def test_favicon_ico_points_at_the_svg(client):
    """/favicon.ico (asked by browsers on their own) redirects to the SVG icon."""
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"].endswith("/web/favicon.svg")


def test_avatar_is_the_initial_on_a_stable_colour_without_a_picture(db):
    """No picture: the first letter of the name, on a colour that depends only on the person."""
    user = UserFactory(username="zoe", display_name="zoë")
    template = Template('{% load shell %}{% avatar user "lg" %}')

    first = template.render(Context({"user": user}))

    assert re.search(r'class="avatar avatar-lg avatar-tone-\d"[^>]*>Z<', first)
    assert template.render(Context({"user": user})) == first


def test_avatar_refuses_an_unknown_size():
    """A typo in a size is a template error, not a silently unstyled picture."""
    with pytest.raises(TemplateSyntaxError):
        Template('{% load shell %}{% avatar user "huge" %}').render(Context({"user": None}))


# --- Error pages -----------------------------------------------------------------------------


def _is_product_page(html: str) -> bool:
    return "/static/web/app.css" in html and 'class="error-page"' in html


@pytest.mark.django_db
def test_unknown_page_is_a_404_in_the_products_look(client):
    """An unknown page answers 404 with the shell's error page."""
    response = client.get("/no/such/page")

    assert response.status_code == 404
    assert _is_product_page(response.content.decode())
    assert "We couldn&#x27;t find that page" in response.content.decode()


@shell_urls
@pytest.mark.django_db
@pytest.mark.parametrize(("url", "status"), [("/_test/forbidden", 403), ("/_test/suspicious", 400)])
def test_refusals_get_the_products_error_page(client, url, status):
    """PermissionDenied answers 403 and SuspiciousOperation 400, both in the product's look."""
    response = client.get(url)

    assert response.status_code == status
    assert _is_product_page(response.content.decode())


@shell_urls
@pytest.mark.django_db
def test_a_bug_is_a_500_page_without_internals(client):
    """An uncaught error answers the product's 500 page and reveals nothing of the error."""
    response = client.get("/_test/bug")
    html = response.content.decode()

    assert response.status_code == 500
    assert _is_product_page(html)
    assert "hunter2" not in html
    assert "Traceback" not in html


@shell_urls
@pytest.mark.django_db
def test_the_500_page_renders_even_when_the_shell_context_is_broken(client, monkeypatch):
    """The 500 page does not depend on context processors (the database may be what broke)."""

    def broken(request):
        raise RuntimeError("database is down")

    monkeypatch.setattr(context_processors, "shell", broken)
    response = client.get("/_test/bug")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.django_db
def test_a_stale_form_gets_a_friendly_403(member):
    """A POST with no CSRF token answers 403 with the product's page and how to recover."""
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(reverse("accounts:signin"), {"username": "mei"})

    assert response.status_code == 403
    assert _is_product_page(response.content.decode())
    assert "Reload the page" in response.content.decode()


# --- /healthz --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_reports_every_part_ok(client):
    """All parts working: 200 and "ok" for each (the broker is "eager" with in-process tasks)."""
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": "eager",
        "storage": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_needs_no_session_and_sets_no_cookie(client):
    """Load balancers probe anonymously: no redirect to sign-in, no cookie."""
    response = client.get("/healthz")

    assert response.status_code == 200
    assert not response.cookies


class _BrokenCache:
    def set(self, *args, **kwargs):
        raise ConnectionError("cache is down")

    get = delete = set


@pytest.mark.django_db
def test_healthz_is_503_degraded_when_the_cache_fails(client, monkeypatch):
    """A failing cache answers 503 "degraded", names the cache, and shows no traceback."""
    monkeypatch.setattr(health, "cache", _BrokenCache())

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["cache"] == "error"
    assert body["database"] == "ok"
    assert "cache is down" not in response.content.decode()


class _BrokenStorage:
    def save(self, *args, **kwargs):
        raise PermissionError("read-only file system")


@pytest.mark.django_db
def test_healthz_is_503_when_storage_cannot_be_written(client, monkeypatch):
    """Storage that refuses a write is reported as the failing part."""
    monkeypatch.setattr(health, "default_storage", _BrokenStorage())

    body = client.get("/healthz").json()

    assert body["status"] == "degraded"
    assert body["storage"] == "error"


class _BrokenConnection:
    def cursor(self):
        raise OSError("connection refused")


def test_healthz_is_503_when_the_database_is_unreachable(client, monkeypatch):
    """An unreachable database is reported as the failing part, not raised as a 500."""
    monkeypatch.setattr(health, "connection", _BrokenConnection())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "error"


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_broker_quickly(client, monkeypatch):
    """With tasks sent to a broker that is down: 503, broker "error", within a few seconds."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")

    started = time.monotonic()
    response = client.get("/healthz")

    assert time.monotonic() - started < health.BROKER_TIMEOUT_SECONDS * 3
    assert response.status_code == 503
    assert response.json()["broker"] == "error"


@pytest.mark.django_db
def test_healthz_only_answers_reads(client):
    """Health is read-only: a POST answers 405."""
    assert client.post("/healthz").status_code == 405


@pytest.mark.services("redis")
@pytest.mark.django_db
def test_healthz_checks_redis_cache_and_broker(client, monkeypatch, settings):
    """On the services setup the Redis cache and the Redis broker are both probed and ok."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "broker_url", settings.REDIS_URL)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"] == "ok"
    assert response.json()["cache"] == "ok"
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


@pytest.mark.django_db
def test_own_profile_links_to_my_orders_and_my_shop(client):
    """On my own profile, shortcuts lead to my orders and my shop console; not on others'."""
    me, other = UserFactory(), UserFactory()
    client.force_login(me)

    mine = client.get(reverse("accounts:profile", args=[me.username])).content.decode()
    theirs = client.get(reverse("accounts:profile", args=[other.username])).content.decode()

    assert f'href="{reverse("commerce:order_list")}"' in mine
    assert f'href="{reverse("commerce:console_home")}"' in mine
    assert reverse("commerce:order_list") not in theirs
