"""Users and the social graph every app consults."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    display_name = models.CharField(max_length=60, blank=True)
    bio = models.CharField(max_length=300, blank=True)
    avatar = models.ImageField(upload_to="avatars/%Y/%m/", blank=True)
    # Set when the account is deleted: the row stays (money refers to it), the person is gone.
    anonymised_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.username

    @property
    def name(self) -> str:
        return self.display_name or self.username
