"""URLs of the follow-up pages (included under /uppfoljning/)."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.dashboard, name="followup_dashboard"),
    path("export.<str:fmt>", views.export, name="followup_export"),
    path("manadsrapport/", views.monthly, name="followup_monthly"),
    path("manadsrapport.<str:fmt>", views.monthly, name="followup_monthly_export"),
    path("betalningsansvar/", include("samverkan.followup.payment_urls")),
]
