"""manage.py idp_demo: the local IdP's people from the demo users (an employee HSA-id each,
assignments at their units, a reserve card for some), a few citizens with e-ID for Min plan,
its two clients (staff, e-ID), and Samverkan's provider entries, written to var/idp/. Demo
only: the client secrets are published."""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from samverkan.accounts.models import EmergencyAccount, HsaIdentity
from samverkan.directory.demo import DEMO_PASSWORD
from samverkan.directory.models import Unit

DEMO_SECRET = "samverkan-demo-idp-secret-not-for-production"
RESERVE_CARDS = ["avd.sjukskoterska", "karlskrona.hsl"]
PROVIDERS = [("siths", "Logga in med SITHS"), ("kommun", "Logga in med e-legitimation (kommun)")]
EID_CLIENT = "samverkan-demo-eid"


def employee_hsa_id(user) -> str:
    unit = user.memberships.select_related("unit").first().unit
    digest = hashlib.sha1(user.username.encode()).hexdigest()[:8].upper()
    return f"{unit.hsa_id.split('-')[0]}-E{digest}"


def commission(unit: Unit, role: str) -> dict:
    return {
        "commissionHsaId": f"{unit.hsa_id}-U{role[:3].upper()}",
        "commissionName": f"Uppdrag vid {unit.name}",
        "healthCareUnitHsaId": unit.hsa_id,
        "healthCareUnitName": unit.name,
        "healthCareProviderHsaId": unit.hsa_id.split("-")[0],
        "healthCareProviderName": unit.principal.name,
    }


def identity(user, hsa_id: str, loa: int = 3) -> dict:
    card = " – reservkort (LoA 2)" if loa == 2 else ""
    return {
        "username": user.username + (".reservkort" if loa == 2 else ""),
        "label": f"{user.get_full_name()} ({user.username}){card}",
        "given_name": user.first_name,
        "family_name": user.last_name,
        "employeeHsaId": hsa_id,
        "loa": loa,
        "commissions": [
            commission(m.unit, m.role) for m in user.memberships.select_related("unit__principal")
        ],
        "password": DEMO_PASSWORD,
    }


class Command(BaseCommand):
    help = "Writes the local IdP's demo identities and client to var/idp/ (demo only)."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(settings.BASE_DIR / "var" / "idp"))
        parser.add_argument("--port", type=int, default=8100)

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("The demo IdP has published passwords: not in production.")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        people = self._identities()
        people += citizens()
        (out / "identities.json").write_text(json.dumps(people, ensure_ascii=False, indent=1))
        (out / "clients.json").write_text(json.dumps([self._client(), eid_client()]))
        issuer = f"http://127.0.0.1:{options['port']}/o"
        providers = [
            {"name": n, "label": label, "issuer": issuer, "client_id": "samverkan-demo",
             "client_secret": DEMO_SECRET}
            for n, label in PROVIDERS
        ]  # fmt: skip
        (out / "providers.json").write_text(json.dumps(providers, ensure_ascii=False))
        eid = [
            {
                "name": "eid",
                "label": "Logga in med e-legitimation (BankID, Freja+)",
                "issuer": issuer,
                "client_id": EID_CLIENT,
                "client_secret": DEMO_SECRET,
            }
        ]
        (out / "eid_providers.json").write_text(json.dumps(eid, ensure_ascii=False))
        self.stdout.write(f"IdP: {len(people)} demo identities in {out}")

    def _identities(self) -> list[dict]:
        emergency = EmergencyAccount.objects.values("user")
        users = User.objects.filter(is_active=True, memberships__isnull=False)
        people = []
        for user in users.exclude(pk__in=emergency).distinct().order_by("username"):
            known, _ = HsaIdentity.objects.get_or_create(
                user=user, defaults={"hsa_id": employee_hsa_id(user)}
            )
            people.append(identity(user, known.hsa_id))
            if user.username in RESERVE_CARDS:
                people.append(identity(user, known.hsa_id, loa=2))
        return people + [self._newcomer()]

    def _newcomer(self) -> dict:
        """Someone with SITHS and an assignment at ward 31 but not yet a member here."""
        ward = Unit.objects.filter(hsa_id="SE2321000081-MED31").first()
        return {
            "username": "ny.sjukskoterska",
            "label": "Nora Nyström (ny.sjukskoterska) – inte medlem i Samverkan än",
            "given_name": "Nora",
            "family_name": "Nyström",
            "employeeHsaId": "SE2321000081-ENY00001",
            "commissions": [commission(ward, "staff")] if ward else [],
            "password": DEMO_PASSWORD,
        }

    def _client(self) -> dict:
        bases = ("http://127.0.0.1", "http://localhost")
        return {
            "client_id": "samverkan-demo",
            "client_secret": DEMO_SECRET,
            "name": "Samverkan (demo)",
            "redirect_uris": [f"{b}/logga-in/oidc/{n}/svar/" for b in bases for n, _ in PROVIDERS],
            "post_logout_redirect_uris": [f"{b}/logga-in/" for b in bases],
        }


def citizens() -> list[dict]:
    """Min plan's demo people at the IdP: their e-ID carries a personnummer, no HSA-id."""
    from samverkan.myplan.demo import CITIZENS

    return [
        {
            "username": username,
            "label": f"{given} {family} – e-legitimation (Min plan)",
            "given_name": given,
            "family_name": family,
            "personalIdentityNumber": number,
            "password": DEMO_PASSWORD,
        }
        for number, given, family, username in CITIZENS
    ]


def eid_client() -> dict:
    bases = ("http://127.0.0.1", "http://localhost")
    return {
        "client_id": EID_CLIENT,
        "client_secret": DEMO_SECRET,
        "name": "Samverkan Min plan (demo)",
        "redirect_uris": [f"{b}/min-plan/logga-in/oidc/eid/svar/" for b in bases],
        "post_logout_redirect_uris": [f"{b}/min-plan/logga-in/" for b in bases],
    }
