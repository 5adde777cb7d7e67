"""The shell's pages: home, health, favicon and the error pages (HTML, or JSON under /api/)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from backend.accounts import selectors as accounts_selectors
from backend.api.errors import json_error
from backend.web.context_processors import url_or_none
from backend.web.health import health_report


def greeting_at(moment: datetime) -> str:
    """The greeting for `moment`, by the clock of the business time zone."""
    hour = timezone.localtime(moment, ZoneInfo(settings.BUSINESS_TIME_ZONE)).hour
    if 5 <= hour < 12:
        return "Good morning"
    if 12 <= hour < 18:
        return "Good afternoon"
    return "Good evening"


@require_safe
def home(request):
    """A visitor gets the landing page; a member a short greeting above their home feed, whose
    cards, pill and suggestions the feed app serves (`feed:home_cards`) into the page."""
    if not request.user.is_authenticated:
        return render(request, "web/landing.html")
    context = {
        "greeting": greeting_at(timezone.now()),
        "counts": accounts_selectors.follow_counts(request.user),
        "cards_url": url_or_none("feed:home_cards"),
        "suggestions_url": url_or_none("feed:suggestions"),
    }
    return render(request, "web/home.html", context)


@never_cache
@require_safe
def healthz(request):
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


@require_safe
def favicon(request):
    # Browsers ask for /favicon.ico whatever the page says; point them at the SVG.
    return HttpResponseRedirect(static("web/favicon.svg"))


# --- Error pages -----------------------------------------------------------------------------

ERRORS = {
    400: (
        "Bad request",
        "That didn't look right",
        "Something in the request was off. Go back and try again.",
    ),
    403: (
        "Not allowed",
        "This one isn't for you",
        "You don't have access to this page. Signed in with another account?",
    ),
    404: (
        "Page not found",
        "We couldn't find that page",
        "It may have moved or been deleted — or someone already ate it.",
    ),
    500: (
        "Something went wrong",
        "Something went wrong on our side",
        "We've been told and are on it. Please try again in a moment.",
    ),
}

API_ERRORS = {
    400: ("bad_request", "The request was refused."),
    403: ("permission_denied", "You are not allowed to do that."),
    404: ("not_found", "Not found."),
    500: ("server_error", "Something went wrong on our side."),
}


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _error_context(status: int) -> dict:
    title, heading, message = ERRORS[status]
    return {"status": status, "title": title, "heading": heading, "message": message}


def _error(request, status: int):
    if _is_api(request):
        return json_error(status, *API_ERRORS[status])
    return render(request, "web/error.html", _error_context(status), status=status)


def bad_request(request, exception=None):
    return _error(request, 400)


def permission_denied(request, exception=None):
    return _error(request, 403)


def page_not_found(request, exception=None):
    return _error(request, 404)


def server_error(request):
    if _is_api(request):
        return json_error(500, *API_ERRORS[500])
    # No request context: whatever broke (the database, a context processor) must not break
    # the error page too. The page renders as for an anonymous visitor, without navigation.
    body = loader.get_template("web/error.html").render(_error_context(500))
    return HttpResponse(body, status=500)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a stale form is the usual cause, so say how to recover."""
    if _is_api(request):
        return json_error(403, "csrf_failed", "CSRF check failed. Reload and try again.")
    context = {
        "status": 403,
        "title": "Please try again",
        "heading": "This page went stale",
        "message": "For your safety we didn't send that form. Reload the page and try again.",
    }
    return render(request, "web/error.html", context, status=403)
