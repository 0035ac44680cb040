from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """django.contrib.admin with the staff site (config/staff_admin.py) as the default site."""

    default_site = "config.staff_admin.StaffAdminSite"

    def ready(self) -> None:
        super().ready()
        from django.contrib.auth.signals import user_logged_in

        from config.staff_sessions import on_logged_in

        # The session's clock starts here; the audit app records the sign-in itself.
        user_logged_in.connect(on_logged_in, dispatch_uid="config.staff_session_start")
