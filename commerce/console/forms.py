"""Forms of the merchant console. They only parse input; the catalog's services decide."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator

from backend.errors import InvalidInput
from backend.money import format_amount, parse_amount
from commerce.catalog.selectors import category_tree
from commerce.catalog.services import SkuInput
from commerce.console.api import MAX_STOCK
from commerce.models import Category

DATE = forms.DateInput(attrs={"type": "date"})


class MoneyFormField(forms.CharField):
    """An amount typed as "12.50", cleaned to minor units with the API's parser."""

    def __init__(self, *, allow_zero: bool = True, **kwargs):
        self.allow_zero = allow_zero
        # No max_length validator: it would run on the cleaned int; parse_amount bounds the value.
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "maxlength": 14})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return format_amount(value) if isinstance(value, int) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_amount(value, allow_zero=self.allow_zero)
        except InvalidInput as error:
            raise forms.ValidationError(error.message) from error


class OpenShopForm(forms.Form):
    name = forms.CharField(max_length=80, label="Shop name")
    description = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ShopSettingsForm(forms.Form):
    name = forms.CharField(max_length=80, label="Shop name")
    description = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    logo = forms.FileField(
        required=False,
        help_text="A square JPEG, PNG or WebP works best.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    shipping_fee = MoneyFormField(label="Shipping fee", help_text="Per order, e.g. 8.00.")
    free_shipping_threshold = MoneyFormField(
        required=False,
        label="Free shipping from",
        help_text="Orders of this much or more ship free. Leave empty for never.",
    )


class CategoryChoiceField(forms.TypedChoiceField):
    """The category tree as one select (children indented under their parent); cleans to a
    Category."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, label="Category", **kwargs)

    def refresh(self) -> None:
        choices = [("", "Choose a category")]
        for root in category_tree():
            choices.append((root.id, root.name))
            choices.extend((child.id, f"\u2003{child.name}") for child in root.children)
        self.choices = choices

    def clean(self, value):
        category_id = super().clean(value)
        category = Category.objects.filter(pk=category_id).first()
        if category is None:
            raise forms.ValidationError("Choose a category.")
        return category


class ProductForm(forms.Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(
        max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    category = CategoryChoiceField()
    commission_rate_bp = forms.IntegerField(
        required=False,
        min_value=0,
        label="Commission for sharers (basis points)",
        help_text="100 = 1 %. Leave empty for the category's default.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].refresh()
        cap = settings.COMMISSION_CAP_BP
        rate = self.fields["commission_rate_bp"]
        rate.max_value = cap
        rate.validators.append(MaxValueValidator(cap))
        rate.widget.attrs["max"] = cap


class ProductEditForm(ProductForm):
    active = forms.BooleanField(required=False, label="On sale")


class SkuForm(forms.Form):
    name = forms.CharField(max_length=80, label="Option", help_text="e.g. 1 kg box")
    price = MoneyFormField(allow_zero=False)
    stock = forms.IntegerField(min_value=0, max_value=MAX_STOCK)
    best_before = forms.DateField(required=False, widget=DATE)
    harvest_date = forms.DateField(required=False, widget=DATE, label="Harvested")

    def sku_input(self) -> SkuInput:
        return SkuInput(**self.cleaned_data)


class SkuEditForm(SkuForm):
    stock = forms.IntegerField(min_value=0, max_value=MAX_STOCK, label="Stock on hand")
    active = forms.BooleanField(required=False, label="On sale")


SkuFormSet = forms.formset_factory(
    SkuForm, extra=1, min_num=1, validate_min=True, max_num=50, validate_max=True
)


class StaffAddForm(forms.Form):
    username = forms.CharField(
        # A username is at most 150 characters, plus the "@" people may type before it.
        max_length=151,
        label="Username",
        help_text="They need an account here; a person works for one shop at most.",
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )

    def clean_username(self) -> str:
        # People copy names from profiles, where they read "@mei".
        return self.cleaned_data["username"].removeprefix("@")
