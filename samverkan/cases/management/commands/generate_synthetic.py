"""manage.py generate_synthetic --cases N --seed S: realistic stays for benchmarks and the demo."""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from samverkan.cases.synthetic import generate
from samverkan.directory.demo import seed_directory
from samverkan.directory.models import Principal


class Command(BaseCommand):
    help = "Generates synthetic LOS cases on the demo directory (persons from the test list)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--years",
            type=float,
            default=None,
            help="the period the stays spread over (default: by size)",
        )

    def handle(self, *args, **options):
        if not Principal.objects.filter(code="10").exists():
            seed_directory()
        began = time.perf_counter()

        def progress(made):
            self.stdout.write(f"  {made} cases, {made / (time.perf_counter() - began):.0f}/s")

        made = generate(
            options["cases"],
            seed=options["seed"],
            years=options["years"],
            progress=progress if options["cases"] >= 50_000 else None,
        )
        with connection.cursor() as cursor:  # fresh statistics, or the planner guesses wrong
            cursor.execute("ANALYZE")
        seconds = time.perf_counter() - began
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {made} cases in {seconds:.1f} s ({made / seconds:.0f} cases/s)."
            )
        )
