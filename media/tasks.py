from celery import shared_task

from media.models import Media
from media.services import media_process, media_purge_unattached


@shared_task(name="media.tasks.process_media")
def process_media(media_id: int) -> str | None:
    """Render an upload's variants; a row purged meanwhile is nothing to do."""
    try:
        return media_process(media_id=media_id).status
    except Media.DoesNotExist:
        return None


@shared_task(name="media.tasks.purge_unattached")
def purge_unattached() -> int:
    """The scheduler's hourly job: uploads never attached within the TTL are deleted."""
    return media_purge_unattached()
