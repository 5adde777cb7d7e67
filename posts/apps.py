from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "posts"

    def ready(self) -> None:
        from media.access import register_change_listener, register_viewer_rule
        from posts.selectors import media_visible_to
        from posts.snapshot import refresh_cards_using_media

        # Media of a post is readable by whoever may see the post (signed URLs, GET media/{id}).
        register_viewer_rule(media_visible_to)
        # A picture processed, failed or made public changes the cards that show it.
        register_change_listener(refresh_cards_using_media)
