# SCAFFOLD (helper P replaces this file entirely)
from django.http import Http404


def home_cards(request):
    raise Http404
