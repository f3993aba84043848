"""manage.py seed_demo: the Blekinge demo directory, users, persons and stays; safe to run again.
It says each step as it goes, with counts, for scripts/demo."""

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from samverkan.cases.demo import seed_ward
from samverkan.cases.models import Case
from samverkan.cases.synthetic import generate
from samverkan.deviations.demo import seed_deviations
from samverkan.directory.demo import DEMO_PASSWORD, seed_directory
from samverkan.experience.demo import seed_experience
from samverkan.fhir.demo import seed_integration
from samverkan.followup.payment.demo import seed_agreement
from samverkan.followup.rollup import refresh_due
from samverkan.forums.demo import seed_forums
from samverkan.myplan.demo import seed_myplan
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

    def say(self, text: str) -> None:
        self.stdout.write(f"  {text}")
        self.stdout.flush()

    def handle(self, *args, **options):
        if settings.PRODUCTION and not options["force"]:
            raise CommandError("Demo users have a published password: not in production.")
        with transaction.atomic():
            principals, units = seed_directory()
            seed_agreement()
            self.say(
                f"Katalog: {len(principals)} huvudmän, {len(units)} enheter, "
                f"{User.objects.filter(is_active=True).count()} användare"
            )
            self.say(f"Personer: {seed_patients(options['patients'])}")
        if options["cases"] and not Case.objects.exists():
            self._history(options["cases"])
        self.say(f"Medicinavdelning 31: {seed_ward()} nya vårdtillfällen, {self._in_patients()}")
        with transaction.atomic():
            self.say(f"SIP: {seed_sips()}")
            self.say(f"Min plan: Gösta Mäkinen, delad med {seed_myplan()} närstående")
        self.say(f"Avvikelser: {seed_deviations()}")
        self.say(f"Uppföljningssamtal och enkäter: {seed_experience()}")
        if seed_integration():
            self.say("Integrationskonto för journalsystemet: journalsystem (bara API-nyckel)")
        self.say(f"Samverkansforum: {seed_forums()}")
        refresh_due()  # the indicators' monthly rollup, as the worker keeps it
        self.say(f"Uppföljningens månadssummor klara; {Case.objects.count()} ärenden totalt")
        self.stdout.write(self.style.SUCCESS(f"Demodata klar. Lösenord för alla: {DEMO_PASSWORD}"))

    def _history(self, cases: int) -> None:
        """Two years of stays (baselines and trends), counted as they are written."""
        self.say(f"Vårdtillfällen, två års historik: 0 av {cases}")

        def progress(made):
            self.say(f"Vårdtillfällen, två års historik: {made} av {cases}")

        made = generate(cases, seed=2026, years=2, batch=800, progress=progress)
        self.say(f"Vårdtillfällen, två års historik: {made} klara")

    @staticmethod
    def _in_patients() -> str:
        count = Case.objects.filter(
            ward__name="Medicinavdelning 31", state__in=Case.IN_PROGRESS
        ).count()
        return f"{count} inneliggande"
