"""Page forms: they shape the input; the services decide what is acceptable."""

from django import forms

from backend.errors import ApplicationError


class SignUpForm(forms.Form):
    username = forms.CharField(max_length=30, widget=forms.TextInput({"autocomplete": "username"}))
    email = forms.EmailField(max_length=254, widget=forms.EmailInput({"autocomplete": "email"}))
    password = forms.CharField(
        max_length=128,
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
        help_text="At least 8 characters; not only digits, nothing common.",
    )


class SignInForm(forms.Form):
    username = forms.CharField(
        max_length=150, widget=forms.TextInput({"autocomplete": "username", "autofocus": True})
    )
    password = forms.CharField(
        max_length=128,
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "current-password"}),
    )


class ProfileForm(forms.Form):
    display_name = forms.CharField(max_length=60, required=False, label="Display name")
    bio = forms.CharField(max_length=300, required=False, widget=forms.Textarea({"rows": 4}))
    avatar = forms.FileField(
        required=False,
        label="Profile picture",
        help_text="JPEG, PNG or WebP, up to 5 MB.",
        widget=forms.FileInput({"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_avatar = forms.BooleanField(required=False, label="Remove the current picture")


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        max_length=128,
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "current-password"}),
        help_text="Your password, to confirm it is you.",
    )


def add_error(form: forms.Form, error: ApplicationError) -> None:
    """Show a service's error on the form: on its fields when it names them, else on top."""
    shown = False
    for name, messages in error.fields.items():
        if name in form.fields:
            for message in messages if isinstance(messages, list) else [messages]:
                form.add_error(name, str(message))
            shown = True
    if not shown:
        form.add_error(None, error.message)
