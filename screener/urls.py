from django.urls import path

from screener import access_views, verify_views, views

app_name = "screener"

# No personal data ever travels in these URLs: the forms post, and the pages after the form read
# the lookup from the session. A result link's token (random, no id inside) is moved from the
# address into the session on its first request.
urlpatterns = [
    path("", views.home, name="home"),
    path("check/", views.lookup_start, name="lookup"),
    path("check/received/", access_views.lookup_received, name="lookup_received"),
    path("status/", views.status, name="status"),
    path("code/", access_views.code, name="code"),
    path("r/open/", access_views.link_open, name="link_open"),
    path("r/<str:token>/", access_views.link, name="link"),
    path("my-request/", access_views.result, name="result"),
    path("my-request/case-number/", access_views.case_number, name="case_number"),
    path("my-request/letter/", access_views.letter, name="letter"),
    path("my-request/letter.pdf", access_views.letter_download, name="letter_pdf"),
    path("my-request/identity/", access_views.identity_start, name="identity_start"),
    path("my-request/close/", access_views.close, name="close"),
    path("identity/return/", access_views.identity_return, name="identity_return"),
    path("verify/", verify_views.verify, name="verify"),
    path("about/", access_views.about, name="about"),
    path("privacy/", access_views.privacy, name="privacy"),
]
