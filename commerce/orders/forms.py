from django import forms


class ShipForm(forms.Form):
    carrier = forms.CharField(max_length=60)
    tracking_number = forms.CharField(max_length=60)
