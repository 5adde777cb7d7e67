"""Baselines: the least Django needs to give the same answers as the API (no DRF, one query)."""

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse

from backend.accounts.models import Follow

FIELDS = ("id", "username", "email", "display_name", "bio", "avatar")


def _follows(column: str) -> Coalesce:
    edges = Follow.objects.filter(**{column: OuterRef("pk")}).order_by().values(column)
    return Coalesce(Subquery(edges.annotate(n=Count("pk")).values("n")[:1]), 0)


def bare_me(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/me's JSON for the token's user, read in one query."""
    keyword, _, key = request.headers.get("Authorization", "").partition(" ")
    profile = None
    if keyword == "Token" and key:
        profile = (
            get_user_model()
            .objects.filter(auth_token__key=key, is_active=True)
            .annotate(followers_count=_follows("followee"), following_count=_follows("follower"))
            .values(*FIELDS, "followers_count", "following_count")
            .first()
        )
    if profile is None:
        return JsonResponse({"error": {"code": "not_authenticated"}}, status=401)
    if profile["avatar"]:
        profile["avatar"] = request.build_absolute_uri(default_storage.url(profile["avatar"]))
    else:
        profile["avatar"] = None
    return JsonResponse(profile)


def bare_redirect(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """The 302 that `/s/<code>` answers, with no work at all: no lookup, no click."""
    return HttpResponseRedirect("/products/1/")
