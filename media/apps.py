from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "media"

    def ready(self) -> None:
        # HEIC/HEIF (iPhone photos) become readable by Image.open once, for the whole process.
        from pillow_heif import register_heif_opener

        register_heif_opener()
