"""The outreach pages' paths (admin:outreach_*), added to the staff site in config/staff_admin."""

from django.urls import URLPattern, path

from screener.outreach import views


def outreach_urls(wrap) -> list[URLPattern]:
    """`wrap` is the staff site's admin_view: sign-in, second factor and session limits."""
    return [
        path("outreach/", wrap(views.events_view), name="outreach_events"),
        path("outreach/intake/", wrap(views.intake_view), name="outreach_intake"),
        path("outreach/walk-ins/", wrap(views.walkins_view), name="outreach_walkins"),
        path("outreach/walk-ins/<int:lookup_id>/", wrap(views.walkin_view), name="outreach_walkin"),
        path(
            "outreach/walk-ins/<int:lookup_id>/letter/",
            wrap(views.letter_view),
            name="outreach_letter",
        ),
        path(
            "outreach/walk-ins/<int:lookup_id>/letter.pdf",
            wrap(views.letter_pdf_view),
            name="outreach_letter_pdf",
        ),
        path(
            "outreach/events/<int:event_id>/report/",
            wrap(views.report_view),
            name="outreach_report",
        ),
    ]
