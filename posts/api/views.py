"""API.md "Posts" rows, `GET products/{id}/posts`, and the extensions (comment deletion,
reports, saved posts, collections, drafts): thin views over posts' selectors and services.

A post the caller may not see is a 404 on every route, whatever the method.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts import selectors as accounts
from backend.accounts.errors import UserNotFound
from backend.accounts.models import Visibility
from backend.api.pagination import PagePagination
from backend.errors import NotFound
from commerce.catalog import selectors as catalog
from posts import selectors, services
from posts.api.render import post_json, posts_json
from posts.api.serializers import CollectionOut, CommentOut, PostOut, ReportOut
from posts.models import Post, Report


def _post_out(request, post: Post) -> dict:
    return post_json(selectors.post_view(post, viewer=request.user), request)


def _post_page(request, view: APIView, posts) -> Response:
    """One page of posts in the list shape, their views built in one batch."""
    paginator = PagePagination()
    page = paginator.paginate_queryset(posts, request, view=view)
    views = selectors.post_views(page, viewer=request.user)
    return paginator.get_paginated_response(posts_json(views, request))


class PostTagIn(serializers.Serializer):
    product_id = serializers.IntegerField()
    sku_id = serializers.IntegerField(required=False, allow_null=True)
    media_id = serializers.IntegerField(required=False, allow_null=True)
    x = serializers.FloatField(required=False, allow_null=True)
    y = serializers.FloatField(required=False, allow_null=True)


class PostUpdateIn(serializers.Serializer):
    """Every field optional; only those sent change. Length rules are the service's."""

    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    media_ids = serializers.ListField(child=serializers.IntegerField(), required=False)
    alt_texts = serializers.ListField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False), required=False
    )
    # Plain strings: the service names a bad value in its own error (invalid_post).
    visibility = serializers.CharField(required=False, help_text=" / ".join(Visibility.values))
    status = serializers.CharField(required=False, help_text=" / ".join(Post.Status.values))
    location = serializers.CharField(required=False, allow_blank=True)
    tags = serializers.ListField(child=PostTagIn(), required=False)


class PostCreateIn(PostUpdateIn):
    text = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, default=""
    )
    media_ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    visibility = serializers.CharField(default=Visibility.PUBLIC)
    status = serializers.CharField(default=Post.Status.PUBLISHED)
    location = serializers.CharField(required=False, allow_blank=True, default="")
    tags = serializers.ListField(child=PostTagIn(), required=False, default=list)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _tags(data: dict) -> dict:
    # Only the keys the client sent reach the service, which tells "absent" from null.
    if "tags" in data:
        data["tags"] = [dict(tag) for tag in data["tags"]]
    return data


class PostsApi(APIView):
    @extend_schema(request=PostCreateIn, responses={201: PostOut})
    def post(self, request):
        data = _tags(_valid(PostCreateIn, request))
        post = services.post_create(author=request.user, **data)
        return Response(_post_out(request, post), status=status.HTTP_201_CREATED)


