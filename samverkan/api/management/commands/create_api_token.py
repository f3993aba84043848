"""manage.py create_api_token USERNAME HSA_ID --name NAME: a bearer token acting as that
membership (a person or an integration account such as the hospital record system)."""

from django.core.management.base import BaseCommand, CommandError

from samverkan.api.models import ApiToken
from samverkan.audit.log import record
from samverkan.directory.models import Membership


class Command(BaseCommand):
    help = "Issues an API token for a user's membership of a unit; prints the key once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("hsa_id")
        parser.add_argument("--name", default="API")

    def handle(self, *args, **options):
        membership = Membership.objects.filter(
            user__username=options["username"], unit__hsa_id=options["hsa_id"]
        ).first()
        if membership is None:
            raise CommandError("No such membership: the user must be a member of that unit.")
        token, key = ApiToken.issue(membership, options["name"])
        record(
            None,
            "api.token_create",
            user=membership.user,
            detail={"unit": membership.unit.hsa_id, "token": token.prefix},
        )
        self.stdout.write(key)
