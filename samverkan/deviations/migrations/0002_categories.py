"""The initial managed list of categories, from the Blekinge analysis of 2023's deviations."""

from django.db import migrations

CATEGORIES = [  # code, name, sub-reasons
    (
        "routines",
        "Följer inte de gemensamma rutinerna",
        [
            ("routines_notice", "Inskrivningsmeddelande sent eller saknas"),
            ("routines_intake", "Inskrivning/planering inte påbörjad i tid"),
            ("routines_summary", "Epikris eller omvårdnadsepikris saknas"),
            ("routines_other", "Annat avsteg från rutinerna"),
        ],
    ),
    ("sip", "SIP", []),
    ("communication", "Kommunikation", []),
    ("medicines", "Läkemedel", []),
    ("nursing", "Omvårdnad", []),
    ("attitude", "Bemötande", []),
    ("secrecy", "Sekretess", []),
    ("transport", "Hemtransport", []),
    ("documentation", "Dokumentation", []),
    ("availability", "Tillgänglighet", []),
    ("devices", "Hjälpmedel", []),
    ("other", "Övrigt", []),
]


def seed(apps, schema_editor):
    Category = apps.get_model("deviations", "Category")
    for position, (code, name, subs) in enumerate(CATEGORIES):
        main, _ = Category.objects.get_or_create(
            code=code, defaults={"name": name, "position": 10 * position}
        )
        for sub_position, (sub_code, sub_name) in enumerate(subs):
            Category.objects.get_or_create(
                code=sub_code,
                defaults={
                    "name": sub_name,
                    "parent": main,
                    "position": 10 * position + 1 + sub_position,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("deviations", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
