"""Lookups submitted by residents, outreach workers and partners, and what follows them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case


class OutreachEvent(models.Model):
    """A Week of Action event: where outreach workers enter walk-ins (screener.outreach)."""

    name = models.CharField(_("name"), max_length=200)
    location = models.CharField(_("place"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    partner = models.CharField(_("organising partner"), max_length=200, blank=True)
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_('The languages spoken at the event, e.g. ["en", "es"].'),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    active = models.BooleanField(
        _("open for intake"),
        default=True,
        help_text=_("Workers can enter walk-ins on the event's days while this is on."),
    )
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="outreach_events",
        verbose_name=_("outreach workers"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outreach event")
        verbose_name_plural = _("outreach events")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="outreach_event_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on})"

    @property
    def last_day(self):
        return self.ends_on or self.starts_on


class Lookup(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        CHECKING = "checking", _("Checking")
        NEEDS_REVIEW = "needs_review", _("Being reviewed by staff")
        MORE_INFO = "more_info", _("More information needed")
        MATCHED = "matched", _("Dismissal found")
        NOT_FOUND = "not_found", _("Not found in the batches")
        FAILED = "failed", _("Could not be checked")
        # Never answered within OPEN_LOOKUP_RETENTION_DAYS: the retention job erased it.
        CLOSED = "closed", _("Closed unanswered and erased")
        # The same name and date of birth came from another contact (screener.access.abuse):
        # not checked and not answered until staff release it.
        HELD = "held", _("Held: asked about from another contact")
        DECLINED = "declined", _("Not answered: held and declined by staff")

    class Outcome(models.TextChoices):
        MATCH = "match", _("Match")
        POSSIBLE = "possible", _("Possible match")
        NO_MATCH = "no_match", _("No match")

    class Channel(models.TextChoices):
        WEB = "web", _("Website")
        OUTREACH = "outreach", _("Outreach event")
        PARTNER = "partner", _("Partner screening")

    reference = models.CharField(_("reference code"), max_length=12, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    outcome = models.CharField(
        _("engine outcome"), max_length=10, choices=Outcome.choices, blank=True
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    event = models.ForeignKey(
        OutreachEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="lookups"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submitted_lookups",
    )

    # What the person gave. Emptied by the retention job (anonymized_at is then set).
    first_name = models.CharField(_("first name"), max_length=120)
    middle_name = models.CharField(_("middle name"), max_length=120, blank=True)
    last_name = models.CharField(_("last name"), max_length=120)
    other_names = models.JSONField(_("other names used"), default=list, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True)
    case_number = models.CharField(_("case number"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    language = models.CharField(_("preferred language"), max_length=5, default="en")
    is_self = models.BooleanField(_("submitted by the person"), default=True)
    consent_to_contact = models.BooleanField(_("consents to be contacted"), default=False)
    # The outreach intake form's one-time token (screener.outreach.intake): a double click, a
    # browser retry or a resubmission after a dropped connection finds this lookup again.
    intake_token = models.CharField(max_length=43, blank=True, editable=False)
    # Keyed hash of the normalized details and contact: a re-submission finds the open request.
    dedupe_key = models.CharField(max_length=64, blank=True, editable=False)
    # Keyed hashes of the person asked about (name and date of birth, no contact) and of the
    # browser that asked: the abuse rules compare them (screener.access.abuse). Emptied after
    # ABUSE_WINDOW_DAYS by screener.access.retention.
    person_key = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    device_key = models.CharField(max_length=64, blank=True, editable=False, db_index=True)

    score = models.FloatField(_("best score"), null=True, blank=True)
    explanation = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claimed_lookups",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    anonymized_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lookup")
        verbose_name_plural = _("lookups")
        ordering = ["-created_at"]
        indexes = [
            # The per-contact limit on people asked about (screener.access.abuse) reads the
            # lookups by email or phone on every submission: without these it scanned the whole
            # table (4 ms at 3,700 lookups under the load test, growing with every lookup kept).
            models.Index(fields=["email"], name="lookup_email_idx"),
            models.Index(fields=["phone"], name="lookup_phone_idx"),
        ]
        permissions = [
            ("decide_lookup", "Can decide flagged lookups"),
            ("view_all_lookups", "Can see every lookup, not only those one submitted"),
            ("check_identity", "Can record that a person's photo ID or call was checked"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="lookup_unique_open_request",
            ),
            # A walk-in at an outreach event may have neither: the answer goes to the event's
            # list and the worker prints the letter there.
            models.CheckConstraint(
                condition=~Q(email="", phone="")
                | Q(anonymized_at__isnull=False)
                | Q(channel="outreach"),
                name="lookup_has_contact",
            ),
            models.UniqueConstraint(
                fields=["intake_token"],
                condition=~Q(intake_token=""),
                name="lookup_unique_intake_token",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class LookupCandidate(models.Model):
    lookup = models.ForeignKey(Lookup, on_delete=models.CASCADE, related_name="candidates")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="lookup_candidates")
    score = models.FloatField()
    outcome = models.CharField(max_length=10, choices=Lookup.Outcome.choices)
    explanation = models.JSONField(default=dict)
    # Set by a reviewer's decision: True = the person's case, False = not theirs.
    confirmed = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["lookup", "case"], name="candidate_unique_case"),
        ]

    def __str__(self) -> str:
        return f"{self.lookup_id} → {self.case_id} ({self.score:.1f})"


class ReviewQueueItem(Lookup):
    """A lookup as the review queue shows it: a second admin list over the same rows."""

    class Meta:
        proxy = True
        # Access follows Lookup's "decide_lookup" permission; no separate permissions to grant.
        default_permissions = ()
        ordering = ["created_at"]
        verbose_name = _("review queue item")
        verbose_name_plural = _("review queue")


class ReviewDecision(models.Model):
    class Decision(models.TextChoices):
        CONFIRM = "confirm", _("Confirm: these are the person's cases")
        REJECT = "reject", _("Reject: not this person")
        MORE_INFO = "more_info", _("Ask the person for more information")
        # Not a decision on the cases: the person answered and the lookup is back in review.
        REOPEN = "reopen", _("Reopened with the person's answer")

    lookup = models.ForeignKey(Lookup, on_delete=models.CASCADE, related_name="decisions")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"))
    # For MORE_INFO: what the person is asked for, sent in the notification.
    message_to_person = models.TextField(_("message to the person"), blank=True)
    confirmed_cases = models.ManyToManyField(Case, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Last line of defence behind review_decide's row lock: one final answer per lookup.
            models.UniqueConstraint(
                fields=["lookup"],
                condition=Q(decision__in=["confirm", "reject"]),
                name="review_one_final_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lookup_id}: {self.decision}"


# Sent each time the person asks (limited by rate); every other kind once per lookup and channel.
REPEATABLE_NOTIFICATION_KINDS = ("code", "answer_again")


class Notification(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Request received")
        RESULT_MATCH = "result_match", _("Result: dismissal found")
        RESULT_POSSIBLE = "result_possible", _("Result: being reviewed")
        RESULT_NO_MATCH = "result_no_match", _("Result: not found")
        REVIEW_DECIDED = "review_decided", _("Review decided")
        MORE_INFO = "more_info", _("More information needed")
        CODE = "code", _("One-time code")
        ANSWER_AGAIN = "answer_again", _("Answer sent again")
        SOMEONE_ELSE_ASKED = "someone_else_asked", _("Someone else asked about these details")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Suppressed (opted out)")

    lookup = models.ForeignKey(Lookup, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    language = models.CharField(max_length=5, default="en")
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    provider_message_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["lookup", "kind", "channel"],
                condition=~Q(kind__in=REPEATABLE_NOTIFICATION_KINDS),
                name="notification_once_per_kind_channel",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lookup_id} {self.kind} {self.channel}"


class Suppression(models.Model):
    """A recipient who opted out (SMS STOP or email unsubscribe) gets nothing more.

    The address is kept as a keyed hash (screener.notifications.suppressions): the list must
    outlive every lookup, so it may not hold the addresses themselves; a message about to go out
    is checked by hashing its recipient the same way.
    """

    channel = models.CharField(max_length=8, choices=Notification.Channel.choices)
    recipient_hash = models.CharField(max_length=64, editable=False)
    reason = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "recipient_hash"], name="suppression_unique_hash"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.recipient_hash[:8]}"


class ContactCode(models.Model):
    """A one-time code sent to a lookup's contact; typing it proves control of the contact.

    Made when its message is sent (screener.notifications.secrets), stored only as a keyed hash.
    A newer code revokes the older one, so at most one is live per lookup.
    """

    lookup = models.ForeignKey(Lookup, on_delete=models.CASCADE, related_name="contact_codes")
    channel = models.CharField(max_length=8, choices=Notification.Channel.choices)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    failed_tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    # A newer code replaced it, or its tries ran out.
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["lookup"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="contact_code_one_live",
            ),
        ]

    def __str__(self) -> str:
        return f"code {self.pk} for lookup {self.lookup_id}"


class ResultLink(models.Model):
    """A link to a person's answer, sent in a message: an opaque random token, stored hashed.

    Opening it asks for the date of birth; wrong dates lock the link for a while, longer each
    time, never for good (screener.access.links).
    """

    lookup = models.ForeignKey(Lookup, on_delete=models.CASCADE, related_name="result_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    failed_tries = models.PositiveSmallIntegerField(default=0)
    lockouts = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"link {self.pk} for lookup {self.lookup_id}"


class IdentityProof(models.Model):
    """How the person a lookup is about proved who they are (disclosure level 2).

    Records the kind of ID that was checked, never its number: there is no field for one.
    """

    class Method(models.TextChoices):
        CASE_NUMBER = "case_number", _("Typed the number of one of their cases")
        IN_PERSON = "in_person", _("Photo ID checked in person")
        CALL = "call", _("Verified on a call")
        PROVIDER = "provider", _("Identity provider")

    class IdKind(models.TextChoices):
        DRIVER_LICENSE = "driver_license", _("Driver's license")
        STATE_ID = "state_id", _("State ID card")
        PASSPORT = "passport", _("Passport or passport card")
        CONSULAR_ID = "consular_id", _("Consular ID card (matrícula consular)")
        OTHER_PHOTO_ID = "other_photo_id", _("Other government photo ID")

    lookup = models.ForeignKey(Lookup, on_delete=models.CASCADE, related_name="identity_proofs")
    method = models.CharField(max_length=12, choices=Method.choices)
    id_kind = models.CharField(max_length=16, choices=IdKind.choices, blank=True)
    # The identity provider's name (Login.gov), for PROVIDER proofs.
    provider = models.CharField(max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Staff-checked proofs say which kind of ID was seen; the others never do.
            models.CheckConstraint(
                condition=(Q(method__in=["in_person", "call"]) & ~Q(id_kind=""))
                | (Q(method__in=["case_number", "provider"]) & Q(id_kind="")),
                name="identity_proof_id_kind_for_staff_checks",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lookup_id}: {self.method}"


class InboundWebhook(models.Model):
    """A Twilio message id already acted on: the same signed request sent again is dropped.

    Twilio's signature covers the request but no time, so a captured STOP or START could be
    replayed at will; ids are kept WEBHOOK_REPLAY_WINDOW (one day) and then pruned.
    """

    message_sid = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.message_sid


class FollowUpItem(Lookup):
    """A lookup waiting for the person's answer to "more information", as the follow-up list
    shows it (screener/admin/follow_up.py): a third admin list over the same rows."""

    class Meta:
        proxy = True
        # Access follows Lookup's "decide_lookup" permission, like the review queue.
        default_permissions = ()
        verbose_name = _("follow-up item")
        verbose_name_plural = _("follow-up list")


class FollowUpCall(models.Model):
    """A reviewer's call to a person asked for more information. No notes: what the person
    said goes into the lookup when it is reopened, and is erased with it."""

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached the person")
        NO_ANSWER = "no_answer", _("No answer")
        LEFT_MESSAGE = "left_message", _("Left a voicemail")
        WRONG_NUMBER = "wrong_number", _("Wrong or disconnected number")

    lookup = models.ForeignKey(Lookup, on_delete=models.CASCADE, related_name="follow_up_calls")
    caller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("follow-up call")
        verbose_name_plural = _("follow-up calls")

    def __str__(self) -> str:
        return f"{self.lookup_id}: {self.outcome}"


class LetterVerification(models.Model):
    """The code printed on a result letter, with which someone the person shows the letter to
    (an employer, a landlord) confirms on /verify/ that this service issued it.

    One code per lookup and outcome, so every reprint carries the same code; a letter with
    another outcome (after a review was reopened) gets a new one. The code is kept as printed,
    not hashed: reprints must show it again, and what it opens (the date, the reference and
    the outcome in general terms) is less than anyone who can read this table sees already.
    """

    class Outcome(models.TextChoices):
        FOUND = "found", _("Dismissal found")
        NOT_FOUND = "not_found", _("No dismissal found")

    # 16 characters of REFERENCE_ALPHABET (74 bits), stored without the dashes.
    code = models.CharField(max_length=16, unique=True, editable=False)
    lookup = models.ForeignKey(
        Lookup, on_delete=models.CASCADE, related_name="letter_verifications"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(max_length=5, default="en")

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["lookup", "outcome"], name="letter_verification_one_per_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"letter verification {self.pk} for lookup {self.lookup_id}"
