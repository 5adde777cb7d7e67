from django.urls import path

from commerce.checkout import views

urlpatterns = [path("checkout/", views.checkout, name="checkout")]
