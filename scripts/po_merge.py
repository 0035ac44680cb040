"""A git merge driver for .po catalogues: merges entries by msgid, never line by line.

    git config merge.po.driver ".venv/bin/python scripts/po_merge.py %O %A %B"

(.gitattributes names the driver for *.po.) An entry added or changed on one side only is
taken from that side; changed on both, ours wins and the merge reports it; removed on one side
and unchanged on the other, it goes. The result is written sorted and without source locations,
as scripts/po_tidy.py writes it.
"""

import sys

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po


def _read(path: str) -> Catalog:
    with open(path, "rb") as source:
        return read_po(source)


def _entries(catalog: Catalog) -> dict:
    return {(message.context, message.id): message for message in catalog if message.id}


def _put(catalog: Catalog, message) -> None:
    # Catalog.__setitem__ keeps an existing entry's string: replace the entry instead.
    if (message.context, message.id) in _entries(catalog):
        catalog.delete(message.id, context=message.context)
    catalog[message.id] = message


def _same(a, b) -> bool:
    return a is not None and b is not None and (a.string, a.flags) == (b.string, b.flags)


def merge(base_path: str, ours_path: str, theirs_path: str) -> int:
    base, ours, theirs = (_entries(_read(p)) for p in (base_path, ours_path, theirs_path))
    result = _read(ours_path)
    conflicts = 0
    for key in set(ours) | set(theirs) | set(base):
        b, o, t = base.get(key), ours.get(key), theirs.get(key)
        if _same(o, t) or (t is None and b is None):
            continue
        if o is None and t is None:
            continue
        if o is None:  # removed on our side, or added on theirs
            if b is None or not _same(t, b):
                _put(result, t)
            continue
        if t is None:  # removed on their side
            if _same(o, b):
                result.delete(key[1], context=key[0])
            continue
        if _same(o, b):
            _put(result, t)
        elif not _same(t, b):
            conflicts += 1
            print(f"po_merge: both sides changed {key[1]!r}; kept ours", file=sys.stderr)
    with open(ours_path, "wb") as target:
        write_po(target, result, no_location=True, sort_output=True, width=100)
    return 0


if __name__ == "__main__":
    sys.exit(merge(*sys.argv[1:4]))