class PostApi(APIView):
    @extend_schema(responses=PostOut)
    def get(self, request, post_id: int):
        post = selectors.post_for_viewer(viewer=request.user, post_id=post_id)
        return Response(_post_out(request, post))

    @extend_schema(request=PostUpdateIn, responses=PostOut)
    def patch(self, request, post_id: int):
        post = selectors.post_for_viewer(viewer=request.user, post_id=post_id)
        changes = _tags(_valid(PostUpdateIn, request))
        post = services.post_update(post=post, actor=request.user, **changes)
        return Response(_post_out(request, post))

    @extend_schema(responses={204: None})
    def delete(self, request, post_id: int):
        post = selectors.post_for_viewer(viewer=request.user, post_id=post_id)
        services.post_delete(post=post, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LikeApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request, post_id: int):
        post = selectors.post_for_viewer(viewer=request.user, post_id=post_id)
        services.post_like(user=request.user, post=post)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={204: None})
    def delete(self, request, post_id: int):
        post = selectors.post_for_viewer(viewer=request.user, post_id=post_id)
        services.post_unlike(user=request.user, post=post)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SaveApi(APIView):
    class SaveIn(serializers.Serializer):
        collection = serializers.CharField(required=False, allow_null=True, max_length=200)

    @extend_schema(request=SaveIn, responses={204: None})
    def post(self, request, post_id: int):
        post = selectors.post_for_viewer(viewer=request.user, post_id=post_id)
        collection = _valid(self.SaveIn, request).get("collection")
        services.post_save(user=request.user, post=post, collection=collection)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={204: None})
    def delete(self, request, post_id: int):
        post = selectors.post_for_viewer(viewer=request.user, post_id=post_id)
        services.post_unsave(user=request.user, post=post)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentsApi(APIView):
    class CommentIn(serializers.Serializer):
        text = serializers.CharField(allow_blank=True, trim_whitespace=False)

    @extend_schema(responses=CommentOut(many=True))
    def get(self, request, post_id: int):
        post = selectors.post_for_viewer(viewer=request.user, post_id=post_id)
        paginator = PagePagination()
        page = paginator.paginate_queryset(
            selectors.comments_for(viewer=request.user, post=post), request, view=self
        )
        context = {"request": request, "post": post}
        return paginator.get_paginated_response(CommentOut(page, many=True, context=context).data)

    @extend_schema(request=CommentIn, responses={201: CommentOut})
    def post(self, request, post_id: int):
        post = selectors.post_for_viewer(viewer=request.user, post_id=post_id)
        text = _valid(self.CommentIn, request)["text"]
        comment = services.comment_create(author=request.user, post=post, text=text)
        context = {"request": request, "post": post}
        return Response(CommentOut(comment, context=context).data, status=status.HTTP_201_CREATED)


class CommentApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, post_id: int, comment_id: int):
        post = selectors.post_for_viewer(viewer=request.user, post_id=post_id)
        comment = selectors.comment_for(viewer=request.user, post=post, comment_id=comment_id)
        services.comment_delete(comment=comment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReportApi(APIView):
    class ReportIn(serializers.Serializer):
        reason = serializers.ChoiceField(choices=Report.Reason.values)
        note = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=ReportIn, responses={201: ReportOut, 200: ReportOut})
    def post(self, request, post_id: int):
        post = selectors.post_for_viewer(viewer=request.user, post_id=post_id)
        data = _valid(self.ReportIn, request)
        report, created = services.report_create(reporter=request.user, post=post, **data)
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(ReportOut(report).data, status=answer)


class UserPostsApi(APIView):
    @extend_schema(responses=PostOut(many=True))
    def get(self, request, username: str):
        author = accounts.user_by_username(username)
        if accounts.is_blocked_either(request.user, author):
            raise UserNotFound()
        return _post_page(request, self, selectors.user_posts(viewer=request.user, author=author))


class ProductPostsApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=PostOut(many=True))
    def get(self, request, product_id: int):
        product = catalog.products_by_ids([product_id]).get(product_id)
        if product is None or not product.for_sale:
            raise NotFound("This product does not exist.", code="product_not_found")
        posts = selectors.product_posts(viewer=request.user, product_id=product_id)
        return _post_page(request, self, posts)


class SavedApi(APIView):
    class FilterIn(serializers.Serializer):
        collection = serializers.IntegerField(required=False)

    @extend_schema(parameters=[FilterIn], responses=PostOut(many=True))
    def get(self, request):
        filters = self.FilterIn(data=request.query_params)
        filters.is_valid(raise_exception=True)
        collection_id = filters.validated_data.get("collection")
        collection = (
            selectors.collection_of(user=request.user, collection_id=collection_id)
            if collection_id is not None
            else None
        )
        posts = selectors.saved_posts(user=request.user, collection=collection)
        return _post_page(request, self, posts)


class CollectionsApi(APIView):
    class CollectionIn(serializers.Serializer):
        name = serializers.CharField(allow_blank=True)

    @extend_schema(responses=CollectionOut(many=True))
    def get(self, request):
        return Response(CollectionOut(selectors.collections_of(request.user), many=True).data)

    @extend_schema(request=CollectionIn, responses={201: CollectionOut})
    def post(self, request):
        name = _valid(self.CollectionIn, request)["name"]
        collection = services.collection_create(owner=request.user, name=name)
        collection.post_count = 0
        return Response(CollectionOut(collection).data, status=status.HTTP_201_CREATED)


class DraftsApi(APIView):
    @extend_schema(responses=PostOut(many=True))
    def get(self, request):
        return _post_page(request, self, selectors.drafts(user=request.user))
