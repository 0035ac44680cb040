"""The two Los Angeles County batches, so that extracts naming them import on a fresh database."""

import datetime

from django.db import migrations

BATCHES = [
    {
        "slug": "DOJ-AB1793-2020",
        "name": "2020 DOJ batch (AB 1793)",
        "source": "California Department of Justice records, identified under AB 1793 (HS 11361.9)",
        "announced_on": datetime.date(2020, 2, 13),
        "relief_date": datetime.date(2020, 2, 13),
        "notes": (
            "About 66,000 cannabis convictions for roughly 53,000 people: about 62,000 felonies "
            "going back to 1961 and about 4,000 misdemeanors from 10 city attorneys' offices. "
            "The review used DOJ data only."
        ),
    },
    {
        "slug": "LASC-REVIEW-2022",
        "name": "2022 LA Superior Court review batch",
        "source": "Los Angeles Superior Court records",
        "announced_on": datetime.date(2022, 9, 29),
        "relief_date": datetime.date(2022, 9, 29),
        "notes": (
            "About 58,000 more cases (felonies and misdemeanors, about 20,000 felonies) found in "
            "a review of Superior Court records, announced during the Week of Action and "
            "Awareness. AB 1706 (2022) required the remaining court orders by March 1, 2023."
        ),
    },
]


def create_batches(apps, schema_editor):
    DismissalBatch = apps.get_model("cases", "DismissalBatch")
    for batch in BATCHES:
        DismissalBatch.objects.get_or_create(
            slug=batch["slug"], defaults={k: v for k, v in batch.items() if k != "slug"}
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(create_batches, migrations.RunPython.noop)]
