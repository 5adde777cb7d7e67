from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "posts"

    def ready(self) -> None:
        from media.access import register_viewer_rule
        from posts.selectors import media_visible_to

        # Media of a post is readable by whoever may see the post (signed URLs, GET media/{id}).
        register_viewer_rule(media_visible_to)
