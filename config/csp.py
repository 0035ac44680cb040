"""The Content Security Policy header (django-csp), strict on the public pages.

Public pages load scripts, styles, fonts and images from this site only, with no inline script
or style (site.js and site.css hold what pages need), so an injected tag runs nothing. The staff
site is Django's admin, whose templates carry inline <style> blocks: there, and only there,
inline styles are allowed too; scripts stay 'self' only.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase

STAFF_PREFIX = "/staff/"
STAFF_EXTRA = {"style-src": ["'unsafe-inline'"]}


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(STAFF_PREFIX) and parts.update is None:
            parts.update = STAFF_EXTRA
        return parts
