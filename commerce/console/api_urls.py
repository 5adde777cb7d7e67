from backend.api.urls import api_path
from commerce.console import api

urlpatterns = [
    *api_path("merchant/shop", api.ShopApi.as_view(), name="merchant-shop"),
    *api_path("merchant/staff", api.StaffApi.as_view(), name="merchant-staff"),
    *api_path("merchant/products", api.ShopProductListApi.as_view(), name="merchant-products"),
    *api_path(
        "merchant/products/<int:product_id>",
        api.ShopProductApi.as_view(),
        name="merchant-product",
    ),
    *api_path(
        "merchant/products/<int:product_id>/skus",
        api.ShopProductSkusApi.as_view(),
        name="merchant-product-skus",
    ),
    *api_path(
        "merchant/products/<int:product_id>/images",
        api.ShopProductImagesApi.as_view(),
        name="merchant-product-images",
    ),
    *api_path("merchant/skus/<int:sku_id>", api.ShopSkuApi.as_view(), name="merchant-sku"),
]
