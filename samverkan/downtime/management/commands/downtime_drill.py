"""manage.py downtime_drill: an exercise of the backup routine on a test or demo installation."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from samverkan.downtime import drill, drill_report


class Command(BaseCommand):
    help = (
        "Övning av reservrutinen: utlyser ett planerat driftstopp, hämtar utdragen, "
        "efterregistrerar det som väntade och stämmer av (test- eller demoinstallation)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=2, help="utdraget togs så här långt bak")
        parser.add_argument("--admin", help="systemadministratörens användarnamn")
        parser.add_argument("--json", action="store_true", help="siffrorna som JSON")
        parser.add_argument(
            "--yes-this-is-a-drill", action="store_true", help="tillåt i produktionsinställningar"
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION and not options["yes_this_is_a_drill"]:
            raise CommandError(
                "Produktionsinställningar: övningen skriver driftstopp, efterregistreringar och "
                "händelser i ärendena. Kör på en test- eller demoinstallation, eller ange "
                "--yes-this-is-a-drill."
            )
        if not 1.25 <= options["hours"] <= 24 * 30:
            raise CommandError("--hours ska vara mellan 1,25 och 720 (fönstret är 65 minuter).")
        try:
            report = drill.run(hours=options["hours"], admin=options["admin"])
        except drill.DrillError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(drill_report.lines(report)))
