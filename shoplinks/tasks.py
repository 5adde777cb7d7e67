from celery import shared_task

from shoplinks.clicks import buffer


@shared_task(name="shoplinks.tasks.flush_clicks")
def flush_clicks() -> int:
    """The scheduler's job (every 5 s): write the buffered taps. A flush already running
    elsewhere does the work; this one then returns at once."""
    return buffer.flush(wait=False)
