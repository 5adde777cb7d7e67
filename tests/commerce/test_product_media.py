"""Product pictures from `POST media`: a shop builds its gallery from its own uploads."""

import pytest
from django.test import Client

from commerce.models import Category, Product
from tests.factories import UserFactory
from tests.factories_commerce import MerchantFactory
from tests.media.conftest import media_root  # noqa: F401  (autouse: a fresh storage per test)
from tests.media.samples import jpeg, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return MerchantFactory()


def _upload(client, django_capture_on_commit_callbacks, data=None) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/media", {"file": upload(data or jpeg(1200, 900))}, format="multipart"
        )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _create(client, images):
    payload = {
        "name": "Hainan mangoes",
        "description": "Ripe.",
        "category_id": Category.objects.get(slug="tropical-fruit").pk,
        "images": images,
        "skus": [{"name": "1 kg", "price": "19.90", "stock": 5}],
    }
    return client.post("/api/v1/merchant/products", payload, format="json")


def test_uploaded_pictures_become_the_gallery_in_order(
    api_client, shop, django_capture_on_commit_callbacks
):
    """images: [media ids] → the product's pictures, in the order given, served as WebP to
    anyone (a product page is public)."""
    api_client.force_authenticate(shop.owner)
    first = _upload(api_client, django_capture_on_commit_callbacks, jpeg(1200, 900))
    second = _upload(api_client, django_capture_on_commit_callbacks, jpeg(900, 1200))
    response = _create(api_client, [second, first])
    assert response.status_code == 201, response.content
    product = Product.objects.get(pk=response.json()["id"])
    assert [(i.width, i.height) for i in product.images.all()] == [(900, 1200), (1080, 810)]
    served = Client().get(product.images.first().image.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content)[8:12] == b"WEBP"


def test_someone_elses_upload_is_refused(api_client, shop, django_capture_on_commit_callbacks):
    """Another user's media id → 400 naming `images`, and no product is created."""
    stranger = UserFactory()
    api_client.force_authenticate(stranger)
    theirs = _upload(api_client, django_capture_on_commit_callbacks)
    api_client.force_authenticate(shop.owner)
    response = _create(api_client, [theirs])
    assert response.status_code == 400
    assert "images" in response.json()["error"]["fields"]
    assert Product.objects.count() == 0
