from django.apps import AppConfig


class SipConfig(AppConfig):
    name = "samverkan.sip"
    verbose_name = "SIP"
    notification_kinds = "samverkan.sip.models.NOTIFICATION_KINDS"
