"""Signatures of the sandbox gateway: its webhooks, and the token in a hosted pay page's link.

Webhook header (API.md): `X-Sandbox-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
`"<t>.<raw body>"` with PAYMENT_SANDBOX_SECRET, accepted within 300 s either way of our clock.
The raw bytes are signed, never a re-serialised body, so what was verified is what is parsed.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.utils.crypto import salted_hmac

from commerce.errors import BadSignature

SIGNATURE_HEADER = "X-Sandbox-Signature"
TOLERANCE_SECONDS = 300
_PART = re.compile(r"t=(?P<t>[0-9]{1,12})|v1=(?P<v1>[0-9a-f]+)", re.ASCII)
_DIGEST_LENGTH = 64


def _digest(raw_body: bytes, *, secret: str, timestamp: int) -> str:
    message = f"{timestamp}.".encode() + raw_body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(raw_body: bytes, *, secret: str, timestamp: int) -> str:
    """The header value that signs `raw_body` at `timestamp` (unix seconds)."""
    return f"t={timestamp},v1={_digest(raw_body, secret=secret, timestamp=timestamp)}"


def verify(header: str | None, raw_body: bytes, *, secret: str, now: int) -> None:
    """Raise BadSignature unless `header` signs `raw_body` within the tolerance of `now`.

    Several `v1=` parts may be present (a gateway rotating its secret); one match is enough.
    """
    if not header or len(header) > 1000:
        raise BadSignature()
    timestamp = None
    candidates = []
    for part in header.split(","):
        match = _PART.fullmatch(part.strip())
        if match is None:
            raise BadSignature()
        if match["t"] is not None:
            if timestamp is not None:
                raise BadSignature()
            timestamp = int(match["t"])
        elif len(match["v1"]) == _DIGEST_LENGTH:
            candidates.append(match["v1"])
    if timestamp is None or not candidates or abs(now - timestamp) > TOLERANCE_SECONDS:
        raise BadSignature()
    expected = _digest(raw_body, secret=secret, timestamp=timestamp)
    # Every candidate is compared, in constant time, so timing says nothing about which matched.
    matches = [hmac.compare_digest(expected, candidate) for candidate in candidates]
    if not any(matches):
        raise BadSignature()


def pay_token(payment_id: int) -> str:
    """The token that makes a hosted pay page link usable: only its holder can act on it."""
    return salted_hmac(
        "commerce.payments.pay_page", str(payment_id), algorithm="sha256"
    ).hexdigest()


def pay_token_valid(payment_id: int, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(pay_token(payment_id).encode(), token.encode())
