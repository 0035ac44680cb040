"""Write the name lists the matching engine reads (cases/matching/data/*.txt) from Faker.

    .venv/bin/python scripts/name_lists.py

Faker's person providers are census- and registry-derived samples of real given names and
surnames (English, Spanish and Mexican). Whether a word is a real name decides some matches (a
slip between two real names, MARTIN and MARVIN, is not a typo), so the lists are frozen in the
repository instead of being read from whatever Faker is installed. To take a newer Faker's lists,
raise NAME_LISTS_VERSION in cases/matching/names.py, run this script, and run the matching
benchmark (benchmarks/matching_eval.py) to see who matches differently.
"""

import sys
from datetime import date
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cases.matching.names import (  # noqa: E402 (after the path is set)
    GIVEN_NAMES_FILE,
    NAME_LISTS_VERSION,
    SURNAMES_FILE,
    name_words,
)

PROVIDERS = ("en_US", "es_ES", "es_MX")
GIVEN_ATTRIBUTES = ("first_names_male", "first_names_female", "first_names")
SURNAME_ATTRIBUTES = ("last_names",)


def _faker_names(attributes: tuple[str, ...]) -> set[str]:
    from importlib import import_module

    names: set[str] = set()
    for locale in PROVIDERS:
        provider = import_module(f"faker.providers.person.{locale}").Provider
        for attribute in attributes:
            names.update(getattr(provider, attribute, ()))
    return names


def _write(path: Path, what: str, attributes: tuple[str, ...], words: frozenset[str]) -> None:
    header = [
        f"{what} known to the matching engine (cases/matching/names.py), one folded word a line.",
        f"Source: Faker {version('faker')}, person providers {', '.join(PROVIDERS)},",
        f"attributes {', '.join(attributes)}; each name folded (cases/matching/normalize.py:",
        "fold) into words of two letters or more.",
        f"Written by scripts/name_lists.py on {date.today().isoformat()}.",
        f"NAME_LISTS_VERSION {NAME_LISTS_VERSION}",
    ]
    lines = [f"# {line}" for line in header] + sorted(words)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {len(words):,} words")


def main() -> None:
    given = name_words(_faker_names(GIVEN_ATTRIBUTES))
    surnames = name_words(_faker_names(SURNAME_ATTRIBUTES))
    _write(GIVEN_NAMES_FILE, "Given names", GIVEN_ATTRIBUTES, given)
    _write(SURNAMES_FILE, "Surnames", SURNAME_ATTRIBUTES, surnames)


if __name__ == "__main__":
    main()
