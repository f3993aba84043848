"""URLs of the follow-up pages (included under /uppfoljning/)."""

from django.urls import include, path

urlpatterns = [
    path("betalningsansvar/", include("samverkan.followup.payment_urls")),
]
