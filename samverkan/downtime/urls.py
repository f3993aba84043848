"""URLs of the backup routine (the unit's Reservrutin page, the declared downtimes)."""

from django.urls import path

from . import views

urlpatterns = [
    path("enhet/reservrutin/", views.unit_page, name="downtime_unit"),
    path("enhet/reservrutin/nytt-utdrag/", views.take_snapshot, name="downtime_take"),
    path("enhet/reservrutin/utdrag.pdf", views.download, name="downtime_download"),
    path("enhet/reservrutin/losenfras/", views.set_passphrase, name="downtime_passphrase"),
    path("enhet/reservrutin/datorer/", views.register_pc, name="downtime_pc_register"),
    path(
        "enhet/reservrutin/datorer/<uuid:public_id>/sparra/",
        views.revoke_pc,
        name="downtime_pc_revoke",
    ),
    path("driftstopp/", views.downtimes, name="downtimes"),
    path("driftstopp/utlys/", views.declare, name="downtime_declare"),
    path("driftstopp/<int:pk>/avsluta/", views.end, name="downtime_end"),
]
