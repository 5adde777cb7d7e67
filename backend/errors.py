"""One error family for the whole platform.

Services raise an `ApplicationError` (or a subclass) with a snake_case code; the API's exception
handler renders it as `{"error": {"code", "message", "fields"}}` with the error's status, and pages
show the message. Each app declares its own codes in its `errors.py`.
"""

from __future__ import annotations


class ApplicationError(Exception):
    status = 400
    code = "invalid"
    message = "The request could not be completed."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: dict | None = None,
        status: int | None = None,
    ) -> None:
        self.message = message or self.message
        self.code = code or self.code
        self.fields = fields or {}
        if status is not None:
            self.status = status
        super().__init__(self.message)


class InvalidInput(ApplicationError):
    status = 400
    code = "invalid"


class NotAllowed(ApplicationError):
    status = 403
    code = "permission_denied"
    message = "You are not allowed to do that."


class NotFound(ApplicationError):
    status = 404
    code = "not_found"
    message = "Not found."


class Conflict(ApplicationError):
    status = 409
    code = "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class TooManyRequests(ApplicationError):
    status = 429
    code = "throttled"
    message = "Too many requests. Try again later."

    def __init__(self, message: str | None = None, *, retry_after: int | None = None, **kw):
        super().__init__(message, **kw)
        self.retry_after = retry_after
