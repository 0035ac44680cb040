"""factory_boy factories for the screener app.

A lookup is written by the real submit function (screener.services.lookup_submit), so it carries
its reference, dedupe key, audit row and life-cycle state as a submitted one does. Its
after-commit work (the check, the received message) runs only where the test runs on-commit
callbacks (TestCase.captureOnCommitCallbacks(execute=True), or a transactional test).
"""

import datetime

import factory
from factory.django import DjangoModelFactory

from screener.models import Lookup, LookupCandidate
from screener.services import LookupDetails, lookup_submit
from tests.cases.factories import CaseFactory


class LookupDetailsFactory(factory.Factory):
    """What a person types in the form."""

    class Meta:
        model = LookupDetails

    first_name = "Maria"
    last_name = "Lopez Garcia"
    date_of_birth = datetime.date(1970, 1, 2)
    email = "maria.lopez@example.org"
    language = "en"


class LookupFactory(factory.Factory):
    """A lookup submitted through lookup_submit (the same details again return the same one)."""

    class Meta:
        model = Lookup

    details = factory.SubFactory(LookupDetailsFactory)
    channel = Lookup.Channel.WEB
    submitted_by = None
    event = None

    @classmethod
    def _create(cls, model_class, *, details: LookupDetails, **kwargs) -> Lookup:
        lookup, _created = lookup_submit(details=details, **kwargs)
        return lookup


class LookupCandidateFactory(DjangoModelFactory):
    """A case the engine proposed for a lookup, as the engine writes it."""

    class Meta:
        model = LookupCandidate

    lookup = factory.SubFactory(LookupFactory)
    case = factory.SubFactory(CaseFactory)
    score = 30.0
    outcome = Lookup.Outcome.MATCH
