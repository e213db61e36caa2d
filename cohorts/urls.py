from django.urls import path

from .views import certificates, cohorts, erasure, readiness, registers

app_name = "cohorts"

urlpatterns = [
    path("", cohorts.cohort_list, name="cohort_list"),
    path("<id:pk>/", cohorts.cohort_detail, name="cohort_detail"),
    path("<id:pk>/completion/", cohorts.completion_summary, name="completion_summary"),
    path("deliveries/<id:pk>/register/", registers.register, name="register"),
    path("deliveries/<id:pk>/register.pdf", registers.paper_register, name="paper_register"),
    path("trainees/<id:pk>/", cohorts.trainee_progress, name="trainee_progress"),
    path("trainees/<id:pk>/erase/", erasure.erase, name="erase_trainee"),
    path("my-progress/", cohorts.my_progress, name="my_progress"),
    path("establishments/<slug:code>/readiness/", readiness.readiness_page, name="readiness"),
    path(
        "establishments/<slug:code>/trainer-stages/new/",
        readiness.record_stage,
        name="record_stage",
    ),
    path(
        "<id:cohort_pk>/certificates/<id:trainee_pk>.pdf",
        certificates.certificate,
        name="certificate",
    ),
    path("certificates/check/", certificates.check_certificate, name="check_certificate"),
]
