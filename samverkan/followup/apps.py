from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "samverkan.followup"
    verbose_name = "Uppföljning"
