"""The server error page (handler500 in config/urls.py)."""

from django.http import HttpRequest, HttpResponseServerError
from django.template import loader

from screener.context_processors import service_facts


def server_error(request: HttpRequest) -> HttpResponseServerError:
    # Like Django's default handler, no RequestContext, so that a broken context processor or
    # session cannot fail the error page too; but the footer's help line needs these facts.
    return HttpResponseServerError(loader.render_to_string("500.html", service_facts()))
