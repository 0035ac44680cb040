"""The identity-provider interface: a way to level 2 through a provider that proofs identity.

Shaped after OpenID Connect's authorization-code flow with PKCE, as Login.gov uses it at IAL2
(identity verified against records, with a photo ID): the site sends the browser to the
provider with a state, a nonce and a code challenge; the provider sends it back with a code; the
site exchanges the code for the person's verified name and date of birth.

`IDENTITY_PROVIDER` names the class (a dotted path); empty, the site offers no provider. None is
wired in: a provider needs an agreement, registered keys and its own client. A provider class
implements `IdentityProvider`; the tests use a double (tests/screener/identity_double.py).
"""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class IdentityProviderError(Exception):
    """The provider refused, failed, or sent back something we cannot trust. Not for the page."""


@dataclass(frozen=True)
class VerifiedPerson:
    """What the provider vouches for."""

    given_name: str
    family_name: str
    birthdate: date
    # The provider verified this identity at NIST SP 800-63-3 IAL2 or above (Login.gov's
    # "verified" level); only such an identity counts as proof.
    ial2: bool


class IdentityProvider(Protocol):
    # Shown on the button ("Prove who you are with Login.gov"); a brand name, not translated.
    name: str

    def authorization_url(
        self, *, redirect_uri: str, state: str, nonce: str, code_challenge: str
    ) -> str:
        """Where to send the browser (the provider's authorization endpoint with these values)."""

    def verified_person(
        self, *, code: str, redirect_uri: str, nonce: str, code_verifier: str
    ) -> VerifiedPerson:
        """Exchange the code for the person's verified claims. Raises IdentityProviderError."""


@dataclass(frozen=True)
class AuthorizationRequest:
    """The values one round trip to the provider needs; kept in the session until it returns."""

    state: str
    nonce: str
    code_verifier: str

    @property
    def code_challenge(self) -> str:
        """PKCE S256 (RFC 7636): the provider checks the verifier sent with the code against it."""
        digest = hashlib.sha256(self.code_verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorization_request_new() -> AuthorizationRequest:
    return AuthorizationRequest(
        state=secrets.token_urlsafe(24),
        nonce=secrets.token_urlsafe(24),
        code_verifier=secrets.token_urlsafe(48),
    )


def identity_provider() -> IdentityProvider | None:
    """The configured provider, or None when IDENTITY_PROVIDER is empty."""
    path = settings.IDENTITY_PROVIDER
    return import_string(path)() if path else None
