"""factory_boy factories for media rows and posts. Shared by the posts tests; additive edits.

These write rows directly (fast, for read-side tests); tests of the rules go through
`posts.services`, which is how real posts are made.
"""

import factory
from django.utils import timezone

from media.models import Media
from posts.models import Post, PostMedia, ProductTag
from posts.snapshot import refresh_card
from tests.factories import UserFactory


class MediaFactory(factory.django.DjangoModelFactory):
    """A processed picture (variant names only: no file behind them)."""

    class Meta:
        model = Media

    owner = factory.SubFactory(UserFactory)
    kind = Media.Kind.IMAGE
    status = Media.Status.READY
    content_type = "image/jpeg"
    size_bytes = 120_000
    width = 1080
    height = 1440
    placeholder = "#d9a441"
    variants = factory.Sequence(
        lambda n: {"320": f"m/{n}/k/320.webp", "1080": f"m/{n}/k/1080.webp"}
    )


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Post number {n} #fruit")
    visibility = "public"
    status = Post.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class _CardRowFactory(factory.django.DjangoModelFactory):
    """A row a post's card snapshot shows: the card is rebuilt after it is written, as posts'
    services do."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        row = super()._create(model_class, *args, **kwargs)
        refresh_card(row.post)
        return row


class PostMediaFactory(_CardRowFactory):
    class Meta:
        model = PostMedia

    post = factory.SubFactory(PostFactory)
    media = factory.SubFactory(MediaFactory, owner=factory.SelfAttribute("..post.author"))
    position = factory.Sequence(lambda n: n)


class ProductTagFactory(_CardRowFactory):
    class Meta:
        model = ProductTag

    post = factory.SubFactory(PostFactory)
    product = factory.SubFactory("tests.factories_commerce.ProductFactory")
    position = factory.Sequence(lambda n: n)
