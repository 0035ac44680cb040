"""Staff admin for the case database: batches, cases (read-only), import runs and uploads.

Cases change only through imports, so that their search keys are always computed by the
importer: the case pages are for looking, and a correction is a corrected file.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from audit.actions import Action
from audit.admin import AuditedViewsMixin, ViewActions, audit_view

from .importer.extract import HeaderError, column_map_parse
from .importer.runs import import_run_enqueue
from .models import Case, CaseAlias, CaseCharge, DismissalBatch, ImportRun, ScreeningRun
from .normalize import case_normalize_number
from .screening import results_for_download, screening_run_enqueue

# Rejected rows listed on an import run's page; the run keeps up to REJECTED_ROWS_KEPT.
REJECTED_ROWS_SHOWN = 1000


@admin.register(DismissalBatch)
class DismissalBatchAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "announced_on", "relief_date", "case_count"]
    search_fields = ["slug", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(case_count=Count("cases"))

    @admin.display(description=_("cases"), ordering="case_count")
    def case_count(self, obj: DismissalBatch) -> int:
        return obj.case_count


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CaseAliasInline(_ReadOnlyInline):
    model = CaseAlias
    fields = ["full_name", "first_name", "last_name"]


class CaseChargeInline(_ReadOnlyInline):
    model = CaseCharge
    fields = ["code"]


@admin.register(Case)
class CaseAdmin(AuditedViewsMixin, admin.ModelAdmin):
    """Opening a case, its history, or searching cases is audited (audit/admin.py)."""

    audit_actions = ViewActions(
        viewed=Action.CASE_VIEWED,
        history_viewed=Action.CASE_HISTORY_VIEWED,
        searched=Action.CASE_SEARCHED,
        listed=Action.CASE_LISTED,
    )

    # No names or dates of birth in the list: a case is found by number or searched by name,
    # and its page (audited) shows the person.
    list_display = ["case_number", "court", "conviction_date", "batch", "relief"]
    list_filter = ["batch", "relief", "placeholder_name"]
    list_select_related = ["batch"]
    search_fields = ["case_number", "case_number_normalized", "last_name", "first_name"]
    inlines = [CaseAliasInline, CaseChargeInline]
    fields = [
        ("court", "case_number", "case_number_normalized"),
        ("last_name", "first_name", "middle_name"),
        ("date_of_birth", "cii_number", "placeholder_name"),
        ("conviction_date", "relief", "relief_date", "batch"),
        "search_key_list",
        ("import_run", "created_at", "updated_at"),
    ]
    readonly_fields = [
        "case_number_normalized",
        "placeholder_name",
        "search_key_list",
        "import_run",
        "created_at",
        "updated_at",
    ]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Staff type case numbers with or without spaces and dashes.
        number = case_normalize_number(search_term)
        if number:
            results = results | queryset.filter(case_number_normalized=number)
        return results, may_have_duplicates

    @admin.display(description=_("search keys"))
    def search_key_list(self, obj: Case) -> str:
        return ", ".join(obj.search_keys.order_by("key").values_list("key", flat=True))


def upload_size_check(upload) -> None:
    """Refuse a file over UPLOAD_MAX_MEGABYTES, saying how large it is and what is taken."""
    limit = settings.UPLOAD_MAX_MEGABYTES
    if upload and upload.size > limit * 1024 * 1024:
        raise forms.ValidationError(
            _(
                "This file is %(size)s MB; the largest file taken is %(limit)s MB. "
                "Split it into smaller files and upload each one."
            )
            % {"size": f"{upload.size / (1024 * 1024):,.0f}", "limit": limit}
        )


class ImportUploadForm(forms.ModelForm):
    column_map_text = forms.CharField(
        label=_("column map"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One source=target per line, to read a differently named column."),
    )

    class Meta:
        model = ImportRun
        fields = ["upload", "default_batch", "dry_run"]
        help_texts = {
            "upload": _("CSV extract with a header row."),
            "default_batch": _("Used for rows whose batch column is empty or missing."),
            "dry_run": _("Validate and count only; no case is written."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].required = True

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload and not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Upload a CSV file."))
        upload_size_check(upload)
        return upload

    def clean_column_map_text(self) -> dict[str, str]:
        lines = self.cleaned_data["column_map_text"].splitlines()
        try:
            return column_map_parse(line for line in lines if line.strip())
        except HeaderError:
            raise forms.ValidationError(
                _("Write each line as source=target, e.g. DOB=date_of_birth.")
            ) from None


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "file_name",
        "status",
        "source",
        "dry_run",
        "created_at",
        "started_by",
        "rows_processed",
        "created_count",
        "updated_count",
        "unchanged_count",
        "rejected_count",
    ]
    list_filter = ["status", "source", "dry_run"]
    search_fields = ["file_name", "checksum"]
    list_select_related = ["started_by"]
    fields = [
        ("file_name", "checksum"),
        ("source", "started_by"),
        ("default_batch", "column_map", "dry_run"),
        ("status", "progress"),
        ("created_at", "started_at", "finished_at"),
        ("rows_read", "created_count", "updated_count", "unchanged_count", "rejected_count"),
        "warning_list",
        "rejected_row_table",
        "error",
    ]
    readonly_fields = ["progress", "warning_list", "rejected_row_table", "created_at"]
    add_form = ImportUploadForm

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["upload", "default_batch", "dry_run", "column_map_text"]
        return super().get_fields(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj: ImportRun, form, change: bool) -> None:
        obj.file_name = obj.upload.name.rsplit("/", 1)[-1][:255]
        obj.column_map = form.cleaned_data["column_map_text"]
        obj.source = ImportRun.Source.ADMIN
        obj.started_by = request.user
        import_run_enqueue(import_run=obj)
        audit_view(
            request,
            obj,
            action=Action.IMPORT_UPLOADED,
            summary=f"Import run {obj.pk} uploaded ({obj.file_name})",
        )

    @admin.display(description=_("progress"))
    def progress(self, obj: ImportRun) -> str:
        return _("%(processed)s rows processed (%(status)s)") % {
            "processed": f"{obj.rows_processed:,}",
            "status": obj.get_status_display(),
        }

    @admin.display(description=_("warnings"))
    def warning_list(self, obj: ImportRun) -> str:
        return format_html_join("", "<p>{}</p>", ((w,) for w in obj.warnings)) or "-"

    @admin.display(description=_("rejected rows"))
    def rejected_row_table(self, obj: ImportRun) -> str:
        if not obj.rejected_rows:
            return "-"
        shown = obj.rejected_rows[:REJECTED_ROWS_SHOWN]
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td></tr>", ((r["line"], r["reason"]) for r in shown)
        )
        note = ""
        if obj.rejected_count > len(shown):
            note = _("First %(shown)s of %(total)s rejected rows.") % {
                "shown": f"{len(shown):,}",
                "total": f"{obj.rejected_count:,}",
            }
        return format_html(
            "<p>{}</p><table><thead><tr><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            note,
            _("line"),
            _("reason"),
            rows,
        )


class ScreeningUploadForm(forms.ModelForm):
    class Meta:
        model = ScreeningRun
        fields = ["input_file"]
        help_texts = {
            "input_file": _(
                "CSV with the columns query_id, first_name, middle_name, last_name, "
                "date_of_birth (YYYY-MM-DD or MM/DD/YYYY) and case_number."
            ),
        }

    def clean_input_file(self):
        upload = self.cleaned_data["input_file"]
        if upload and not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Upload a CSV file."))
        upload_size_check(upload)
        return upload


@admin.register(ScreeningRun)
class ScreeningRunAdmin(admin.ModelAdmin):
    """Partner bulk screening: upload a file, the worker screens it, staff download the results.

    The results name cases, so they are served through a permission-checked view, never from
    MEDIA_URL.
    """

    list_display = [
        "id",
        "created_at",
        "started_by",
        "status",
        "progress",
        "match_count",
        "possible_count",
        "no_match_count",
        "error_count",
        "results_link",
    ]
    list_filter = ["status"]
    list_select_related = ["started_by"]
    fields = [
        ("status", "progress"),
        ("started_by", "created_at", "finished_at"),
        ("match_count", "possible_count", "no_match_count", "error_count"),
        "results_link",
        "error",
    ]
    # readonly_fields takes names, not the rows of `fields`.
    readonly_fields = [
        name for row in fields for name in (row if isinstance(row, tuple) else (row,))
    ]
    form = ScreeningUploadForm

    def get_fields(self, request, obj=None):
        return ["input_file"] if obj is None else super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else super().get_readonly_fields(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj: ScreeningRun, form, change: bool) -> None:
        obj.started_by = request.user
        screening_run_enqueue(screening_run=obj)
        audit_view(
            request,
            obj,
            action=Action.SCREENING_UPLOADED,
            summary=f"Screening run {obj.pk} uploaded",
        )

    def get_urls(self):
        download = self.admin_site.admin_view(self.download_view)
        return [
            path("<int:pk>/results/", download, name="cases_screeningrun_results"),
            *super().get_urls(),
        ]

    def download_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        run = get_object_or_404(ScreeningRun, pk=pk)
        if not run.output_file:
            raise Http404
        audit_view(
            request,
            run,
            action=Action.SCREENING_DOWNLOADED,
            summary=f"Screening run {run.pk} results downloaded",
        )
        # Re-checked on the way out, so that files stored before possible rows lost their case
        # numbers and cells were escaped go out as screen_csv writes them now.
        with run.output_file.open("rb") as stored:
            body = results_for_download(stored.read())
        response = HttpResponse(body, content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="screening-{run.pk}-results.csv"'
        return response

    @admin.display(description=_("progress"))
    def progress(self, obj: ScreeningRun) -> str:
        return _("%(processed)s of %(total)s rows (%(status)s)") % {
            "processed": f"{obj.rows_processed:,}",
            "total": f"{obj.rows_read:,}",
            "status": obj.get_status_display(),
        }

    @admin.display(description=_("results"))
    def results_link(self, obj: ScreeningRun) -> str:
        if not obj.output_file:
            return "-"
        url = reverse("admin:cases_screeningrun_results", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download results (CSV)"))
