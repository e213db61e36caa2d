from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.my_learning, name="home"),
    path("sessions/<id:pk>/", views.study, name="study"),
    path("sessions/<id:pk>/answers/", views.answer, name="answer"),
    path("sessions/<id:pk>/progress/", views.progress, name="progress"),
    path(
        "trainees/<id:pk>/sessions/<id:session_pk>/",
        views.trainee_answers,
        name="trainee_answers",
    ),
    path("cohorts/<id:pk>/", views.cohort, name="cohort"),
    path(
        "cohorts/<id:pk>/self-studies/<id:self_study_pk>/confirm/",
        views.confirm,
        name="confirm",
    ),
    path("checks/", views.checks, name="checks"),
]
