"""The audit log: who did what to which object, when and from where. Append-only."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditLogQuerySet(models.QuerySet):
    """Bulk changes are refused like single ones (the admin's bulk delete goes through here)."""

    def update(self, **kwargs):
        raise PermissionError("Audit log entries cannot be changed.")

    def delete(self):
        raise PermissionError("Audit log entries cannot be deleted.")


class AuditLog(models.Model):
    """Append-only record of every action that touches personal data.

    On PostgreSQL triggers refuse UPDATE, DELETE (audit migration 0002) and TRUNCATE (0005), and
    the application's own database role may only INSERT and SELECT here (docs/database-roles.md).
    Each row carries the keyed hash of the row before it (audit/chain.py), which
    `manage.py verify_audit` checks. Rows are written by audit.services.audit_record.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    # Kept as text too, so the row still says who acted if the account is renamed.
    actor_label = models.CharField(max_length=150, blank=True)
    # An audit.actions.Action value.
    action = models.CharField(max_length=40, db_index=True)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Set before the row's hash is computed, so not auto_now_add (which would overwrite it).
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    # The chain (audit/chain.py): the previous row's entry_hash, and this row's own.
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("Audit log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit log entries cannot be deleted.")
