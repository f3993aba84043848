"""manage.py seed_demo: the Blekinge demo directory, users and persons; safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from samverkan.cases.models import Case
from samverkan.cases.synthetic import generate
from samverkan.deviations.demo import seed_deviations
from samverkan.directory.demo import DEMO_PASSWORD, seed_directory
from samverkan.followup.payment.demo import seed_agreement
from samverkan.followup.rollup import refresh_due
from samverkan.patients.demo import seed_patients
from samverkan.sip.demo import seed_sips


class Command(BaseCommand):
    help = "Loads the synthetic Blekinge demo data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=60)
        parser.add_argument(
            "--cases",
            type=int,
            default=3200,
            help="synthetic stays, made once (when there are no cases yet)",
        )
        parser.add_argument(
            "--force", action="store_true", help="allow in production settings (never on real data)"
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION and not options["force"]:
            raise CommandError("Demo users have a published password: not in production.")
        with transaction.atomic():
            principals, units = seed_directory()
            seed_agreement()
            patients = seed_patients(options["patients"])
        if options["cases"] and not Case.objects.exists():
            generate(options["cases"], seed=2026, years=2)  # two years: baselines and trends
        with transaction.atomic():
            sips = seed_sips()
        deviations = seed_deviations()
        refresh_due()  # the indicators' monthly rollup, as the worker keeps it
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {len(principals)} principals, {len(units)} units, {patients} persons, "
                f"{Case.objects.count()} cases, {sips} SIPs, {deviations} deviations. "
                f"Demo password for every user: {DEMO_PASSWORD}"
            )
        )
