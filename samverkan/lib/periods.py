"""A period of whole Swedish calendar days, as filters ask for it (from and to, inclusive)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from samverkan.core.errors import invalid


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def check_order(data: dict) -> None:
    """date_from must not come after date_to."""
    if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
        raise invalid("date_to", "order", "Slutdatum måste vara samma som eller efter startdatum.")


def within(queryset, field: str, data: dict):
    """Rows whose `field` falls on the days from date_from through date_to (either optional)."""
    if data.get("date_from"):
        queryset = queryset.filter(**{f"{field}__gte": day_start(data["date_from"])})
    if data.get("date_to"):
        end = day_start(data["date_to"] + timedelta(days=1))
        queryset = queryset.filter(**{f"{field}__lt": end})
    return queryset
