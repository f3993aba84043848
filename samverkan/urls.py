"""URL map; public ids in URLs are UUIDs, never database ids."""

from django.contrib import admin
from django.urls import include, path

from samverkan.accounts import views as accounts
from samverkan.api.urls import api
from samverkan.audit import views as audit
from samverkan.cases import views as cases
from samverkan.directory import views as directory
from samverkan.downtime import backentry_views as downtime
from samverkan.experience import urls as experience_urls
from samverkan.fhir import pages as fhir_pages
from samverkan.patients import views as patients
from samverkan.sip import views as sip

urlpatterns = [
    path("", cases.start, name="start"),
    path("arenden/", cases.case_list, name="case_list"),
    path("inneliggande/", cases.ward_overview, name="ward_overview"),
    path("arenden/<uuid:public_id>/", cases.case_detail, name="case_detail"),
    path("arenden/<uuid:public_id>/utskrift/", cases.print_case, name="case_print"),
    path(
        "arenden/<uuid:public_id>/bilagor/<uuid:attachment_id>/",
        cases.attachment,
        name="case_attachment",
    ),
    path("vardbegaran/ny/", cases.care_request, name="care_request"),
    path(
        "arenden/<uuid:public_id>/kvittera-allt/",
        cases.acknowledge_all,
        name="case_acknowledge_all",
    ),
    path(
        "arenden/<uuid:public_id>/efterregistrera/",
        downtime.back_entry,
        name="case_back_entry",
    ),
    path(
        "arenden/<uuid:public_id>/efterregistrera/<uuid:entry_id>/ta-bort/",
        downtime.withdraw,
        name="case_back_entry_withdraw",
    ),
    path(
        "arenden/<uuid:public_id>/blankett/<slug:kind>/",
        downtime.paper_form,
        name="case_paper_form",
    ),
    path(
        "driftstopp/<int:downtime_id>/avstamning/",
        downtime.reconciliation_list,
        name="downtime_reconciliation",
    ),
    path("arenden/<uuid:public_id>/<slug:action>/", cases.case_action, name="case_action"),
    path(
        "arenden/<uuid:public_id>/<slug:action>/formular/",
        cases.case_action_form,
        name="case_action_form",
    ),
    path(
        "meddelanden/<uuid:delivery_id>/<slug:action>/",
        cases.delivery_action,
        name="delivery_action",
    ),
    path("personer/<uuid:patient_id>/oppna-arende/", cases.open_case, name="case_open"),
    path("notiser/", include("samverkan.notifications.urls")),
    path("min-plan/", include("samverkan.myplan.urls")),
    path("sip/", sip.sip_list, name="sip_list"),
    path("sip/ny/", sip.sip_start, name="sip_start"),
    path("sip/<uuid:public_id>/", sip.sip_detail, name="sip_detail"),
    path("sip/<uuid:public_id>/utskrift/", sip.sip_print, name="sip_print"),
    path("sip/<uuid:public_id>/pdf/", sip.sip_pdf, name="sip_pdf"),
    path("sip/<uuid:public_id>/<slug:action>/", sip.sip_action, name="sip_action"),
    path("logga-in/", accounts.LoginView.as_view(), name="login"),
    path("logga-in/bekrafta/", accounts.step_up, name="step_up"),
    path("logga-in/valj-uppdrag/", accounts.choose_assignment, name="choose_assignment"),
    path("logga-in/oidc/<slug:name>/", accounts.oidc_login, name="oidc_login"),
    path("logga-in/oidc/<slug:name>/svar/", accounts.oidc_callback, name="oidc_callback"),
    path("logga-ut/", accounts.LogoutView.as_view(), name="logout"),
    path("enhet/byt/", directory.switch_unit, name="switch_unit"),
    path("enhet/medlemmar/", directory.members, name="members"),
    path("enhet/medlemmar/ny/", directory.add_member, name="add_member"),
    path("enhet/medlemmar/<uuid:membership_id>/roll/", directory.change_role, name="change_role"),
    path(
        "enhet/medlemmar/<uuid:membership_id>/ta-bort/",
        directory.remove_member,
        name="remove_member",
    ),
    path("enhet/kontaktuppgifter/", directory.unit_contact, name="unit_contact"),
    path("kontakter/", directory.contacts, name="contacts"),
    path("kontakter/enheter/", directory.unit_choices, name="unit_choices"),
    path("personer/sok/", patients.lookup, name="patient_lookup"),
    path("personer/ny/", patients.register, name="patient_register"),
    path("personer/<uuid:public_id>/", patients.detail, name="patient_detail"),
    path("personer/<uuid:public_id>/andra/", patients.edit, name="patient_edit"),
    path("personer/<uuid:public_id>/narstaende/", patients.add_kin, name="kin_add"),
    path(
        "personer/<uuid:public_id>/narstaende/<uuid:kin_id>/ta-bort/",
        patients.remove_kin,
        name="kin_remove",
    ),
    path("", include("samverkan.downtime.urls")),
    path("avvikelser/", include("samverkan.deviations.urls")),
    path("uppfoljning/", include("samverkan.followup.urls")),
    path("forum/", include("samverkan.forums.urls")),
    path("uppfoljningssamtal/", include(experience_urls.calls)),
    path("enkater/", include(experience_urls.surveys)),
    path("logg/", audit.review, name="audit_review"),
    path("logg/export.csv", audit.export_csv, name="audit_export"),
    path("api/v1/", api.urls),
    path("fhir/R4/", include("samverkan.fhir.urls")),
    path("journalmeddelanden/", fhir_pages.outbound_failed, name="fhir_outbound_failed"),
    path(
        "journalmeddelanden/<uuid:public_id>/skicka-igen/",
        fhir_pages.outbound_send_again,
        name="fhir_outbound_send_again",
    ),
    path("admin/", admin.site.urls),
]
