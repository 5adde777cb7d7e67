"""Render every API failure in the contract's shape: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, JsonResponse
from rest_framework import exceptions as drf
from rest_framework.response import Response

from backend.errors import ApplicationError, TooManyRequests

logger = logging.getLogger(__name__)

# DRF exception class -> (status, code); first match wins, so subclasses come first.
_DRF_CODES: list[tuple[type[Exception], int, str]] = [
    (drf.ParseError, 400, "malformed_request"),
    (drf.ValidationError, 400, "invalid"),
    (drf.NotAuthenticated, 401, "not_authenticated"),
    (drf.AuthenticationFailed, 401, "authentication_failed"),
    (drf.PermissionDenied, 403, "permission_denied"),
    (drf.NotFound, 404, "not_found"),
    (drf.MethodNotAllowed, 405, "method_not_allowed"),
    (drf.NotAcceptable, 406, "not_acceptable"),
    (drf.UnsupportedMediaType, 415, "unsupported_media_type"),
    (drf.Throttled, 429, "throttled"),
]


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def _flatten(detail) -> dict | list | str:
    """DRF's ErrorDetail tree as plain strings, keeping its dict/list shape."""
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        detail = list(detail.values())
    if isinstance(detail, list):
        return _first_message(detail[0]) if detail else "The request is invalid."
    return str(detail)


def _validation_response(exc: drf.ValidationError) -> Response:
    detail = _flatten(exc.detail)
    fields = {}
    if isinstance(detail, dict):
        fields = {key: value for key, value in detail.items() if key != "non_field_errors"}
        detail = detail.get("non_field_errors") or detail
    return Response(error_body("invalid", _first_message(detail), fields), status=400)


def exception_handler(exc: Exception, context: dict) -> Response:
    if isinstance(exc, ApplicationError):
        response = Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
        if isinstance(exc, TooManyRequests) and exc.retry_after:
            response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, Http404):
        return Response(error_body("not_found", "Not found."), status=404)
    if isinstance(exc, DjangoPermissionDenied):
        return Response(error_body("permission_denied", "You are not allowed to do that."), 403)
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body("too_large", "The request body is too large."), status=413)
    if isinstance(exc, SuspiciousOperation):
        return Response(error_body("bad_request", "The request was refused."), status=400)
    if isinstance(exc, drf.ValidationError):
        return _validation_response(exc)
    for exc_class, status, code in _DRF_CODES:
        if isinstance(exc, exc_class):
            response = Response(error_body(code, _message(exc)), status=status)
            wait = getattr(exc, "wait", None)
            if wait:
                response["Retry-After"] = str(int(wait))
            auth_header = getattr(exc, "auth_header", None)
            if auth_header:
                response["WWW-Authenticate"] = auth_header
            return response
    if isinstance(exc, drf.APIException):
        return Response(error_body(exc.default_code, _message(exc)), status=exc.status_code)
    logger.exception("Unhandled error in %s", context.get("view"))
    return Response(error_body("server_error", "Something went wrong on our side."), status=500)


def _message(exc: drf.APIException) -> str:
    detail = exc.detail
    if isinstance(detail, list | dict):
        return "; ".join(
            str(item) for item in (detail.values() if isinstance(detail, dict) else detail)
        )
    return str(detail)


def json_error(status: int, code: str, message: str) -> JsonResponse:
    """The same shape for errors raised outside DRF (unknown /api/ URLs, Django's 500)."""
    return JsonResponse(error_body(code, message), status=status)
