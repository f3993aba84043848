"""An identity number used as a filter never travels in a URL (nor so in an access log or the
browser's history): the form is posted, the number kept in the session, and the redirect's URL
carries the other filters and only a marker that a person is chosen."""

from django.shortcuts import redirect

MARK = "person"


def _key(request, field: str) -> str:
    return f"private_filter:{field}"  # one per field: the log review and its export share it


def keep_posted(request, field: str):
    """A posted filter form: the number to the session, the rest to the URL of a GET."""
    query = request.POST.copy()
    query.pop("csrfmiddlewaretoken", None)
    value = query.pop(field, [""])[-1].strip()
    request.session[_key(request, field)] = value
    query.pop(MARK, None)
    if value:
        query[MARK] = "vald"
    return redirect(f"{request.path}?{query.urlencode()}")


def filter_data(request, field: str):
    """The GET filters, with the number from the session when the URL marks it chosen; a
    number put in the URL itself is ignored."""
    data = request.GET.copy()
    data.pop(field, None)
    kept = request.session.get(_key(request, field), "")
    if data.get(MARK) and kept:
        data[field] = kept
    return data or None


def page_query(request) -> str:
    """The filters for paging links (the marker, never the number)."""
    query = request.GET.copy()
    query.pop("sida", None)
    return query.urlencode()
