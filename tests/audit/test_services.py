"""audit_record: the one way to write the log, with the one list of action names."""

import pytest

from audit.actions import Action
from audit.models import AuditLog
from audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_a_system_action_is_recorded_with_its_enum_name():
    entry = audit_record(actor=None, action=Action.LOOKUP_ANONYMIZED, summary="3 anonymized")
    entry.refresh_from_db()
    assert (entry.action, entry.actor, entry.actor_label) == ("lookup.anonymized", None, "system")


def test_free_text_action_names_are_refused():
    with pytest.raises(TypeError):
        audit_record(actor=None, action="lookups.anonymized")
    assert not AuditLog.objects.exists()


def test_every_action_name_has_one_form_and_fits_the_column():
    max_length = AuditLog._meta.get_field("action").max_length
    for action in Action:
        thing, _dot, verb = action.value.partition(".")
        assert thing and verb and "." not in verb, action
        assert not thing.endswith("s"), f"{action}: the object is named in the singular"
        assert action.name == f"{thing}_{verb}".upper(), action
        assert len(action.value) <= max_length, action
