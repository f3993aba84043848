from django.apps import AppConfig


class MyPlanConfig(AppConfig):
    name = "samverkan.myplan"
    verbose_name = "Min plan"

    def ready(self):
        from . import citizen  # noqa: F401  (a staff login ends a person session)
