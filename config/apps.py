from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """django.contrib.admin with the staff site (config/staff_admin.py) as the default site."""

    default_site = "config.staff_admin.StaffAdminSite"
