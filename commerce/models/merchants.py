from django.conf import settings
from django.db import models
from django.db.models import Q


class Merchant(models.Model):
    """A shop. Never deleted (orders refer to it); operators suspend it instead."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=90, unique=True)
    description = models.TextField(blank=True, max_length=2000)
    logo = models.ImageField(upload_to="shops/%Y/%m/", blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_shops"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # Minor units. Shipping is free when the shop's goods total reaches the threshold (if set).
    shipping_fee = models.PositiveIntegerField(default=0)
    free_shipping_threshold = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class MerchantStaff(models.Model):
    """A user works for at most one shop (the OneToOne holds it)."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        STAFF = "staff", "Staff"

    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="staff")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shop_membership"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["merchant"], condition=Q(role="owner"), name="one_owner_per_shop"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} of {self.merchant_id}"
