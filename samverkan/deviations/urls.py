"""URLs of the deviation pages (included under /avvikelser/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.deviation_list, name="deviation_list"),
    path("ny/", views.report_deviation, name="deviation_report"),
    path("analys/", views.analysis, name="deviation_analysis"),
    path("analys/<int:year>.pdf", views.analysis_pdf, name="deviation_analysis_pdf"),
    path("analys/<int:year>.xlsx", views.analysis_xlsx, name="deviation_analysis_xlsx"),
    path("<uuid:public_id>/", views.deviation_detail, name="deviation_detail"),
    path("<uuid:public_id>/<slug:action>/", views.deviation_action, name="deviation_action"),
]
