from django.urls import path

from . import views

urlpatterns = [
    path("metadata", views.metadata, name="fhir_metadata"),
    path("$process-message", views.process_message, name="fhir_process_message"),
]
