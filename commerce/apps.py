from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "commerce"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from commerce.cart.session import merge_at_sign_in

        user_logged_in.connect(merge_at_sign_in, dispatch_uid="commerce.cart.merge_at_sign_in")

        from commerce.payments import handlers as payment_handlers

        payment_handlers.register()

        from commerce.payments.services import on_refund_settled
        from commerce.refunds.services import refund_settled

        on_refund_settled(refund_settled)

        from backend.events.registry import subscribe
        from commerce import ledger_postings

        subscribe("order.paid", ledger_postings.on_order_paid, key="commerce.ledger.order_paid")
        subscribe(
            "order.refunded",
            ledger_postings.on_order_refunded,
            key="commerce.ledger.order_refunded",
        )
