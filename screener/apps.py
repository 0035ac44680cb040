from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreenerConfig(AppConfig):
    name = "screener"
    verbose_name = _("Lookups and review")
