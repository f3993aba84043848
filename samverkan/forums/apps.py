from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "samverkan.forums"
    label = "forums"
    verbose_name = "Samverkansforum"
    notification_kinds = "samverkan.forums.models.NOTIFICATION_KINDS"

    def ready(self):
        from samverkan.audit.models import ACTIONS

        from .models import AUDIT_ACTIONS

        ACTIONS.update(AUDIT_ACTIONS)  # the forum's own events, declared with the app
