"""Someone asking about other people: holds, limits, and the staff report.

- The same name and date of birth arriving from a second contact within ABUSE_WINDOW_DAYS is held
  for staff (not checked, not answered), and the earlier contact is told that someone else asked.
- One contact (an email or a phone number) may ask about at most PEOPLE_PER_CONTACT people, and
  one browser about PEOPLE_PER_DEVICE, within the window.
- Staff see the contacts that asked about several people (`contacts_with_several_people`).

The comparisons use keyed hashes (person_key: the name and date of birth; device_key: the
browser's cookie), never the values; screener.access.retention empties them after the window.
"""

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.locking import for_change
from audit.services import audit_record
from cases.matching.normalize import normalize_name
from screener.lifecycle import lookup_status_move
from screener.models import Lookup, Notification

DECIDE_PERMISSION = "screener.decide_lookup"


def _keyed(kind: str, value: str) -> str:
    message = f"{kind}|{value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def person_key(*, first_name: str, last_name: str, date_of_birth: date) -> str:
    """Who is asked about, whatever the contact: first and last name as the engine reads them."""
    first = " ".join(normalize_name(first_name))
    last = " ".join(normalize_name(last_name))
    return _keyed("person", f"{first}|{last}|{date_of_birth.isoformat()}")


def device_key(device_id: str) -> str:
    return _keyed("device", device_id) if device_id else ""


def _window_start(now: datetime) -> datetime:
    return now - timedelta(days=settings.ABUSE_WINDOW_DAYS)


def _contact_filter(*, email: str, phone: str) -> Q:
    condition = Q(pk__in=[])
    if email:
        condition |= Q(email=email)
    if phone:
        condition |= Q(phone=phone)
    return condition


def _shares_contact(a: Lookup, b: Lookup) -> bool:
    return bool((a.email and a.email == b.email) or (a.phone and a.phone == b.phone))


def asked_elsewhere(lookup: Lookup) -> list[int]:
    """Ids of recent lookups about the same person from another contact: a reason to hold it."""
    if not lookup.person_key:
        return []
    # The contacts alone decide, on every web submission; the rare held one loads whole rows.
    return [
        other.pk
        for other in Lookup.objects.filter(
            person_key=lookup.person_key,
            created_at__gte=_window_start(timezone.now()),
            anonymized_at__isnull=True,
        )
        .exclude(pk=lookup.pk)
        .only("pk", "email", "phone")
        if not _shares_contact(other, lookup)
    ]


def lookup_hold_asked_elsewhere(lookup: Lookup, earlier_ids: list[int]) -> None:
    """Hold a new lookup about someone asked about from other contacts (`asked_elsewhere`).

    Call inside the transaction that wrote the lookup (status RECEIVED). The earlier lookups'
    contacts are each told once that someone else asked; the held lookup waits for staff.
    """
    from screener.notifications.outbox import notifications_queue

    earlier = list(Lookup.objects.filter(pk__in=earlier_ids))
    lookup_status_move(lookup, Lookup.Status.HELD)
    lookup.save(update_fields=["status", "updated_at"])
    for other in earlier:
        notifications_queue(lookup=other, kind=Notification.Kind.SOMEONE_ELSE_ASKED)
    # Last: the audit row holds the chain's lock until commit, so nothing else waits behind it.
    audit_record(
        actor=None,
        action=Action.LOOKUP_HELD,
        obj=lookup,
        summary=f"Lookup {lookup.reference} held: the same person was asked about elsewhere",
        detail={"earlier_lookup_ids": [other.pk for other in earlier]},
    )


def _wait_until_fewer(latest_by_person: dict[str, datetime], *, limit: int, now) -> int | None:
    """Seconds until fewer than `limit` people are in `latest_by_person` (each one's latest
    lookup) within the window, or None."""
    latest = sorted(latest_by_person.values())
    if len(latest) < limit:
        return None
    # The limit lifts when enough of those people drop out of the window.
    frees_at = latest[len(latest) - limit] + timedelta(days=settings.ABUSE_WINDOW_DAYS)
    return max(int((frees_at - now).total_seconds()) + 1, 1)


def people_limit_wait(
    *, email: str, phone: str, device: str, person_key: str, now: datetime | None = None
) -> int | None:
    """Seconds to wait before this contact and browser may ask about one more person, or None.

    Asking again about someone already asked about is always allowed: it adds nobody.
    """
    now = now or timezone.now()
    asked = _contact_filter(email=email, phone=phone)
    if device:
        asked |= Q(device_key=device)
    # One query for both limits, counted here: the few rows a contact and a browser may have in
    # the window cost less than the database's grouping, on every submission of a surge.
    by_contact: dict[str, datetime] = {}
    by_device: dict[str, datetime] = {}
    rows = (
        Lookup.objects.filter(asked, created_at__gte=_window_start(now))
        .exclude(person_key="")
        .exclude(person_key=person_key)
        .values_list("person_key", "created_at", "email", "phone", "device_key")
    )
    for key, created_at, row_email, row_phone, row_device in rows:
        if (email and row_email == email) or (phone and row_phone == phone):
            by_contact[key] = max(created_at, by_contact.get(key, created_at))
        if device and row_device == device:
            by_device[key] = max(created_at, by_device.get(key, created_at))
    waits = [
        _wait_until_fewer(by_contact, limit=settings.PEOPLE_PER_CONTACT, now=now),
        _wait_until_fewer(by_device, limit=settings.PEOPLE_PER_DEVICE, now=now) if device else None,
    ]
    due = [wait for wait in waits if wait is not None]
    return max(due) if due else None


