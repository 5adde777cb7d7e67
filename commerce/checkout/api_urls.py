from backend.api.urls import api_path
from commerce.checkout import api

urlpatterns = [*api_path("checkout", api.CheckoutView.as_view(), name="checkout")]
