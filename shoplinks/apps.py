from django.apps import AppConfig


class ShoplinksConfig(AppConfig):
    name = "shoplinks"

    def ready(self):
        from backend.events.registry import subscribe
        from shoplinks.attribution import on_order_paid, on_user_signed_in

        # Keys name the handlers in the delivery records: they must never change.
        subscribe("order.paid", on_order_paid, key="shoplinks.attribution.order_paid")
        subscribe("user.signed_in", on_user_signed_in, key="shoplinks.visitor_merge")
