"""A double of an identity provider (screener.access.providers) for the tests.

It plays the provider's side of the round trip: `authorization_url` records what the site sent
and points at a made-up address; `verified_person` checks the PKCE verifier against the
challenge, as a provider would, and returns the person the test put in `FakeProvider.person`.
"""

import base64
import hashlib
from urllib.parse import urlencode

from screener.access.providers import IdentityProviderError, VerifiedPerson


class FakeProvider:
    name = "Login.gov"
    person: VerifiedPerson | None = None
    fail = False
    requests: list[dict] = []

    def authorization_url(
        self, *, redirect_uri: str, state: str, nonce: str, code_challenge: str
    ) -> str:
        FakeProvider.requests.append(
            {
                "redirect_uri": redirect_uri,
                "state": state,
                "nonce": nonce,
                "challenge": code_challenge,
            }
        )
        query = urlencode({"state": state, "redirect_uri": redirect_uri, "acr": "ial/2"})
        return f"https://idp.example.gov/openid_connect/authorize?{query}"

    def verified_person(
        self, *, code: str, redirect_uri: str, nonce: str, code_verifier: str
    ) -> VerifiedPerson:
        sent = FakeProvider.requests[-1]
        digest = hashlib.sha256(code_verifier.encode()).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        if self.fail or challenge != sent["challenge"] or nonce != sent["nonce"]:
            raise IdentityProviderError("the provider refused the code")
        if code != "good-code" or FakeProvider.person is None:
            raise IdentityProviderError("unknown code")
        return FakeProvider.person
