from django.conf import settings


def shell(request):
    """What every page's shell needs: the currency and whether a user is signed in."""
    return {"CURRENCY": settings.CURRENCY}
