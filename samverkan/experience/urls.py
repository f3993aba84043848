"""URLs of the follow-up calls (under /uppfoljningssamtal/) and the surveys (under /enkater/)."""

from django.urls import path

from . import views

calls = [
    path("", views.call_list, name="followup_calls"),
    path("statistik/", views.call_statistics, name="followup_call_statistics"),
    path("<uuid:public_id>/", views.call_detail, name="followup_call"),
]
surveys = [
    path("fortroende/", views.trust_survey, name="trust_survey"),
    path("sip/<uuid:public_id>/", views.sip_experience, name="sip_experience"),
]
