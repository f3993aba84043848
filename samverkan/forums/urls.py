"""URLs of the forum pages (included under /forum/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.forum_index, name="forum_index"),
    path("uppdrag/", views.assignments, name="forum_assignments"),
    path("uppdrag/<uuid:public_id>/klart/", views.complete, name="assignment_done"),
    path("sok/", views.search, name="forum_search"),
    path("mote/<uuid:public_id>/", views.meeting_detail, name="meeting_detail"),
    path("mote/<uuid:public_id>/protokoll.pdf", views.minutes_pdf, name="meeting_pdf"),
    path(
        "mote/<uuid:public_id>/handling/<uuid:document_id>/",
        views.document,
        name="meeting_document",
    ),
    path(
        "mote/<uuid:public_id>/punkt/<uuid:item_id>/<slug:action>/",
        views.item_action,
        name="meeting_item_action",
    ),
    path("mote/<uuid:public_id>/<slug:action>/", views.meeting_action, name="meeting_action"),
    path("<uuid:public_id>/", views.forum_detail, name="forum_detail"),
    path("<uuid:public_id>/arbetsgrupper/", views.forum_groups, name="forum_groups"),
    path(
        "<uuid:public_id>/arbetsgrupper/<slug:action>/",
        views.forum_group_action,
        name="forum_group_action",
    ),
    path("<uuid:public_id>/<slug:plan>/", views.forum_plan, name="forum_plan"),
]
