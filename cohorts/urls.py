from django.urls import path

from .views import (
    calendars,
    certificates,
    changes,
    cohorts,
    erasure,
    overview,
    readiness,
    registers,
)

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
    # Starting, scheduling and changing cohorts (staff who run cohorts)
    path("new/", changes.choose_establishment, name="new_cohort"),
    path("establishments/<slug:code>/new/", changes.start_cohort, name="start_cohort"),
    path("<id:pk>/schedule/", changes.schedule, name="schedule"),
    path("<id:pk>/deliveries/new/", changes.add_delivery, name="add_delivery"),
    path("deliveries/<id:pk>/move/", changes.move_delivery, name="move_delivery"),
    path("deliveries/<id:pk>/cancel/", changes.cancel_delivery, name="cancel_delivery"),
    path("<id:pk>/join/", changes.add_late_joiners, name="add_late_joiners"),
    path("<id:pk>/trainees/<id:trainee_pk>/leave/", changes.record_leaving, name="leave"),
    path("trainees/<id:pk>/shadowing/new/", changes.record_shadowing, name="record_shadowing"),
    path("shadowing/<id:pk>/log/new/", changes.add_shadowing_note, name="add_shadowing_note"),
    # Calendars and the overview
    path("<id:pk>/calendar.ics", calendars.cohort_calendar, name="cohort_calendar"),
    path("calendar/", calendars.calendar_page, name="calendar"),
    path("calendar/mine.ics", calendars.my_calendar, name="my_calendar"),
    path("calendar/reset/", calendars.reset_calendar, name="reset_calendar"),
    path("calendar/feed/<str:token>/mine.ics", calendars.feed_mine, name="feed_mine"),
    path("calendar/feed/<str:token>/<id:pk>.ics", calendars.feed_cohort, name="feed_cohort"),
    path("overview/", overview.overview, name="overview"),
]
