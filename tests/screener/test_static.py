"""The vendored USWDS assets survive production's static-file pipeline."""

from pathlib import Path

from django.core.management import call_command
from django.test import override_settings

MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_collectstatic_with_the_manifest_storage_resolves_every_css_url(tmp_path):
    # Manifest post-processing raises on any url() in a stylesheet that points at a missing file.
    with override_settings(STORAGES=MANIFEST_STORAGES, STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
    hashed_css = list(Path(tmp_path, "vendor", "uswds", "css").glob("uswds.min.*.css"))
    assert hashed_css
    assert "sourceMappingURL" not in hashed_css[0].read_text(encoding="utf-8")
    assert list(Path(tmp_path, "vendor", "uswds", "fonts").rglob("*.woff2"))
