"""The error pages: a server error (handler500 in config/urls.py), and the database being down.

When the database cannot be reached nothing of the request was stored (it is the first thing
every change does, and a failed transaction keeps nothing), so the person is told that, and to
come back: a 503 with Retry-After rather than the generic "something went wrong".
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader

from screener.context_processors import service_facts

# Connection refused, lost or timed out, the server shutting down, a deadlock: the transaction
# was rolled back and trying again later can work.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 120


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its `except` block, so the exception is the one being handled.
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    # Like Django's default handler, no RequestContext, so that a broken context processor or
    # session cannot fail the error page too; but the footer's help line needs these facts.
    return HttpResponseServerError(loader.render_to_string("500.html", service_facts()))


def database_unavailable(request: HttpRequest) -> HttpResponse:
    # No RequestContext either: the session and the user live in the database that is down.
    response = HttpResponse(loader.render_to_string("503.html", service_facts()), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
