"""factory_boy factories for the audit app: entries written by audit_record, the one way in."""

import factory

from audit.actions import Action
from audit.models import AuditLog
from audit.services import audit_record


class AuditLogFactory(factory.Factory):
    class Meta:
        model = AuditLog

    actor = None
    action = Action.LOOKUP_VIEWED
    summary = factory.Sequence(lambda n: f"Entry {n}")

    @classmethod
    def _create(cls, model_class, **kwargs) -> AuditLog:
        return audit_record(**kwargs)
