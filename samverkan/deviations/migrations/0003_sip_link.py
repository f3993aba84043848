"""A deviation may be linked to a SIP instead of a LOS case (never to both)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("deviations", "0002_categories"),
        ("sip", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="deviation",
            name="sip",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="deviations",
                to="sip.sip",
            ),
        ),
        migrations.AddConstraint(
            model_name="deviation",
            constraint=models.CheckConstraint(
                condition=models.Q(("case", None), ("sip", None), _connector="OR"),
                name="deviation_one_link",
            ),
        ),
    ]
