"""How often staff confirmed what the matching engine proposed; suggestions, never applied.

python manage.py matching_report [--since YYYY-MM-DD]
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.matching.report import NOT_RECORDED, Verdict, matching_report, report_lines
from screener.models import LookupCandidate, ReviewDecision


class Command(BaseCommand):
    help = (
        "Report, from decided reviews, how often staff confirmed each outcome band and each "
        "matching rule, and suggest threshold changes (never applied)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", help="only reviews decided on or after this date")

    def handle(self, *args, **options):
        decided = ReviewDecision.objects.filter(
            decision__in=[ReviewDecision.Decision.CONFIRM, ReviewDecision.Decision.REJECT]
        )
        if options["since"]:
            try:
                since = datetime.date.fromisoformat(options["since"])
            except ValueError:
                raise CommandError("--since must be a date, YYYY-MM-DD") from None
            decided = decided.filter(created_at__date__gte=since)
        # Staff set `confirmed` on every candidate of a lookup they confirm or reject.
        candidates = LookupCandidate.objects.filter(
            lookup__in=decided.values("lookup"), confirmed__isnull=False
        ).values_list("outcome", "explanation", "score", "confirmed")
        verdicts = [
            Verdict(
                outcome=outcome,
                rule=explanation.get("rule", NOT_RECORDED) if explanation else NOT_RECORDED,
                score=score,
                confirmed=confirmed,
            )
            for outcome, explanation, score, confirmed in candidates.iterator()
        ]
        lookups = decided.values("lookup").distinct().count()
        self.stdout.write(
            f"{lookups:,} decided reviews, {len(verdicts):,} candidates with staff's verdict "
            f"(MATCH_THRESHOLD {settings.MATCH_THRESHOLD:g}, "
            f"POSSIBLE_THRESHOLD {settings.POSSIBLE_THRESHOLD:g})\n"
        )
        report = matching_report(
            verdicts,
            match_threshold=settings.MATCH_THRESHOLD,
            possible_threshold=settings.POSSIBLE_THRESHOLD,
        )
        self.stdout.write("\n".join(report_lines(report)))
