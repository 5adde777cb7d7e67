# SCAFFOLD (helper N replaces this file entirely)
from rest_framework.views import APIView


class NotificationsApi(APIView):
    pass


class NotificationsReadApi(APIView):
    pass


class NotificationSettingsApi(APIView):
    pass
