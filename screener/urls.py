from django.urls import path

from screener import views

app_name = "screener"

urlpatterns = [
    path("", views.home, name="home"),
]
