from django.urls import path

from eligibility import views

app_name = "eligibility"

# No answer ever travels in these URLs: the questionnaire posts, and every other page reads the
# answers from the session.
urlpatterns = [
    path("", views.start, name="start"),
    path("result/", views.result, name="result"),
    path("worksheet.pdf", views.worksheet_pdf, name="worksheet_pdf"),
    path("summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("clear/", views.clear, name="clear"),
]
