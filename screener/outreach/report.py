"""An event's figures for its organisers: people seen, outcomes, letters, languages, ID checks.

Counts only: no name, contact or case. The outcome is in general terms (found, not found, with
staff, still being checked). The CSV's cells go through cases.screening.csv_safe, so a value a
spreadsheet would read as a formula is written as text.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import Action
from audit.models import AuditLog
from cases.screening import csv_safe
from screener.disclosure import PublicOutcome, public_outcome
from screener.models import IdentityProof, LetterVerification, Lookup, OutreachEvent

OUTCOME_LABELS = {
    PublicOutcome.FOUND: gettext_lazy("dismissal found"),
    PublicOutcome.NOT_FOUND: gettext_lazy("not found"),
    PublicOutcome.IN_REVIEW: gettext_lazy("with staff"),
    PublicOutcome.PENDING: gettext_lazy("being checked"),
    PublicOutcome.NOT_ANSWERED: gettext_lazy("not answered"),
}


@dataclass(frozen=True)
class EventReport:
    event: OutreachEvent
    people: int
    outcomes: dict[str, int]  # PublicOutcome value → count
    letters_printed: int  # prints and PDF downloads, each counted
    people_with_letter: int
    languages: dict[str, int]
    id_checks: int
    without_contact: int


def event_report(event: OutreachEvent) -> EventReport:
    lookups = Lookup.objects.filter(event=event, channel=Lookup.Channel.OUTREACH)
    statuses = list(lookups.values_list("status", flat=True))
    ids = [str(pk) for pk in lookups.values_list("pk", flat=True)]
    outcomes = Counter(public_outcome(status).value for status in statuses)
    printed = AuditLog.objects.filter(
        action__in=[Action.LETTER_ISSUED, Action.LETTER_DOWNLOADED],
        object_type="screener.lookup",
        object_id__in=ids,
    ).count()
    return EventReport(
        event=event,
        people=len(statuses),
        outcomes={outcome.value: outcomes.get(outcome.value, 0) for outcome in PublicOutcome},
        letters_printed=printed,
        people_with_letter=LetterVerification.objects.filter(lookup__in=lookups)
        .values("lookup")
        .distinct()
        .count(),
        languages=dict(Counter(lookups.values_list("language", flat=True))),
        id_checks=IdentityProof.objects.filter(
            lookup__in=lookups, method=IdentityProof.Method.IN_PERSON
        )
        .values("lookup")
        .distinct()
        .count(),
        without_contact=lookups.filter(email="", phone="").count(),
    )


def report_rows(report: EventReport) -> list[tuple[str, str]]:
    """The report as (figure, value) rows, in the active language."""
    event = report.event
    rows = [
        (_("Event"), event.name),
        (_("Place"), event.location),
        (_("Organising partner"), event.partner),
        (_("First day"), event.starts_on.isoformat()),
        (_("Last day"), event.last_day.isoformat()),
        (_("People seen"), str(report.people)),
    ]
    rows += [
        (_("Outcome: %(outcome)s") % {"outcome": OUTCOME_LABELS[PublicOutcome(key)]}, str(count))
        for key, count in report.outcomes.items()
    ]
    rows += [
        (_("Letters printed or downloaded"), str(report.letters_printed)),
        (_("People given a letter"), str(report.people_with_letter)),
        (_("Photo IDs checked in person"), str(report.id_checks)),
        (_("People with no email or phone"), str(report.without_contact)),
    ]
    rows += [
        (_("Language: %(language)s") % {"language": language}, str(count))
        for language, count in sorted(report.languages.items())
    ]
    return rows


def report_csv(report: EventReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Figure"), _("Value")])
    for label, value in report_rows(report):
        writer.writerow([csv_safe(label), csv_safe(value)])
    return out.getvalue()
