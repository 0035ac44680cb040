"""Where uploaded extracts, partner screening files and their results are kept.

They hold whole batches of people's names, dates of birth and cases, so they live outside any
directory a web server serves (PRIVATE_UPLOAD_ROOT, not MEDIA_ROOT), readable by the service's
own user only, and have no URL: staff download results through the permission-checked, audited
view of the screening admin.
"""

import os
from functools import cache

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateUploadStorage(FileSystemStorage):
    def __init__(self) -> None:
        super().__init__(
            base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700
        )

    # Read from the settings each time, so that tests and deployments can move it.
    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_UPLOAD_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Uploaded files have no URL; they are read through the admin's views.")


@cache
def private_upload_storage() -> PrivateUploadStorage:
    """The storage of uploaded files (a callable, so that migrations name it, not its path)."""
    return PrivateUploadStorage()
