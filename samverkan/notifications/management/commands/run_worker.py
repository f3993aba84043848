"""manage.py run_worker [--once] [--interval S]: every background job (samverkan/worker.py)."""

import time

from django.core.management.base import BaseCommand

from samverkan.worker import run_once


class Command(BaseCommand):
    help = "Runs the worker's jobs (samverkan/worker.py JOBS): notifications, e-mail, closing."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between passes")

    def handle(self, *args, **options):
        while True:
            done = run_once()
            if any(done.values()) or options["once"]:
                self.stdout.write(", ".join(f"{k}: {v}" for k, v in done.items()))
            if options["once"]:
                return
            time.sleep(options["interval"])
