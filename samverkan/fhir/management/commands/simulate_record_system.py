"""manage.py simulate_record_system: the demo's hospital record system, sending a stream of
FHIR messages (stays of test persons) to a running Samverkan over HTTP."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from samverkan.fhir import demo
from samverkan.fhir.simulate import Sender, Stream


def positive(value: str) -> float:
    number = float(value)
    if not 0 < number <= 6000:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Skickar FHIR-meddelanden som ett journalsystem (demo: bara testpersonnummer)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="the server's address")
        parser.add_argument(
            "--token", default="", help="an integration account's API token (default: a new "
            "token for the demo's account 'journalsystem' in this database)",
        )  # fmt: skip
        parser.add_argument("--ward", default="", help="sender HSA-id (default: the token's ward)")
        parser.add_argument("--physician", default="", help="employee HSA-id for 'ready'")
        parser.add_argument("--rate", type=positive, default=6.0, help="messages per minute")
        parser.add_argument("--count", type=int, default=0, help="stop after N messages (0: never)")
        parser.add_argument("--once", action="store_true", help="one stay, start to end, no pause")
        parser.add_argument("--at-once", type=int, default=4, help="stays in progress at a time")
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--timeout", type=positive, default=10.0, help="seconds per request")

    def handle(self, *args, **options):
        token, ward, physician = self._account(options)
        people = demo.people(1 if options["once"] else 500)
        if not people:
            raise CommandError("Inga demopersoner utan pågående vårdtid: kör seed_demo först.")
        stream = Stream(people, ward, physician, seed=options["seed"])
        sender = Sender(options["url"], token, options["timeout"])
        pause = 0 if options["once"] else 60 / options["rate"]
        sent = refused = 0
        while not options["count"] or sent < options["count"]:
            step = stream.next(at_once=1 if options["once"] else options["at_once"])
            if step is None:
                break
            stay, message = step
            status, code = sender.send(message)
            sent += 1
            event = message["entry"][0]["resource"]["eventCoding"]["code"]
            line = f"{timezone.localtime():%H:%M:%S} {stay.encounter} {event}: {status} {code}"
            self.stdout.write(line)
            if code != "ok":
                refused += 1
                stream.drop(stay)
            time.sleep(pause)
        self.stdout.write(f"{sent} meddelanden skickade, {refused} ej godtagna.")

    def _account(self, options) -> tuple[str, str, str]:
        token, ward, physician = options["token"], options["ward"], options["physician"]
        if token and ward and physician:
            return token, ward, physician
        if settings.PRODUCTION:
            raise CommandError("Ange --token, --ward och --physician (inga demokonton i drift).")
        membership = demo.integration_membership()
        if membership is None:
            raise CommandError("Demoavdelningen saknas: kör seed_demo först.")
        token = token or demo.issue_token(membership)
        return (
            token,
            ward or membership.unit.hsa_id,
            physician or demo.physician_hsa(membership.unit),
        )
