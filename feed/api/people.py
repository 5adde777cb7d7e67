# SCAFFOLD (helper P replaces this file entirely)
from rest_framework.views import APIView


class SuggestionsApi(APIView):
    pass
