"""Rewrite a .po catalogue sorted by msgid and without source locations.

    .venv/bin/python scripts/po_tidy.py locale/es/LC_MESSAGES/django.po

Entries carry no "#: file:line" comments, so moving code never rewrites the catalogue, and
sorted entries let parallel branches add translations that merge side by side (.gitattributes).
"""

import sys

from babel.messages.pofile import read_po, write_po


def main(path: str) -> None:
    with open(path, "rb") as source:
        catalog = read_po(source)
    with open(path, "wb") as target:
        write_po(target, catalog, no_location=True, sort_output=True, width=100)


if __name__ == "__main__":
    main(sys.argv[1])
