"""Output shapes of the posts API. A post is rendered from a `selectors.PostView` (built for a
whole page in one batch), so rendering runs no query; URLs are made absolute here."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from posts import selectors


def absolute(request, url: str | None) -> str | None:
    if not url:
        return None
    return request.build_absolute_uri(url) if request and url.startswith("/") else url


@extend_schema_field(serializers.URLField(allow_null=True))
class UrlField(serializers.Field):
    """A site-relative or absolute URL (or null), answered absolute."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, url: str | None) -> str | None:
        return absolute(self.context.get("request"), url)


@extend_schema_field(serializers.DictField(child=serializers.URLField()))
class VariantsField(serializers.Field):
    """{variant name: URL}, absolute."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, variants: dict) -> dict:
        request = self.context.get("request")
        return {name: absolute(request, url) for name, url in variants.items()}


class AuthorOut(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    avatar = UrlField()


class PostMediaOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    duration = serializers.FloatField(allow_null=True, required=False)
    placeholder = serializers.CharField()
    variants = VariantsField()
    alt_text = serializers.CharField()
    position = serializers.IntegerField()


class TaggedProductOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    price = serializers.CharField(allow_null=True, help_text='Decimal string, e.g. "12.50".')
    currency = serializers.CharField()
    image = UrlField()
    for_sale = serializers.BooleanField()
    in_stock = serializers.BooleanField()
    available = serializers.BooleanField(help_text="For sale and in stock.")
    url = UrlField(help_text="The product's page.")


class PostTagOut(serializers.Serializer):
    product = TaggedProductOut()
    sku_id = serializers.IntegerField(allow_null=True)
    media_id = serializers.IntegerField(allow_null=True)
    x = serializers.FloatField(allow_null=True)
    y = serializers.FloatField(allow_null=True)


class PostOut(serializers.Serializer):
    id = serializers.IntegerField()
    author = AuthorOut()
    text = serializers.CharField()
    hashtags = serializers.ListField(child=serializers.CharField())
    media = PostMediaOut(many=True)
    tags = PostTagOut(many=True)
    visibility = serializers.CharField()
    status = serializers.CharField()
    location = serializers.CharField()
    created_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    edited_at = serializers.DateTimeField(allow_null=True)
    like_count = serializers.IntegerField()
    comment_count = serializers.IntegerField()
    save_count = serializers.IntegerField()
    liked = serializers.BooleanField()
    saved = serializers.BooleanField()
    saved_collection_id = serializers.IntegerField(allow_null=True)
    is_author = serializers.BooleanField()
    hidden = serializers.BooleanField(help_text="Hidden by moderation (only its author sees it).")
    contains_shop_links = serializers.BooleanField()


class CommentOut(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.SerializerMethodField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    can_delete = serializers.SerializerMethodField()

    @extend_schema_field(AuthorOut)
    def get_author(self, comment) -> dict:
        return AuthorOut(selectors.author_payload(comment.author), context=self.context).data

    def get_can_delete(self, comment) -> bool:
        user = self.context["request"].user
        post = self.context["post"]
        return user.is_authenticated and user.pk in (comment.author_id, post.author_id)


class ReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()
    note = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class CollectionOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    post_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
