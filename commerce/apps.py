from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "commerce"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from commerce.cart.session import merge_at_sign_in

        user_logged_in.connect(merge_at_sign_in, dispatch_uid="commerce.cart.merge_at_sign_in")

        from commerce.payments import handlers as payment_handlers

        payment_handlers.register()
