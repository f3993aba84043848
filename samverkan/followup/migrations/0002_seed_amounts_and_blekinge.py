"""The amounts per day known in 2024 (Socialstyrelsen) and Blekinge's agreement, if the region exists."""

from django.db import migrations

AMOUNTS = {2019: 7800, 2020: 8200, 2022: 9300}  # 2021 and 2023 on: entered by the administrator


def seed(apps, schema_editor):
    DailyAmount = apps.get_model("followup", "DailyAmount")
    for year, amount in AMOUNTS.items():
        DailyAmount.objects.get_or_create(
            year=year, defaults={"amount": amount, "source": "Socialstyrelsen (HSLF-FS)"}
        )
    Principal = apps.get_model("directory", "Principal")
    region = Principal.objects.filter(kind="region", code="10").first()
    if region:
        from datetime import date

        Agreement = apps.get_model("followup", "Agreement")
        Agreement.objects.get_or_create(
            region=region,
            valid_from=date(2018, 1, 1),
            defaults={"name": "Blekingeöverenskommelsen", "model": "individual"},
        )


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_payment"), ("directory", "0002_principal_deviation_unit")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
