"""API.md "Rewards", the sharer's money out: `GET / PUT earnings/payee`, `POST / GET payouts`.
Always the signed-in sharer's own payee and payouts: there is no way to name another's."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import PagePagination
from backend.errors import NotFound
from backend.idempotency.services import idempotent
from backend.money import MoneyField
from rewards import payouts
from rewards.models import Payee, PayoutStatus


class PayeeIn(serializers.Serializer):
    method = serializers.ChoiceField(choices=Payee.Method.choices)
    account = serializers.CharField(max_length=Payee._meta.get_field("account").max_length)
    real_name = serializers.CharField(max_length=Payee._meta.get_field("real_name").max_length)


class PayeeOut(serializers.Serializer):
    method = serializers.CharField()
    account = serializers.CharField()
    real_name = serializers.CharField()
    updated_at = serializers.DateTimeField()


class PayoutIn(serializers.Serializer):
    amount = MoneyField(allow_zero=False)


class PayoutOut(serializers.Serializer):
    id = serializers.IntegerField()
    amount = MoneyField()
    currency = serializers.CharField()
    status = serializers.ChoiceField(choices=PayoutStatus.choices)
    method = serializers.CharField()
    account = serializers.CharField()
    requested_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField()
    reject_reason = serializers.CharField()


class PayeeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Where my payouts go (404 before it is set)", responses={200: PayeeOut})
    def get(self, request: Request) -> Response:
        payee = payouts.payee_get(user=request.user)
        if payee is None:
            raise NotFound("No payee is set yet.")
        return Response(PayeeOut(payee).data)

    @extend_schema(summary="Set where my payouts go", request=PayeeIn, responses={200: PayeeOut})
    def put(self, request: Request) -> Response:
        data = PayeeIn(data=request.data)
        data.is_valid(raise_exception=True)
        payee = payouts.payee_set(user=request.user, **data.validated_data)
        return Response(PayeeOut(payee).data)


class PayoutsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="My payouts, newest first", responses={200: PayoutOut(many=True)})
    def get(self, request: Request) -> Response:
        paginator = PagePagination()
        page = paginator.paginate_queryset(payouts.payouts_of(user=request.user), request, self)
        return paginator.get_paginated_response(PayoutOut(page, many=True).data)

    @extend_schema(
        summary="Ask for a payout of part or all of my available balance",
        request=PayoutIn,
        responses={201: PayoutOut},
    )
    def post(self, request: Request) -> Response:
        def compute() -> Response:
            data = PayoutIn(data=request.data)
            data.is_valid(raise_exception=True)
            payout = payouts.payout_request(user=request.user, amount=data.validated_data["amount"])
            return Response(PayoutOut(payout).data, status=status.HTTP_201_CREATED)

        return idempotent(request, "payout", compute)
