"""API.md "Accounts and social graph": thin views over services and selectors."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from backend.accounts import selectors, services
from backend.accounts.errors import InvalidCredentials, UserNotFound
from backend.accounts.models import User
from backend.api.throttles import AuthRate

# --- Output -----------------------------------------------------------------------------------


@extend_schema_field(serializers.URLField(allow_null=True))
class AvatarField(serializers.Field):
    """The avatar's URL, absolute, or null."""

    def __init__(self, source: str = "*", **kwargs):
        super().__init__(source=source, read_only=True, **kwargs)

    def to_representation(self, user: User) -> str | None:
        if not user.avatar:
            return None
        url = user.avatar.url
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request and url.startswith("/") else url


class UserListOut(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    avatar = AvatarField()
    is_following = serializers.BooleanField(source="viewer_follows")


class MeOut(serializers.Serializer):
    id = serializers.IntegerField(source="user.id")
    username = serializers.CharField(source="user.username")
    email = serializers.CharField(source="user.email")
    display_name = serializers.CharField(source="user.display_name")
    bio = serializers.CharField(source="user.bio")
    avatar = AvatarField(source="user")
    followers_count = serializers.IntegerField()
    following_count = serializers.IntegerField()


class ProfileOut(MeOut):
    email = None
    is_following = serializers.BooleanField(source="relationship.is_following")
    is_followed_by = serializers.BooleanField(source="relationship.is_followed_by")
    is_friend = serializers.BooleanField(source="relationship.is_friend")
    is_muting = serializers.BooleanField(source="relationship.is_muting")
    is_close_friend = serializers.BooleanField(source="relationship.is_close_friend")


# --- Input ------------------------------------------------------------------------------------


class RegisterIn(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class RegisterOut(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    token = serializers.CharField()


class TokenIn(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class TokenOut(serializers.Serializer):
    token = serializers.CharField()


class MeIn(serializers.Serializer):
    display_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    bio = serializers.CharField(max_length=300, required=False, allow_blank=True)
    avatar = serializers.FileField(required=False, allow_null=True)


class PasswordIn(serializers.Serializer):
    password = serializers.CharField(max_length=128, trim_whitespace=False)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _visitor(request) -> str | None:
    return request.COOKIES.get(settings.VISITOR_COOKIE_NAME)


# --- Auth -------------------------------------------------------------------------------------


class _AuthEndpoint(APIView):
    # Session cookies play no part in signing up or in; without authentication classes no CSRF
    # check trips an API client that happens to carry one.
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthRate]
    throttle_scope = "auth"


class RegisterApi(_AuthEndpoint):
    @extend_schema(request=RegisterIn, responses={201: RegisterOut})
    def post(self, request):
        data = _valid(RegisterIn, request)
        user = services.user_register(**data, visitor_id=_visitor(request))
        body = {"id": user.pk, "username": user.username, "token": services.user_token(user=user)}
        return Response(RegisterOut(body).data, status=status.HTTP_201_CREATED)


class TokenApi(_AuthEndpoint):
    """POST signs in (public) and answers the token; DELETE signs the client out by revoking it."""

    def _signing_out(self) -> bool:
        # Django's View.setup() sets self.request before DRF asks for authenticators; schema
        # generation does not, and gets the public (POST) answer.
        request = getattr(self, "request", None)
        return request is not None and request.method == "DELETE"

    def get_authenticators(self):
        if self._signing_out():
            return [auth() for auth in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
        return super().get_authenticators()

    def get_permissions(self):
        if self._signing_out():
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(request=TokenIn, responses={200: TokenOut})
    def post(self, request):
        data = _valid(TokenIn, request)
        user = services.user_authenticate(
            **data, ip=request.META.get("REMOTE_ADDR"), visitor_id=_visitor(request)
        )
        return Response(TokenOut({"token": services.user_token(user=user)}).data)

    @extend_schema(
        request=None, responses={204: None}, auth=[{"tokenAuth": []}, {"cookieAuth": []}]
    )
    def delete(self, request):
        services.user_token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Me ---------------------------------------------------------------------------------------


class MeApi(APIView):
    def _render(self, request) -> Response:
        profile = selectors.own_profile(request.user)
        return Response(MeOut(profile, context={"request": request}).data)

    @extend_schema(responses=MeOut)
    def get(self, request):
        return self._render(request)

    @extend_schema(request=MeIn, responses=MeOut)
    def patch(self, request):
        data = _valid(MeIn, request)
        services.profile_update(
            user=request.user,
            display_name=data.get("display_name"),
            bio=data.get("bio"),
            avatar=data.get("avatar"),
            remove_avatar="avatar" in data and data["avatar"] is None,
        )
        return self._render(request)

    @extend_schema(
        request=PasswordIn,
        responses={204: OpenApiResponse(description="Deleted: the account is anonymised.")},
    )
    def delete(self, request):
        data = _valid(PasswordIn, request)
        if not request.user.check_password(data["password"]):
            raise InvalidCredentials("Wrong password.", fields={"password": ["Wrong password."]})
        services.user_delete(user=request.user)
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Other users ------------------------------------------------------------------------------


def _visible_user(request, username: str) -> User:
    """The user behind a URL, hidden (404) from someone they block or who blocks them."""
    user = selectors.user_by_username(username)
    if selectors.is_blocked_either(request.user, user):
        raise UserNotFound()
    return user


class UserApi(APIView):
    @extend_schema(responses=ProfileOut)
    def get(self, request, username: str):
        profile = selectors.profile_get(username=username, viewer=request.user)
        if profile.relationship.is_blocked_either:
            raise UserNotFound()
        return Response(ProfileOut(profile, context={"request": request}).data)


class _EdgeApi(APIView):
    """POST adds the edge from the signed-in user to {username}, DELETE removes it; both 204
    and idempotent."""

    add: Callable[..., object]
    remove: Callable[..., object]
    roles: tuple[str, str]

    def _call(self, action, request, username: str) -> Response:
        actor, target = self.roles
        action(**{actor: request.user, target: selectors.user_by_username(username)})
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None})
    def post(self, request, username: str):
        return self._call(self.add, request, username)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, username: str):
        return self._call(self.remove, request, username)


class FollowApi(_EdgeApi):
    add = staticmethod(services.user_follow)
    remove = staticmethod(services.user_unfollow)
    roles = ("follower", "followee")


class BlockApi(_EdgeApi):
    add = staticmethod(services.user_block)
    remove = staticmethod(services.user_unblock)
    roles = ("blocker", "blocked")


class MuteApi(_EdgeApi):
    add = staticmethod(services.user_mute)
    remove = staticmethod(services.user_unmute)
    roles = ("muter", "muted")


class CloseFriendApi(_EdgeApi):
    add = staticmethod(services.close_friend_add)
    remove = staticmethod(services.close_friend_remove)
    roles = ("owner", "friend")


class _UserList(ListAPIView):
    serializer_class = UserListOut


class FollowersApi(_UserList):
    def get_queryset(self):
        user = _visible_user(self.request, self.kwargs["username"])
        return selectors.followers_of(user, viewer=self.request.user)


class FollowingApi(_UserList):
    def get_queryset(self):
        user = _visible_user(self.request, self.kwargs["username"])
        return selectors.following_of(user, viewer=self.request.user)


class CloseFriendsApi(_UserList):
    def get_queryset(self):
        return selectors.close_friends_of(self.request.user)


class MutesApi(_UserList):
    def get_queryset(self):
        return selectors.muted_users(self.request.user)


class BlockedUserOut(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    avatar = AvatarField()


class BlocksApi(ListAPIView):
    serializer_class = BlockedUserOut

    def get_queryset(self):
        return selectors.blocked_users(self.request.user)
