"""The dismissal batches, their cases, and the import runs that loaded them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.storage import private_upload_storage


class DismissalBatch(models.Model):
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    relief_date = models.DateField(_("relief date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("dismissal batch")
        verbose_name_plural = _("dismissal batches")
        ordering = ["announced_on", "slug"]

    def __str__(self) -> str:
        return self.name


class Relief(models.TextChoices):
    DISMISSED_AND_SEALED = "dismissed_and_sealed", _("Dismissed and sealed")
    REDUCED = "reduced", _("Reduced")
    OTHER = "other", _("Other relief")


class ImportRun(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        COMPLETED_WITH_REJECTIONS = "completed_with_rejections", _("Completed with rejected rows")
        FAILED = "failed", _("Failed")

    class Source(models.TextChoices):
        COMMAND = "command", _("Command line")
        ADMIN = "admin", _("Admin upload")

    file_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    upload = models.FileField(
        _("uploaded file"), upload_to="imports/", blank=True, storage=private_upload_storage
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.COMMAND)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    default_batch = models.ForeignKey(
        DismissalBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    column_map = models.JSONField(_("column map"), default=dict, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_processed = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    # [{"line": 12, "reason": "..."}]; reasons never repeat the row's personal data.
    rejected_rows = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"


class Case(models.Model):
    court = models.CharField(_("court"), max_length=120)
    case_number = models.CharField(_("case number"), max_length=40)
    # Indexed by the unique constraint below, which leads with it.
    case_number_normalized = models.CharField(max_length=40, editable=False)
    last_name = models.CharField(_("last name"), max_length=120)
    first_name = models.CharField(_("first name"), max_length=120)
    middle_name = models.CharField(_("middle name"), max_length=120, blank=True)
    date_of_birth = models.DateField(_("date of birth"), db_index=True)
    cii_number = models.CharField(_("CII number"), max_length=20, blank=True)
    # Set by the importer (cases/placeholders.py): the row names no one (EXPUNGED, DOE JOHN, a
    # business), so the matching engine never loads it.
    placeholder_name = models.BooleanField(
        _("placeholder name"),
        default=False,
        help_text=_(
            "The recorded name names no one (EXPUNGED, DOE JOHN, a business): never matched."
        ),
    )
    conviction_date = models.DateField(_("conviction date"), null=True, blank=True)
    relief = models.CharField(_("relief"), max_length=32, choices=Relief.choices)
    relief_date = models.DateField(_("relief date"), null=True, blank=True)
    batch = models.ForeignKey(DismissalBatch, on_delete=models.PROTECT, related_name="cases")
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    # Hash of the imported row's values: a re-import that changes nothing writes nothing.
    content_hash = models.CharField(max_length=64, editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            # The number first, so that this index also serves lookups by number alone (the
            # matching engine's) and no second index slows down imports.
            models.UniqueConstraint(
                fields=["case_number_normalized", "court"], name="case_unique_number_court"
            ),
        ]
        indexes = [
            # The matching engine gathers a person's other cases by the state's person number;
            # only cases that record one are indexed.
            models.Index(
                fields=["cii_number"], name="case_cii_number", condition=~Q(cii_number="")
            ),
        ]

    def __str__(self) -> str:
        return self.case_number


class CaseAlias(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="aliases")
    full_name = models.CharField(_("name as recorded"), max_length=255)
    first_name = models.CharField(_("first name"), max_length=120, blank=True)
    last_name = models.CharField(_("last name"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")

    def __str__(self) -> str:
        return self.full_name


class CaseCharge(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="charges")
    code = models.CharField(_("code section"), max_length=40)

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")

    def __str__(self) -> str:
        return self.code


class CaseSearchKey(models.Model):
    """Blocking keys for the matching engine, derived from the case's names.

    Written only by the importer (cases/importer/) alongside the case; see cases/matching/keys.py.
    """

    # No index of its own: the unique (case, key) index serves lookups by case, and one index
    # fewer on the largest table speeds up imports.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="search_keys", db_index=False
    )
    key = models.CharField(max_length=40)
    date_of_birth = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["key", "date_of_birth"], name="case_search_key_dob")]
        constraints = [
            models.UniqueConstraint(fields=["case", "key"], name="case_search_key_unique"),
        ]

    def __str__(self) -> str:
        return self.key


class ScreeningRun(models.Model):
    """A partner's bulk screening file (screen_csv) uploaded through the admin."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    input_file = models.FileField(
        _("queries file"), upload_to="screening/in/", storage=private_upload_storage
    )
    output_file = models.FileField(
        _("results file"), upload_to="screening/out/", blank=True, storage=private_upload_storage
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    rows_read = models.PositiveIntegerField(default=0)
    rows_processed = models.PositiveIntegerField(default=0)
    match_count = models.PositiveIntegerField(default=0)
    possible_count = models.PositiveIntegerField(default=0)
    no_match_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("screening run")
        verbose_name_plural = _("screening runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.input_file.name} ({self.status})"
