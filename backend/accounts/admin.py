from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from backend.accounts import services
from backend.accounts.models import Block, CloseFriend, Follow, Mute, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "display_name", "email", "is_active", "is_staff", "date_joined")
    list_filter = (*DjangoUserAdmin.list_filter, "anonymised_at")
    search_fields = ("username", "display_name", "email")
    readonly_fields = ("anonymised_at", "last_login", "date_joined")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Profile", {"fields": ("display_name", "bio", "avatar", "anonymised_at")}),
    )
    actions = ("anonymise",)

    @admin.action(description="Delete (anonymise) the selected accounts")
    def anonymise(self, request, queryset):
        count = 0
        for user in queryset.filter(anonymised_at__isnull=True):
            services.user_delete(user=user)
            count += 1
        self.message_user(request, f"{count} account(s) anonymised.", messages.SUCCESS)


class _EdgeAdmin(admin.ModelAdmin):
    date_hierarchy = "created_at"
    list_select_related = True


@admin.register(Follow)
class FollowAdmin(_EdgeAdmin):
    list_display = ("follower", "followee", "created_at")
    raw_id_fields = ("follower", "followee")
    search_fields = ("follower__username", "followee__username")


@admin.register(Block)
class BlockAdmin(_EdgeAdmin):
    list_display = ("blocker", "blocked", "created_at")
    raw_id_fields = ("blocker", "blocked")
    search_fields = ("blocker__username", "blocked__username")


@admin.register(Mute)
class MuteAdmin(_EdgeAdmin):
    list_display = ("muter", "muted", "created_at")
    raw_id_fields = ("muter", "muted")
    search_fields = ("muter__username", "muted__username")


@admin.register(CloseFriend)
class CloseFriendAdmin(_EdgeAdmin):
    list_display = ("owner", "friend", "created_at")
    raw_id_fields = ("owner", "friend")
    search_fields = ("owner__username", "friend__username")
