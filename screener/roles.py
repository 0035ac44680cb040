"""Staff roles: Django groups holding the least permissions each job needs.

| group              | can                                                                      |
|--------------------|--------------------------------------------------------------------------|
| Reviewer           | see every lookup, decide flagged ones, see cases and batches, see the    |
|                    | outbox and resend failed messages, see the eligibility check's counts,   |
|                    | record a photo-ID or call check, set up outreach events and their workers|
| Outreach worker    | record lookups at events, see the lookups they recorded and the events,  |
|                    | record a photo-ID check of the person in front of them                   |
| Data administrator | run imports and screening runs, see cases, describe batches, read the    |
|                    | audit log, the dashboard and the eligibility check's counts              |

Nobody can add, change or delete audit log entries through the admin, superusers included
(audit/admin.py). Lookups are never edited or deleted in the admin: their state
changes only through screener.services / screener.review, which write the audit row.

`roles_ensure` is idempotent and takes the app registry as an argument so that a data migration
can run it against the historical models; a later change to ROLE_PERMISSIONS ships with a new
migration that calls it again.
"""

from django.apps import apps as global_apps
from django.db.models import Q

REVIEWER = "Reviewer"
OUTREACH_WORKER = "Outreach worker"
DATA_ADMINISTRATOR = "Data administrator"

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    REVIEWER: (
        "screener.view_lookup",
        "screener.view_all_lookups",
        "screener.decide_lookup",
        # Record that a person's photo ID or a call was checked (screener.access.identity).
        "screener.check_identity",
        "screener.view_notification",
        # Resend a failed notification from the outbox (screener/admin/outbox.py).
        "screener.change_notification",
        "cases.view_case",
        "cases.view_dismissalbatch",
        # Anonymous counts of the eligibility check's outcomes (eligibility/admin.py).
        "eligibility.view_determinationcount",
        # Set up Week of Action events and assign outreach workers to them.
        "screener.view_outreachevent",
        "screener.add_outreachevent",
        "screener.change_outreachevent",
    ),
    OUTREACH_WORKER: (
        "screener.add_lookup",
        "screener.view_lookup",
        "screener.check_identity",
        "screener.view_outreachevent",
    ),
    DATA_ADMINISTRATOR: (
        "cases.add_importrun",
        "cases.view_importrun",
        # Cases change only through imports (cases/admin.py): seeing them is enough.
        "cases.view_case",
        "cases.view_dismissalbatch",
        "cases.change_dismissalbatch",
        "cases.add_screeningrun",
        "cases.view_screeningrun",
        "audit.view_auditlog",
        "eligibility.view_determinationcount",
    ),
}


def roles_ensure(*, apps=global_apps) -> None:
    """Create the role groups and set each one's permissions to exactly ROLE_PERMISSIONS."""
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    # In a fresh database Django creates permissions only after the last migration, so create
    # the ones the roles need now. Historical app configs have no models module, which
    # create_permissions reads as "nothing to do": the flag is set for the call.
    for label in ("audit", "cases", "screener", "eligibility"):
        try:
            app_config = apps.get_app_config(label)
        except LookupError:
            continue  # an app with no models yet at this point of the migration history
        historical = getattr(app_config, "models_module", None) is None
        if historical:
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        if historical:
            app_config.models_module = None

    for name, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = Q(pk__in=[])
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        # An early migration runs this against models that may not have every permission yet;
        # the migration that ships the newer model calls it again (tests check the end state).
        group.permissions.set(Permission.objects.filter(wanted))


def roles_remove(*, apps=global_apps) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()
