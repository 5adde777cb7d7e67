from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "feed"

    def ready(self):
        from feed import fanout, live
        from feed.notifications import subscriptions

        subscriptions.register()
        live.register()
        fanout.register()
