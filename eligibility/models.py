"""Anonymous counts of the eligibility check's determinations.

Nothing about the person is stored: the answers live in the session only. A row is a day, an
outcome and how many determinations had it, so staff can see what the check tells people.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from eligibility.rules import OUTCOME_LABELS, Outcome


class DeterminationCount(models.Model):
    day = models.DateField(_("day"))
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=[(outcome.value, OUTCOME_LABELS[outcome]) for outcome in Outcome],
    )
    count = models.PositiveIntegerField(_("determinations"), default=0)

    class Meta:
        verbose_name = _("eligibility determination count")
        verbose_name_plural = _("eligibility determination counts")
        ordering = ["-day", "outcome"]
        constraints = [
            models.UniqueConstraint(fields=["day", "outcome"], name="determination_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.outcome}: {self.count}"
