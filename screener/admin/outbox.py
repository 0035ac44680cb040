"""The notification outbox in the admin: history, failures, resending, and opt-outs.

`NotificationInline` is the read-only history that the lookup admin shows on each lookup.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.actions import Action
from audit.admin import AuditedViewsMixin, ViewActions
from screener.contact import contact_mask, phone_normalize
from screener.models import Notification, Suppression
from screener.notifications.outbox import notification_resend
from screener.notifications.suppressions import (
    recipient_hash,
    suppression_add,
    suppression_delete,
)

NOTIFICATION_FIELDS = (
    "lookup",
    "kind",
    "channel",
    "language",
    "recipient",
    "status",
    "attempts",
    "last_error",
    "provider_message_id",
    "created_at",
    "updated_at",
    "sent_at",
    "subject",
    "message_text",
)


@admin.display(description=_("recipient"))
def masked_recipient(obj) -> str:
    return contact_mask(obj.recipient)


class NotificationInline(admin.TabularInline):
    """Each message a lookup has been sent, read-only, linking to the full outbox row."""

    model = Notification
    fk_name = "lookup"
    fields = (
        "kind",
        "channel",
        masked_recipient,
        "status",
        "attempts",
        "last_error",
        "sent_at",
        "created_at",
    )
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    ordering = ("created_at",)
    verbose_name_plural = _("notifications sent")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(AuditedViewsMixin, admin.ModelAdmin):
    """The outbox. Opening a message is audited: its body can name cases."""

    audit_actions = ViewActions(
        viewed=Action.NOTIFICATION_VIEWED,
        history_viewed=Action.NOTIFICATION_HISTORY_VIEWED,
        searched=Action.NOTIFICATION_SEARCHED,
        listed=Action.NOTIFICATION_LISTED,
    )

    list_display = (
        "created_at",
        "lookup_reference",
        "kind",
        "channel",
        masked_recipient,
        "language",
        "status",
        "attempts",
        "sent_at",
        "short_error",
    )
    list_filter = ("status", "kind", "channel", "language")
    # Exact matches on codes only; staff find a person by contact in the (audited) lookup search.
    search_fields = ("=lookup__reference", "=provider_message_id")
    list_select_related = ("lookup",)
    date_hierarchy = "created_at"
    fields = NOTIFICATION_FIELDS
    readonly_fields = NOTIFICATION_FIELDS
    actions = ("resend_failed",)

    def audit_label(self, obj: Notification) -> str:
        return f"notification #{obj.pk} ({obj.kind} {obj.channel}) of lookup #{obj.lookup_id}"

    @admin.display(description=_("lookup"), ordering="lookup__reference")
    def lookup_reference(self, obj: Notification) -> str:
        return obj.lookup.reference

    @admin.display(description=_("last error"))
    def short_error(self, obj: Notification) -> str:
        return obj.last_error[:80]

    @admin.display(description=_("message"))
    def message_text(self, obj: Notification) -> str:
        return format_html('<pre style="white-space: pre-wrap;">{}</pre>', obj.body_text)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # The outbox is the record of what people were told; the retention job empties it.
        return False

    def has_resend_permission(self, request) -> bool:
        return request.user.has_perm("screener.change_notification")

    @admin.action(
        description=_("Send the selected failed notifications again"), permissions=["resend"]
    )
    def resend_failed(self, request, queryset) -> None:
        failed_ids = list(
            queryset.filter(status=Notification.Status.FAILED).values_list("pk", flat=True)
        )
        skipped = queryset.exclude(status=Notification.Status.FAILED).count()
        resent = 0
        for notification_id in failed_ids:
            try:
                notification_resend(notification_id=notification_id, actor=request.user)
            except ValidationError:
                # Someone else resent it between the list and the click.
                skipped += 1
            else:
                resent += 1
        if resent:
            self.message_user(
                request,
                ngettext(
                    "%(count)d notification queued to be sent again.",
                    "%(count)d notifications queued to be sent again.",
                    resent,
                )
                % {"count": resent},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d notification skipped: only failed ones can be sent again.",
                    "%(count)d notifications skipped: only failed ones can be sent again.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


class SuppressionForm(forms.ModelForm):
    # Not a model field: the list keeps only a keyed hash of it.
    recipient = forms.CharField(
        label=_("Phone number or email address"),
        max_length=254,
        help_text=_("The list keeps only a keyed fingerprint of it, never the address itself."),
    )

    class Meta:
        model = Suppression
        fields = ("channel", "recipient", "reason")

    def clean(self):
        cleaned = super().clean()
        channel, recipient = cleaned.get("channel"), (cleaned.get("recipient") or "").strip()
        if not (channel and recipient):
            return cleaned
        if channel == Notification.Channel.SMS:
            try:
                cleaned["recipient"] = phone_normalize(recipient)
            except ValidationError as exc:
                self.add_error("recipient", exc)
        else:
            try:
                validate_email(recipient)
            except ValidationError as exc:
                self.add_error("recipient", exc)
            cleaned["recipient"] = recipient.lower()
        return cleaned

    def validate_unique(self) -> None:
        # suppression_add treats an existing opt-out as success.
        return


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    form = SuppressionForm
    list_display = ("channel", "reason", "created_at")
    list_filter = ("channel",)
    # Exact match: staff check whether a number (E.164) or an address has opted out; the term
    # is hashed as the list is (get_search_results).
    search_fields = ("=recipient_hash",)
    search_help_text = _("A phone number or an email address, written in full.")
    readonly_fields = ("created_at",)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        hashes = [recipient_hash(channel, term) for channel in Notification.Channel.values]
        return queryset.filter(recipient_hash__in=hashes), False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj: Suppression, form, change: bool) -> None:
        suppression, _created = suppression_add(
            channel=obj.channel,
            recipient=form.cleaned_data["recipient"],
            reason=obj.reason or "added by staff",
            actor=request.user,
        )
        obj.pk = suppression.pk
        obj.created_at = suppression.created_at

    def delete_model(self, request, obj: Suppression) -> None:
        suppression_delete(suppression=obj, reason="removed by staff", actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for suppression in queryset:
                self.delete_model(request, suppression)
