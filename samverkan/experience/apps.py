from django.apps import AppConfig


class ExperienceConfig(AppConfig):
    name = "samverkan.experience"
    label = "experience"
    verbose_name = "Uppföljningssamtal och enkäter"
    notification_kinds = "samverkan.experience.models.NOTIFICATION_KINDS"
