"""manage.py refresh_indicators [--all]: build the indicators' monthly rollup now."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from samverkan.followup.rollup import IndicatorMonth, refresh_due, refresh_month


class Command(BaseCommand):
    help = "Builds the closed months that are due (the worker does this too); --all rebuilds all."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="rebuild every rolled-up month (after a change "
            "to the directory, e.g. a ward's kind)",
        )

    def handle(self, *args, **options):
        if options["all"]:
            months = list(IndicatorMonth.objects.values_list("month", flat=True))
            for month in months:
                refresh_month(month, timezone.now())
            done = len(months) + refresh_due()
        else:
            done = refresh_due()
        self.stdout.write(f"{done} months rolled up")
