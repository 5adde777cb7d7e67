from django.apps import AppConfig


class ShoplinksConfig(AppConfig):
    name = "shoplinks"
