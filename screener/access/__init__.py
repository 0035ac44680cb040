"""How a person proves they may see their answer, and what stops someone else from seeing it.

The levels and what each may see are decided in screener/disclosure.py; this package holds the
ways to reach them and the records they leave, one module per job:
- `session`: which lookup this browser may see, at which level (the Django session).
- `codes`: one-time codes sent to the lookup's contact (level 1).
- `links`: the result links messages carry (opaque tokens, stored hashed, with a lockout), and
  "send my answer again".
- `identity`: the ways to level 2 (a case number of one's own cases, a photo ID checked in person
  or a verified call, an identity provider) and the dates of birth a lookup accepts.
- `providers`: the identity-provider interface (OIDC-style, such as Login.gov at IAL2).
- `abuse`: the same person asked about from another contact is held for staff; limits on how
  many people one contact or one browser may ask about; the staff report.
- `retention`: erasing what this package stores once it is no longer needed.
"""
