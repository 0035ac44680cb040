"""The ways to level 2 (proved identity), and the dates of birth a lookup accepts.

A proof is recorded on the lookup (IdentityProof) and audited; from then on a browser that has
also typed a one-time code sent to the lookup's contact sees level-2 content. The ways in:
- `identity_prove_case_number`: the person types the number of one of the cases listed for
  them (it is on their court papers; a name and a date of birth do not give it);
- `identity_check_record`: a staff member or outreach worker checked the person's photo ID in
  person, or verified them on a call. Public: outreach intake calls it too;
- `identity_prove_with_provider`: an identity provider vouched for the person's name and date of
  birth at IAL2 (screener.access.providers).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.locking import for_change
from audit.services import audit_record
from cases.matching.normalize import normalize_name
from cases.normalize import case_normalize_number
from screener.access.providers import VerifiedPerson
from screener.disclosure import Level
from screener.letters import letter_cases
from screener.models import IdentityProof, Lookup, LookupCandidate

CHECK_IDENTITY_PERMISSION = "screener.check_identity"
STAFF_CHECK_METHODS = (IdentityProof.Method.IN_PERSON, IdentityProof.Method.CALL)

Method = IdentityProof.Method


def birth_date_accepted(lookup: Lookup, date_of_birth: date) -> bool:
    """The date typed when asking, or the recorded date of birth of a case staff confirmed.

    Staff confirm cases whose record has the person's real date of birth when the one typed was a
    slip; the person then opens their answer with either.
    """
    if lookup.anonymized_at is not None or lookup.date_of_birth is None:
        return False
    if date_of_birth == lookup.date_of_birth:
        return True
    return LookupCandidate.objects.filter(
        lookup=lookup, confirmed=True, case__date_of_birth=date_of_birth
    ).exists()


def lookup_access_level(lookup: Lookup, *, contact_verified: bool) -> Level:
    """The level a browser has reached for `lookup`: 0 without a code, 2 with a recorded proof."""
    if not contact_verified or lookup.anonymized_at is not None:
        return Level.SUBMITTED
    if lookup.identity_proofs.exists():
        return Level.IDENTITY
    return Level.CONTACT


def _proof_recorded(
    lookup: Lookup,
    *,
    method: str,
    action: Action,
    actor=None,
    id_kind: str = "",
    provider: str = "",
    ip_address: str | None = None,
) -> IdentityProof:
    proof = IdentityProof(
        lookup=lookup, method=method, id_kind=id_kind, provider=provider, recorded_by=actor
    )
    proof.full_clean()
    proof.save()
    # The kind of proof only: never a case number, an ID's number or the provider's claims.
    detail = {"proof_id": proof.pk, "method": method}
    if id_kind:
        detail["id_kind"] = id_kind
    if provider:
        detail["provider"] = provider
    audit_record(
        actor=actor,
        action=action,
        obj=lookup,
        summary=f"Lookup {lookup.reference}: identity proved ({method})",
        detail=detail,
        ip_address=ip_address,
    )
    return proof


def identity_prove_case_number(
    *, lookup_id: int, case_number: str, ip_address: str | None = None
) -> IdentityProof | None:
    """Level 2 when `case_number` is one of the cases the answer lists; None otherwise.

    Only listed cases count (confirmed by staff, or matched by the engine and not rejected): a
    possible match's candidates may be a namesake's. The views limit the tries per lookup.
    """
    typed = case_normalize_number(case_number)
    with transaction.atomic():
        lookup = for_change(Lookup.objects).get(pk=lookup_id)
        if not typed or lookup.anonymized_at is not None:
            return None
        listed = {case_normalize_number(case.case_number) for case in letter_cases(lookup)}
        if typed not in listed:
            return None
        return _proof_recorded(
            lookup,
            method=Method.CASE_NUMBER,
            action=Action.LOOKUP_IDENTITY_PROVED,
            ip_address=ip_address,
        )


def identity_check_record(
    *, lookup_id: int, actor, method: str, id_kind: str, ip_address: str | None = None
) -> IdentityProof:
    """A staff member or outreach worker checked the person's identity: level 2 for the lookup.

    `method` is in person (a photo ID seen) or a call (verified on the phone or a video call);
    `id_kind` is the kind of ID (IdentityProof.IdKind), never its number. The checker confirms
    beforehand that the lookup's name and date of birth are on the ID and that its email or phone
    is the person's own: the proof lets whoever holds that contact see the whole answer.
    """
    if not actor.has_perm(CHECK_IDENTITY_PERMISSION):
        raise PermissionDenied(_("You do not have permission to record identity checks."))
    errors = {}
    if method not in STAFF_CHECK_METHODS:
        errors["method"] = _("Choose how you checked the person's identity.")
    if id_kind not in IdentityProof.IdKind.values:
        errors["id_kind"] = _("Choose the kind of ID you saw.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        lookup = for_change(Lookup.objects).get(pk=lookup_id)
        if lookup.anonymized_at is not None:
            raise ValidationError(
                _("Lookup %(reference)s can no longer be answered: its details were erased.")
                % {"reference": lookup.reference},
                code="anonymized",
            )
        return _proof_recorded(
            lookup,
            method=method,
            action=Action.LOOKUP_IDENTITY_CHECKED,
            actor=actor,
            id_kind=id_kind,
            ip_address=ip_address,
        )


def person_agrees(lookup: Lookup, person: VerifiedPerson) -> bool:
    """The provider's person is the lookup's: the date of birth, a given name and a surname."""
    if not birth_date_accepted(lookup, person.birthdate):
        return False
    known: set[str] = set()
    for name in (lookup.first_name, lookup.middle_name, lookup.last_name, *lookup.other_names):
        known.update(normalize_name(name))
    given = normalize_name(person.given_name)
    family = normalize_name(person.family_name)
    return bool(given) and given[0] in known and bool(known.intersection(family))


def identity_prove_with_provider(
    *, lookup_id: int, person: VerifiedPerson, provider_name: str, ip_address: str | None = None
) -> IdentityProof | None:
    """Level 2 when an identity provider verified, at IAL2, the person the lookup is about."""
    if not person.ial2:
        return None
    with transaction.atomic():
        lookup = for_change(Lookup.objects).get(pk=lookup_id)
        if not person_agrees(lookup, person):
            return None
        return _proof_recorded(
            lookup,
            method=Method.PROVIDER,
            action=Action.LOOKUP_IDENTITY_PROVED,
            provider=provider_name[:60],
            ip_address=ip_address,
        )
