from django.urls import path

from screener import notification_views

app_name = "notifications"

# The unsubscribe token is a signed lookup id: no address or name travels in these URLs.
urlpatterns = [
    path("sms/inbound/", notification_views.twilio_inbound, name="twilio_inbound"),
    path("unsubscribe/<str:token>/", notification_views.unsubscribe, name="unsubscribe"),
]
