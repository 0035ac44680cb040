from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The append-only audit log: the bottom layer, which `cases` and `screener` both write."""

    name = "audit"
    verbose_name = _("Audit log")
