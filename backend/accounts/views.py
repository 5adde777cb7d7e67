"""Account pages: sign up / in / out, settings, profiles and their follow-block-mute buttons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from backend.accounts import selectors, services
from backend.accounts.errors import SignInLocked, UserNotFound
from backend.accounts.forms import (
    DeleteAccountForm,
    ProfileForm,
    SignInForm,
    SignUpForm,
    add_error,
)
from backend.errors import ApplicationError
from backend.web.context_processors import url_or_none

LIST_PAGE_SIZE = 30


def _visitor(request) -> str | None:
    return request.COOKIES.get(settings.VISITOR_COOKIE_NAME)


def _safe_next(request) -> str | None:
    """The ?next= (or posted next) address when it stays on this site, else None."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


# --- Sign up, in, out ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def signup(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_register(**form.cleaned_data, visitor_id=_visitor(request))
        except ApplicationError as error:
            add_error(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {user.username}!")
            return redirect(_safe_next(request) or "web:home")
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request)})


@require_http_methods(["GET", "POST"])
def signin(request):
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_authenticate(
                **form.cleaned_data,
                ip=request.META.get("REMOTE_ADDR"),
                visitor_id=_visitor(request),
            )
        except SignInLocked as error:
            minutes = max(1, round(error.retry_after / 60))
            form.add_error(None, f"Too many failed sign-ins. Try again in {minutes} min.")
            status = 429
        except ApplicationError as error:
            add_error(form, error)
        else:
            login(request, user)
            messages.success(request, f"Welcome back, {user.name}.")
            return redirect(_safe_next(request) or "web:home")
    context = {"form": form, "next": _safe_next(request)}
    return render(request, "accounts/signin.html", context, status=status)


@require_POST
def signout(request):
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect("web:home")


# --- Settings ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.profile_update(
                    user=user,
                    display_name=data["display_name"],
                    bio=data["bio"],
                    avatar=data["avatar"],
                    remove_avatar=data["remove_avatar"],
                )
            except ApplicationError as error:
                add_error(form, error)
            else:
                messages.success(request, "Your profile is saved.")
                if request.htmx:
                    # The form went up in the background (to show upload progress): the browser
                    # navigates itself, so the message is shown on the profile, not eaten by XHR.
                    return HttpResponseClientRedirect(
                        reverse("accounts:profile", args=[user.username])
                    )
                return redirect("accounts:profile", username=user.username)
    else:
        form = ProfileForm(initial={"display_name": user.display_name, "bio": user.bio})
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.check_password(form.cleaned_data["password"]):
            services.user_delete(user=request.user)
            logout(request)
            messages.info(request, "Your account is deleted. Thank you for the time together.")
            return redirect("web:home")
        form.add_error("password", "That is not your password.")
    return render(request, "accounts/delete_account.html", {"form": form})


@login_required
def close_friends(request):
    users = selectors.close_friends_of(request.user)
    return _people_page(request, users, title="Close friends", action="remove-close-friend")


@login_required
def blocked(request):
    users = selectors.blocked_users(request.user)
    return _people_page(request, users, title="Blocked", action="unblock")


def _people_page(request, users, *, title: str, action: str):
    page = Paginator(users, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"title": title, "page": page, "action": PROFILE_ACTIONS[action]}
    return render(request, "accounts/people.html", context)


# --- Profiles ----------------------------------------------------------------------------------


def _profile(request, username: str) -> selectors.Profile:
    """The profile behind a URL; 404 when it does not exist or its owner blocks the viewer."""
    try:
        profile = selectors.profile_get(username=username, viewer=request.user)
    except UserNotFound as error:
        raise Http404(error.message) from error
    if profile.relationship.is_blocked_by and not profile.relationship.is_blocking:
        raise Http404("No such user.")
    return profile


def profile(request, username: str):
    found = _profile(request, username)
    if found.user.username != username:
        return redirect("accounts:profile", username=found.user.username)
    return render(request, "accounts/profile.html", _profile_context(request, found))


def _profile_context(request, found: selectors.Profile) -> dict:
    return {
        "profile": found,
        "shown_user": found.user,
        "rel": found.relationship,
        "is_self": request.user.is_authenticated and request.user.pk == found.user.pk,
        # The posts app fills this slot with the user's post grid once its page exists.
        "posts_url": url_or_none("posts:profile_grid", username=found.user.username),
    }


def _user_list(request, username: str, *, which: str):
    found = _profile(request, username)
    if found.relationship.is_blocked_either:
        raise Http404("No such user.")
    users = (selectors.followers_of if which == "followers" else selectors.following_of)(
        found.user, viewer=request.user
    )
    page = Paginator(users, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"profile": found, "shown_user": found.user, "which": which, "page": page}
    return render(request, "accounts/user_list.html", context)


def followers(request, username: str):
    return _user_list(request, username, which="followers")


def following(request, username: str):
    return _user_list(request, username, which="following")


@dataclass(frozen=True)
class ProfileAction:
    slug: str
    label: str
    service: Callable[..., object]
    roles: tuple[str, str]
    done: str

    @property
    def url_name(self) -> str:
        return self.slug.replace("-", "_")


PROFILE_ACTIONS = {
    action.slug: action
    for action in (
        ProfileAction(
            "follow", "Follow", services.user_follow, ("follower", "followee"), "You follow {}."
        ),
        ProfileAction(
            "unfollow",
            "Unfollow",
            services.user_unfollow,
            ("follower", "followee"),
            "You no longer follow {}.",
        ),
        ProfileAction(
            "block",
            "Block",
            services.user_block,
            ("blocker", "blocked"),
            "You blocked {}. You no longer see each other.",
        ),
        ProfileAction(
            "unblock", "Unblock", services.user_unblock, ("blocker", "blocked"), "You unblocked {}."
        ),
        ProfileAction(
            "mute",
            "Mute",
            services.user_mute,
            ("muter", "muted"),
            "You muted {}: their posts stay out of your feeds.",
        ),
        ProfileAction("unmute", "Unmute", services.user_unmute, ("muter", "muted"), "Unmuted {}."),
        ProfileAction(
            "add-close-friend",
            "Add to close friends",
            services.close_friend_add,
            ("owner", "friend"),
            "{} is on your close friends list.",
        ),
        ProfileAction(
            "remove-close-friend",
            "Remove from close friends",
            services.close_friend_remove,
            ("owner", "friend"),
            "{} is off your close friends list.",
        ),
    )
}


@require_POST
def profile_action(request, username: str, action: str):
    """One button on a profile. A plain form post redirects back with a message; an htmx post
    gets the profile's counts-and-buttons area re-rendered in place."""
    chosen = PROFILE_ACTIONS[action]
    back = _safe_next(request) or reverse("accounts:profile", args=[username])
    if not request.user.is_authenticated:
        signin_url = f"{reverse('accounts:signin')}?{urlencode({'next': back})}"
        if request.htmx:
            return HttpResponse(status=204, headers={"HX-Redirect": signin_url})
        return redirect(signin_url)
    try:
        target = selectors.user_by_username(username)
        actor, other = chosen.roles
        chosen.service(**{actor: request.user, other: target})
    except UserNotFound as error:
        raise Http404(error.message) from error
    except ApplicationError as error:
        if request.htmx:
            return HttpResponse(error.message, status=error.status)
        messages.error(request, error.message)
        return redirect(back)
    if request.htmx:
        found = _profile(request, target.username)
        return render(request, "accounts/_profile_social.html", _profile_context(request, found))
    messages.success(request, chosen.done.format(target.name))
    return redirect(back)
