from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The append-only audit log: the bottom layer, which `cases` and `screener` both write."""

    name = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from audit import logins

        user_logged_in.connect(logins.on_logged_in, dispatch_uid="audit.logged_in")
        user_logged_out.connect(logins.on_logged_out, dispatch_uid="audit.logged_out")
        user_login_failed.connect(logins.on_login_failed, dispatch_uid="audit.login_failed")
        user_locked_out.connect(logins.on_locked_out, dispatch_uid="audit.locked_out")
