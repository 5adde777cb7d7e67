from django.urls import path

from commerce.payables import views

urlpatterns = [
    path("console/money/", views.console_money, name="console_money"),
]
