"""factory_boy factories for the shop (commerce). Shared by the commerce tests; additive edits."""

import factory

from commerce.models import SKU, Category, Merchant, MerchantStaff, Product, ProductImage
from tests.factories import UserFactory


class MerchantFactory(factory.django.DjangoModelFactory):
    """A shop with its owner on the staff (as `merchant_create` leaves it)."""

    class Meta:
        model = Merchant
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Shop {n}")
    slug = factory.Sequence(lambda n: f"shop-{n}")
    owner = factory.SubFactory(UserFactory)

    @factory.post_generation
    def owner_membership(merchant, create, extracted, **kwargs):
        if create:
            MerchantStaff.objects.create(
                merchant=merchant, user=merchant.owner, role=MerchantStaff.Role.OWNER
            )


class MerchantStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MerchantStaff

    merchant = factory.SubFactory(MerchantFactory)
    user = factory.SubFactory(UserFactory)
    role = MerchantStaff.Role.STAFF


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    merchant = factory.SubFactory(MerchantFactory)
    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Product {n}")
    description = "Fresh and good."


class SKUFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SKU

    product = factory.SubFactory(ProductFactory)
    name = factory.Sequence(lambda n: f"{n + 1} kg box")
    price = 1250
    on_hand = 10
    reserved = 0


class ProductImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    image = factory.django.ImageField(width=64, height=48, format="PNG")
    width = 64
    height = 48
