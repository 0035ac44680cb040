"""Audit rows for staff signing in, failing to, being locked out, and signing out.

Connected to django.contrib.auth's and django-axes' signals in AuditConfig.ready(): those are
the only places that know. A failed sign-in records a keyed hash of the name typed (it may be
anyone's email or a mistyped password), and the account when one has that username.
"""

from django.contrib.auth import get_user_model

from audit.actions import Action
from audit.hashing import keyed_hash
from audit.request import client_ip
from audit.services import audit_record


def _ip(request) -> str | None:
    return client_ip(request) if request is not None else None


def on_logged_in(sender, request, user, **kwargs) -> None:
    audit_record(
        actor=user, action=Action.STAFF_LOGGED_IN, summary="Signed in", ip_address=_ip(request)
    )


def on_logged_out(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    audit_record(
        actor=user, action=Action.STAFF_LOGGED_OUT, summary="Signed out", ip_address=_ip(request)
    )


def _account(username: str):
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str((credentials or {}).get("username") or "")
    audit_record(
        actor=_account(username),
        action=Action.STAFF_LOGIN_FAILED,
        summary="Sign-in failed",
        detail={"username_hash": keyed_hash("login", username.casefold())},
        ip_address=_ip(request),
    )


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    name = str(username or "")
    audit_record(
        actor=_account(name),
        action=Action.STAFF_LOCKED_OUT,
        summary="Sign-in locked after too many failures",
        detail={"username_hash": keyed_hash("login", name.casefold())},
        ip_address=_ip(request) if request is not None else ip_address,
    )
