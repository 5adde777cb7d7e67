from backend.api.urls import api_path
from commerce.catalog import api

urlpatterns = [
    *api_path("categories", api.CategoryTreeApi.as_view(), name="categories"),
    *api_path("products", api.ProductListApi.as_view(), name="products"),
    *api_path("products/<int:product_id>", api.ProductDetailApi.as_view(), name="product"),
    *api_path("merchants", api.MerchantCreateApi.as_view(), name="merchants"),
]
