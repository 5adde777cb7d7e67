# SCAFFOLD (helper N replaces this file entirely)
from django.http import Http404


def notifications_page(request):
    raise Http404


def notification_settings(request):
    raise Http404
