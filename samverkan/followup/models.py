"""Payment-liability agreements and the yearly amounts per day (the indicators need no tables)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Agreement(models.Model):
    """A region's agreement with its municipalities on payment liability, from a date on.

    The agreement in force on a day is the latest one whose valid_from is on or before it;
    without one, the law's default applies (samverkan/followup/payment/rules.py: LAW_DEFAULT).
    """

    class Model(models.TextChoices):
        INDIVIDUAL = "individual", "Individuell modell (per patient)"
        AVERAGE = "average", "Genomsnittsmodell (per kommun och månad)"

    region = models.ForeignKey(
        "directory.Principal",
        verbose_name="region",
        on_delete=models.PROTECT,
        related_name="payment_agreements",
        limit_choices_to={"kind": "region"},
    )
    name = models.CharField("namn", max_length=200)
    valid_from = models.DateField("gäller från")
    model = models.CharField("modell", max_length=20, choices=Model.choices)
    free_days = models.PositiveSmallIntegerField(
        "fridagar", default=3, validators=[MaxValueValidator(60)]
    )
    psychiatry_free_days = models.PositiveSmallIntegerField(
        "fridagar, psykiatri", default=3, validators=[MaxValueValidator(60)]
    )
    notice_day_is_day_zero = models.BooleanField(
        "meddelandedagen är dag 0",
        default=True,
        help_text="Annars är meddelandedagen den första fridagen.",
    )
    cutoff_hour = models.PositiveSmallIntegerField(
        "brytpunkt (timme)",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
        help_text="Ett meddelande efter denna hel timme räknas från nästa dag, t.ex. 12.",
    )
    psychiatry_notice_day_is_day_zero = models.BooleanField(
        "meddelandedagen är dag 0, psykiatri",
        null=True,
        blank=True,
        choices=[
            (None, "Samma som somatisk vård"),
            (True, "Ja, meddelandedagen är dag 0"),
            (False, "Nej, meddelandedagen är första fridagen"),
        ],
    )
    psychiatry_cutoff_hour = models.PositiveSmallIntegerField(
        "brytpunkt (timme), psykiatri",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
        help_text="Tom: samma som somatisk vård.",
    )
    rolling_months = models.PositiveSmallIntegerField(
        "rullande medelvärde (månader)",
        default=3,
        choices=[(1, "1 månad"), (3, "3 månader")],
        help_text="Bara genomsnittsmodellen.",
    )
    requires_admission_notice = models.BooleanField(
        "kräver att kommunen fått inskrivningsmeddelande", default=True
    )
    requires_notice_on_time = models.BooleanField(
        "kräver inskrivningsmeddelande i tid (inom 24 timmar)", default=False
    )
    requires_ready_notice = models.BooleanField(
        "kräver att kommunen fått meddelande om utskrivningsklar", default=True
    )
    requires_sip_called = models.BooleanField(
        "kräver kallelse till SIP när SIP behövs", default=False
    )
    requires_primary_care_ready = models.BooleanField(
        "kräver att primärvården utsett fast vårdkontakt", default=False
    )
    excludes_patient_refused = models.BooleanField(
        "inget betalningsansvar när patienten avböjer insatser", default=True
    )
    note = models.TextField("anteckning", blank=True)

    class Meta:
        ordering = ["region", "-valid_from"]
        verbose_name = "överenskommelse om betalningsansvar"
        verbose_name_plural = "överenskommelser om betalningsansvar"
        constraints = [
            models.UniqueConstraint(fields=["region", "valid_from"], name="one_agreement_per_day"),
        ]

    def __str__(self):
        return f"{self.name} (från {self.valid_from:%Y-%m-%d})"


class DailyAmount(models.Model):
    """The amount per day of payment liability for one calendar year (set by Socialstyrelsen)."""

    year = models.PositiveSmallIntegerField(
        "år", unique=True, validators=[MinValueValidator(2018), MaxValueValidator(2100)]
    )
    amount = models.PositiveIntegerField("belopp per dag (kr)")
    source = models.CharField("källa", max_length=200, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "belopp per dag"
        verbose_name_plural = "belopp per dag"

    def __str__(self):
        return f"{self.year}: {self.amount} kr"


from .rollup import IndicatorCell, IndicatorMonth  # noqa: E402,F401  (the indicators' monthly rollup)
