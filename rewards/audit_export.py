"""The audit export: commissions and ledger entries of a period as CSV, for operators.

A period is a span of whole days in settings.BUSINESS_TIME_ZONE, both ends included, the way
reports count days. Rows are streamed from the database in chunks, so a year of entries never
sits in memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from backend.errors import InvalidInput
from backend.ledger.models import Entry
from backend.money import format_amount
from rewards.models import Commission

KINDS = ("commissions", "entries")
# A longer span is a mistake or a job for the database, not for an admin download.
MAX_DAYS = 366

# CSV column → the field it reads; amounts are written as decimals, the rest as they are.
COMMISSION_COLUMNS = {
    "id": "id",
    "created_at": "created_at",
    "sharer_id": "sharer_id",
    "order_id": "order_id",
    "order_line_id": "line_id",
    "product_id": "product_id",
    "merchant_id": "merchant_id",
    "link_id": "link_id",
    "click_id": "click_id",
    "decision_id": "decision_id",
    "base": "base",
    "rate_bp": "rate_bp",
    "rule_source": "rule_source",
    "rule_id": "rule_id",
    "campaign_id": "campaign_id",
    "rate_locked": "rate_locked",
    "accrued_amount": "accrued_amount",
    "amount": "amount",
    "currency": "currency",
    "status": "status",
    "confirmed_at": "confirmed_at",
    "reversed_at": "reversed_at",
    "paid_at": "paid_at",
    "payout_id": "payout_id",
}
ENTRY_COLUMNS = {
    "entry_id": "id",
    "transaction_id": "transaction_id",
    "posted_at": "transaction__created_at",
    "idempotency_key": "transaction__idempotency_key",
    "description": "transaction__description",
    "reference": "transaction__reference",
    "account_id": "account_id",
    "account_kind": "account__kind",
    "owner_id": "account__owner_id",
    "amount": "amount",
    "currency": "account__currency",
}
AMOUNT_COLUMNS = frozenset({"base", "accrued_amount", "amount"})


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in the business time zone, as aware datetimes."""
    if end < start:
        raise InvalidInput("The period ends before it starts.", code="invalid_period")
    if (end - start).days >= MAX_DAYS:
        raise InvalidInput(f"Export at most {MAX_DAYS} days at once.", code="invalid_period")
    zone = ZoneInfo(settings.BUSINESS_TIME_ZONE)
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


class _Echo:
    """A file that hands back what is written, so csv.writer feeds a streaming response."""

    def write(self, value: str) -> str:
        return value


def _cell(column: str, value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if column in AMOUNT_COLUMNS:
        return format_amount(value)
    return value


def _rows(queryset, columns: dict[str, str]) -> Iterator[list]:
    yield list(columns)
    for row in queryset.values_list(*columns.values()).iterator(chunk_size=2000):
        yield [_cell(column, value) for column, value in zip(columns, row, strict=True)]


def commission_rows(start: date, end: date) -> Iterator[list]:
    """The commissions accrued in the period, oldest first, header first."""
    since, until = period_bounds(start, end)
    commissions = Commission.objects.filter(created_at__gte=since, created_at__lt=until)
    return _rows(commissions.order_by("created_at", "id"), COMMISSION_COLUMNS)


def entry_rows(start: date, end: date) -> Iterator[list]:
    """Every ledger entry posted in the period (all accounts), in posting order, header first."""
    since, until = period_bounds(start, end)
    entries = Entry.objects.filter(
        transaction__created_at__gte=since, transaction__created_at__lt=until
    )
    return _rows(entries.order_by("transaction_id", "id"), ENTRY_COLUMNS)


def csv_lines(kind: str, start: date, end: date) -> Iterator[str]:
    """The export of `kind` ("commissions" or "entries") as CSV text, one line at a time.

    The period is checked before the first line, so a bad one fails before a response starts."""
    if kind not in KINDS:
        raise InvalidInput("Export commissions or entries.", code="invalid")
    rows = commission_rows(start, end) if kind == "commissions" else entry_rows(start, end)
    writer = csv.writer(_Echo())
    return (writer.writerow(row) for row in rows)
