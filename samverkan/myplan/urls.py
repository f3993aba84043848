"""Min plan's URLs under /min-plan/: the person's pages and staff's page per SIP or stay."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.start, name="myplan_start"),
    path("logga-in/", views.login, name="myplan_login"),
    path("logga-in/oidc/<slug:name>/", views.oidc_start, name="myplan_oidc"),
    path("logga-in/oidc/<slug:name>/svar/", views.oidc_callback, name="myplan_callback"),
    path("logga-ut/", views.logout, name="myplan_logout"),
    path("<uuid:public_id>/", views.plan, name="myplan_plan"),
    path("<uuid:public_id>/trygghetskvitto/", views.receipt, name="myplan_receipt"),
    path("<uuid:public_id>/vem-har-last/", views.readers, name="myplan_readers"),
    path("<uuid:public_id>/dela/", views.shares, name="myplan_shares"),
    path("<uuid:public_id>/dela/<uuid:share_id>/aterkalla/", views.revoke, name="myplan_revoke"),
    # staff's page and trygghetskvitto, per SIP or per stay (named by what the id is)
    path("personal/sip/<uuid:public_id>/", views.staff_page, {"kind": "sip"}, name="sip_myplan"),
    path(
        "personal/sip/<uuid:public_id>/trygghetskvitto/",
        views.staff_receipt,
        {"kind": "sip"},
        name="sip_myplan_receipt",
    ),
    path(
        "personal/arende/<uuid:public_id>/",
        views.staff_page,
        {"kind": "arende"},
        name="case_myplan",
    ),
    path(
        "personal/arende/<uuid:public_id>/trygghetskvitto/",
        views.staff_receipt,
        {"kind": "arende"},
        name="case_myplan_receipt",
    ),
]
