# SCAFFOLD (helper N replaces this file entirely)
from backend.realtime.consumers import UserConsumer


class NotificationsConsumer(UserConsumer):
    pass
