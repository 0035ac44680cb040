"""The admin index's review-queue box and the staff dashboard page (figures: screener.dashboard)."""

from datetime import timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from screener.admin.access import several_people_url
from screener.admin.lookups import VIEW_ALL_PERMISSION
from screener.dashboard import (
    OUTCOME_COLUMNS,
    PENDING,
    dashboard_figures,
    review_queue_summary,
)
from screener.models import Lookup
from screener.review import DECIDE_PERMISSION

DASHBOARD_DAYS = (7, 30, 90)


def can_view_dashboard(user) -> bool:
    return user.has_perm(VIEW_ALL_PERMISSION) or user.has_perm("audit.view_auditlog")


def index_context(request: HttpRequest) -> dict:
    """The review queue's size and oldest item, for the admin index."""
    context: dict = {}
    if request.user.has_perm(DECIDE_PERMISSION):
        context["review_queue"] = review_queue_summary()
    if can_view_dashboard(request.user):
        context["dashboard_url"] = reverse("admin:dashboard")
    context["several_people_url"] = several_people_url(request.user)
    if request.user.has_perm("screener.add_lookup"):
        context["outreach_url"] = reverse("admin:outreach_events")
    return context


def _duration_text(value: timedelta | None) -> str:
    if value is None:
        return ""
    now = timezone.now()
    return timesince(now - value, now)


def dashboard_view(request: HttpRequest) -> HttpResponse:
    if not can_view_dashboard(request.user):
        raise PermissionDenied
    days = request.GET.get("days", "")
    days = int(days) if days.isdigit() and int(days) in DASHBOARD_DAYS else 30
    figures = dashboard_figures(days=days)
    labels = {
        Lookup.Outcome.MATCH: Lookup.Outcome.MATCH.label,
        Lookup.Outcome.POSSIBLE: Lookup.Outcome.POSSIBLE.label,
        Lookup.Outcome.NO_MATCH: Lookup.Outcome.NO_MATCH.label,
        PENDING: _("Not yet checked"),
    }
    context = {
        **admin.site.each_context(request),
        "title": _("Dashboard"),
        "figures": figures,
        "day_choices": DASHBOARD_DAYS,
        "outcome_labels": [(key, labels[key]) for key in OUTCOME_COLUMNS],
        "per_day": [
            {
                "day": row.day,
                "cells": [row.counts[key] for key in OUTCOME_COLUMNS],
                "total": row.total,
            }
            for row in figures.per_day
        ],
        "outbox_failed_url": reverse("admin:screener_notification_changelist")
        + "?status__exact=failed",
        "health_url": reverse("admin:health"),
        "median_to_result": _duration_text(figures.median_to_result),
        "median_to_decision": _duration_text(figures.median_to_decision),
    }
    return TemplateResponse(request, "admin/screener/dashboard.html", context)
