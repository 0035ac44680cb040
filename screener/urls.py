from django.urls import path

from screener import views

app_name = "screener"

# No personal data ever travels in these URLs: the forms post, and the confirmation page reads
# the reference code from the session.
urlpatterns = [
    path("", views.home, name="home"),
    path("check/", views.lookup_start, name="lookup"),
    path("check/received/", views.lookup_received, name="lookup_received"),
    path("status/", views.status, name="status"),
    path("letter/<str:token>/", views.letter, name="letter"),
]