def _require_decider(actor) -> None:
    if not actor.has_perm(DECIDE_PERMISSION):
        raise PermissionDenied(_("You do not have permission to decide held lookups."))


def _lock_held(lookup_id: int) -> Lookup:
    lookup = for_change(Lookup.objects).get(pk=lookup_id)
    if lookup.status != Lookup.Status.HELD:
        raise ValidationError(
            _("Lookup %(reference)s is not held.") % {"reference": lookup.reference},
            code="not_held",
        )
    return lookup


def lookup_hold_release(*, lookup_id: int, actor, ip_address: str | None = None) -> Lookup:
    """Staff decided the held lookup may be answered: it is checked and answered as usual."""
    from screener.tasks import check_lookup

    _require_decider(actor)
    with transaction.atomic():
        lookup = _lock_held(lookup_id)
        lookup_status_move(lookup, Lookup.Status.RECEIVED)
        lookup.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.LOOKUP_RELEASED,
            obj=lookup,
            summary=f"Lookup {lookup.reference} released from hold",
            ip_address=ip_address,
        )
        transaction.on_commit(lambda: check_lookup.delay(lookup_id))
    return lookup


def lookup_hold_decline(
    *, lookup_id: int, actor, reason: str, ip_address: str | None = None
) -> Lookup:
    """Staff decided not to answer the held lookup online (`actor` None: the window ran out).

    The person is sent the same "there is an update" message as any staff decision; their page
    says that the request was not answered online and where to ask instead.
    """
    from screener.notifications.outbox import notifications_queue

    if actor is not None:
        _require_decider(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for not answering.")})
    with transaction.atomic():
        lookup = _lock_held(lookup_id)
        lookup_status_move(lookup, Lookup.Status.DECLINED)
        lookup.decided_at = timezone.now()
        lookup.save(update_fields=["status", "decided_at", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.LOOKUP_DECLINED,
            obj=lookup,
            summary=f"Lookup {lookup.reference} not answered online",
            detail={"reason": reason[:200]},
            ip_address=ip_address,
        )
        notifications_queue(lookup=lookup, kind=Notification.Kind.REVIEW_DECIDED)
    return lookup


def lookups_about_same_person(lookup: Lookup) -> QuerySet[Lookup]:
    """The other lookups about the same name and date of birth within the window, for staff."""
    if not lookup.person_key:
        return Lookup.objects.none()
    return (
        Lookup.objects.filter(
            person_key=lookup.person_key, created_at__gte=_window_start(timezone.now())
        )
        .exclude(pk=lookup.pk)
        .order_by("created_at")
    )


@dataclass(frozen=True)
class SeveralPeopleRow:
    """A contact that asked about several people within the window."""

    channel: str  # "email" or "sms"
    contact: str
    people: int
    lookups: int
    first_at: datetime
    last_at: datetime
    references: tuple[str, ...] = field(default=())
    held: int = 0


def contacts_with_several_people(*, now: datetime | None = None) -> list[SeveralPeopleRow]:
    """Contacts that asked about two people or more within the window, most people first."""
    now = now or timezone.now()
    recent = Lookup.objects.filter(created_at__gte=_window_start(now)).exclude(person_key="")
    rows: list[SeveralPeopleRow] = []
    for channel, column in (
        (Notification.Channel.EMAIL, "email"),
        (Notification.Channel.SMS, "phone"),
    ):
        groups = (
            recent.exclude(**{column: ""})
            .values(column)
            .annotate(
                people=Count("person_key", distinct=True),
                lookups=Count("pk"),
                first_at=Min("created_at"),
                last_at=Max("created_at"),
                held=Count("pk", filter=Q(status=Lookup.Status.HELD)),
            )
            .filter(people__gte=2)
        )
        for group in groups:
            references = recent.filter(**{column: group[column]}).order_by("created_at")
            rows.append(
                SeveralPeopleRow(
                    channel=channel,
                    contact=group[column],
                    people=group["people"],
                    lookups=group["lookups"],
                    first_at=group["first_at"],
                    last_at=group["last_at"],
                    references=tuple(references.values_list("reference", flat=True)),
                    held=group["held"],
                )
            )
    return sorted(rows, key=lambda row: (-row.people, row.last_at))
