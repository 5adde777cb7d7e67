from django.apps import AppConfig


class RewardsConfig(AppConfig):
    name = "rewards"

    def ready(self):
        from backend.events.registry import subscribe
        from rewards import commissions, rules

        subscribe(
            "product.commission_rate_set",
            rules.on_product_rate_set,
            key="rewards.rules.product_rate_set",
        )
        subscribe(
            "attribution.decided",
            commissions.on_attribution_decided,
            key="rewards.commissions.attribution_decided",
        )
        subscribe(
            "order.refunded",
            commissions.on_order_refunded,
            key="rewards.commissions.order_refunded",
        )
        subscribe(
            "order.completed",
            commissions.on_order_completed,
            key="rewards.commissions.order_completed",
        )

        # The provider confirms an approved payout by webhook (helper "payouts").
        from commerce.payments.webhooks import register_webhook_handler
        from rewards import payouts

        register_webhook_handler("payout.succeeded", payouts.on_payout_succeeded)
