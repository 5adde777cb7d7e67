"""The earnings page's two forms: where payouts go, and how much to take out."""

from __future__ import annotations

from django import forms

from backend.errors import InvalidInput
from backend.money import parse_amount
from rewards.models import Payee


class PayeeForm(forms.Form):
    method = forms.ChoiceField(choices=Payee.Method.choices, label="Paid to")
    account = forms.CharField(
        max_length=Payee._meta.get_field("account").max_length,
        label="Account",
        help_text="Your Alipay account or bank account number.",
    )
    real_name = forms.CharField(
        max_length=Payee._meta.get_field("real_name").max_length,
        label="Name on the account",
    )

    def __init__(self, *args, instance_values: Payee | None = None, **kwargs) -> None:
        if instance_values is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "method": instance_values.method,
                "account": instance_values.account,
                "real_name": instance_values.real_name,
            }
        super().__init__(*args, **kwargs)


class PayoutForm(forms.Form):
    amount = forms.CharField(
        max_length=20,
        label="Amount",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "10.00"}),
    )

    def clean_amount(self) -> int:
        try:
            return parse_amount(self.cleaned_data["amount"], allow_zero=False)
        except InvalidInput as error:
            raise forms.ValidationError(error.message) from error
