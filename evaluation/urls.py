from django.urls import path

from .views import exports, questionnaires, reports

app_name = "evaluation"

urlpatterns = [
    path("", reports.report_index, name="report_index"),
    path("cohorts/<id:pk>/", reports.cohort_report, name="cohort_report"),
    path("cohorts/<id:pk>/report.pdf", reports.cohort_report_pdf, name="cohort_report_pdf"),
    path("programmes/", reports.programme_comparison, name="programme_comparison"),
    path(
        "programmes/report.pdf",
        reports.programme_comparison_pdf,
        name="programme_comparison_pdf",
    ),
    path(
        "establishments/<slug:code>/scheme-health/",
        reports.scheme_health_page,
        name="scheme_health",
    ),
    path("export.csv", exports.export_csv, name="export_csv"),
    path("export.xlsx", exports.export_xlsx, name="export_xlsx"),
    path("questionnaires/", questionnaires.my_questionnaires, name="my_questionnaires"),
    path("questionnaires/<slug:slug>/", questionnaires.fill_in, name="fill_in"),
    path("questionnaires/<slug:slug>/form.pdf", questionnaires.paper_form, name="paper_form"),
    path("responses/new/", questionnaires.key_in, name="key_in"),
]
