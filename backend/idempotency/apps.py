from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    name = "backend.idempotency"
    label = "idempotency"
