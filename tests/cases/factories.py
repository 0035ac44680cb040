"""factory_boy factories for the cases app.

Cases are written the way production writes them, through the importer (cases_import), so that
their normalized fields, charges and search keys are the importer's: a case made any other way
would not be found by the matching engine.
"""

import importlib

import factory
from factory.django import DjangoModelFactory

from cases.importer.pipeline import cases_import
from cases.models import Case, DismissalBatch
from cases.normalize import case_normalize_number


class CaseRowFactory(factory.DictFactory):
    """One row of the documented extract, every column, as the importer reads it."""

    case_number = factory.Sequence(lambda n: f"BA{200000 + n}")
    last_name = "LOPEZ GARCIA"
    first_name = "MARIA"
    middle_name = ""
    date_of_birth = "1970-01-02"
    aliases = ""
    charge_codes = "HS 11359"
    conviction_date = "1995-06-01"
    court = "Los Angeles Superior Court"
    batch = "DOJ-AB1793-2020"
    relief = "dismissed_and_sealed"
    relief_date = "2020-02-13"
    cii_number = ""


class DismissalBatchFactory(DjangoModelFactory):
    class Meta:
        model = DismissalBatch
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"TEST-BATCH-{n}")
    name = factory.LazyAttribute(lambda batch: f"Test batch {batch.slug}")


def batches_ensure() -> None:
    """The migration creates the LA batches; a transactional test before this one flushed them."""
    migration = importlib.import_module("cases.migrations.0002_dismissal_batches")
    for batch in migration.BATCHES:
        DismissalBatchFactory(**batch)


class CaseFactory(factory.Factory):
    """A case imported from one extract row (the keyword arguments are the row's columns)."""

    class Meta:
        model = Case

    @classmethod
    def _create(cls, model_class, **row) -> Case:
        record = CaseRowFactory(**row)
        run = cases_import(rows=[record], file_name="factory.csv")
        assert run.rejected_count == 0, run.rejected_rows
        return model_class.objects.get(
            court=record["court"],
            case_number_normalized=case_normalize_number(record["case_number"]),
        )
