# SCAFFOLD (helper P replaces this file entirely)
from django.http import Http404


def suggestions_page(request):
    raise Http404
