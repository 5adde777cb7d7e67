from django.urls import path

from commerce.payments import views

urlpatterns = [
    path("pay/<int:payment_id>/", views.pay, name="pay"),
]
