"""Request throttles. The rates are settings; API_THROTTLE=off turns these off (not the lockout)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle


class _Switchable:
    def allow_request(self, request, view):
        if not settings.API_THROTTLE:
            return True
        return super().allow_request(request, view)


class UserRate(_Switchable, UserRateThrottle):
    pass


class AnonRate(_Switchable, AnonRateThrottle):
    pass


class AuthRate(_Switchable, ScopedRateThrottle):
    """For sign-up and sign-in endpoints: set `throttle_scope = "auth"` on the view."""
