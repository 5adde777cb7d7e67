"""API.md "Rewards", the sharer's read side: `GET earnings`, `earnings/commissions`,
`earnings/daily` and `earnings/links`. Always the signed-in sharer's own figures: there is no
way to name another sharer."""

from __future__ import annotations

from datetime import timedelta

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import PagePagination
from backend.errors import InvalidInput
from backend.money import MoneyField, currency
from rewards import selectors
from rewards.models import CommissionStatus

# What `earnings/daily` shows without `from`: the last 30 days, today included.
DEFAULT_DAYS = 30


class EarningsSummaryOut(serializers.Serializer):
    currency = serializers.CharField()
    pending = MoneyField()
    available = MoneyField()
    in_payout = MoneyField()
    paid_out = MoneyField()
    clicks = serializers.IntegerField(help_text="Counted taps on your links.")
    orders = serializers.IntegerField(help_text="Orders that earned you a commission.")
    conversion_rate = serializers.FloatField(help_text="Orders per counted tap.")
    earnings_per_click = MoneyField()


class EarningsProductOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EarningsCommissionOut(serializers.Serializer):
    id = serializers.IntegerField()
    order_line = serializers.IntegerField(source="line_id")
    order = serializers.IntegerField(source="order_id")
    product = EarningsProductOut()
    link = serializers.CharField(source="link.code")
    base = MoneyField()
    amount = MoneyField()
    currency = serializers.CharField()
    rate = serializers.CharField(help_text='The rate applied, e.g. "10%".')
    rate_bp = serializers.IntegerField()
    rate_source = serializers.CharField(source="rule_source")
    status = serializers.ChoiceField(choices=CommissionStatus.choices)
    reason = serializers.CharField(help_text="Why it was credited to you, in words.")
    created_at = serializers.DateTimeField()


class DailyIn(serializers.Serializer):
    from_date = serializers.DateField(required=False)
    to = serializers.DateField(required=False)


class EarningsDayOut(serializers.Serializer):
    date = serializers.DateField()
    clicks = serializers.IntegerField()
    orders = serializers.IntegerField()
    commission = MoneyField()


class EarningsPostOut(serializers.Serializer):
    id = serializers.IntegerField()


class EarningsLinkOut(serializers.Serializer):
    code = serializers.CharField()
    product = EarningsProductOut()
    post = EarningsPostOut(allow_null=True)
    clicks = serializers.IntegerField()
    orders = serializers.IntegerField()
    commission = MoneyField()
    conversion_rate = serializers.FloatField()
    earnings_per_click = MoneyField()
    currency = serializers.CharField()


class EarningsApi(APIView):
    @extend_schema(responses=EarningsSummaryOut)
    def get(self, request):
        return Response(EarningsSummaryOut(selectors.earnings_summary(request.user)).data)


def _commission_out(commission) -> dict:
    return {
        "id": commission.pk,
        "line_id": commission.line_id,
        "order_id": commission.order_id,
        "product": {"id": commission.product_id, "name": commission.product.name},
        "link": commission.link,
        "base": commission.base,
        "amount": commission.amount,
        "currency": commission.currency,
        "rate": selectors.rate_words(commission.rate_bp),
        "rate_bp": commission.rate_bp,
        "rule_source": commission.rule_source,
        "status": commission.status,
        "reason": selectors.commission_reason(commission),
        "created_at": commission.created_at,
    }


class CommissionsApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("status", enum=CommissionStatus.values, required=False)],
        responses=EarningsCommissionOut(many=True),
    )
    def get(self, request):
        status = request.query_params.get("status") or None
        if status is not None and status not in CommissionStatus.values:
            choices = ", ".join(CommissionStatus.values)
            raise InvalidInput(
                f"The status is one of {choices}.",
                code="invalid_status",
                fields={"status": [f"One of {choices}."]},
            )
        paginator = PagePagination()
        page = paginator.paginate_queryset(
            selectors.commissions_of(request.user, status=status), request, self
        )
        return paginator.get_paginated_response(
            EarningsCommissionOut([_commission_out(row) for row in page], many=True).data
        )


class DailyApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, description="First day (YYYY-MM-DD), business time."),
            OpenApiParameter("to", str, description="Last day, included; default today."),
        ],
        responses=EarningsDayOut(many=True),
    )
    def get(self, request):
        params = request.query_params
        # `from` is a Python keyword, hence the serializer's `from_date`.
        names = {"from_date": "from", "to": "to"}
        query = DailyIn(data={key: params[name] for key, name in names.items() if params.get(name)})
        query.is_valid(raise_exception=True)
        to = query.validated_data.get("to") or selectors.today()
        start = query.validated_data.get("from_date") or to - timedelta(days=DEFAULT_DAYS - 1)
        if start > to:
            raise InvalidInput(
                "`from` is after `to`.", code="invalid_range", fields={"from": ["After `to`."]}
            )
        if (to - start).days >= selectors.MAX_DAYS:
            raise InvalidInput(
                f"At most {selectors.MAX_DAYS} days at a time.",
                code="invalid_range",
                fields={"from": ["Too far before `to`."]},
            )
        return Response(EarningsDayOut(selectors.daily(request.user, start, to), many=True).data)


class LinksApi(APIView):
    @extend_schema(responses=EarningsLinkOut(many=True))
    def get(self, request):
        return Response(
            EarningsLinkOut(
                [
                    {
                        "code": row.link.code,
                        "product": {"id": row.link.product_id, "name": row.link.product.name},
                        "post": {"id": row.link.post_id} if row.link.post_id else None,
                        "clicks": row.clicks,
                        "orders": row.orders,
                        "commission": row.commission,
                        "conversion_rate": row.conversion_rate,
                        "earnings_per_click": row.earnings_per_click,
                        "currency": currency(),
                    }
                    for row in selectors.per_link(request.user)
                ],
                many=True,
            ).data
        )
