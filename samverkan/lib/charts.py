"""Charts as inline SVG drawn on the server from the figures a view computed: no JavaScript,
no CDN, the same markup in pages and PDFs. Each chart carries a title and an aria-label; the
page shows the same figures in a table beside it."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#1d5c8c", "#c2571a", "#3b7d3b", "#7a4b94", "#8c6d1d", "#4d4d4d"]
WIDTH, ROW, LEFT = 640, 26, 190


def _number(value, hidden: str = "<5") -> str:
    if value is None:
        return hidden
    return f"{value:,.1f}".replace(",", " ").removesuffix(".0").replace(".", ",")  # Swedish


def _short(label: str, room: int = 27) -> str:
    """A label that fits left of the bars; the table beside the chart has it in full."""
    return label if len(label) <= room else label[: room - 1] + "…"


def bar_chart(
    title: str, labels: list[str], values: list, *, unit: str = "", hidden: str = "<5"
) -> SafeString:
    """Horizontal bars, one per label; a value of None is hidden, labelled `hidden` ("<5" for a
    small count, "dolt" for a share or mean hidden with one)."""
    top = max([v for v in values if v is not None] + [1])
    height = ROW * len(labels) + 30
    span = WIDTH - LEFT - 70
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 10 + i * ROW
        length = 0 if value is None else max(1, round(span * value / top))
        parts += [
            f'<text x="{LEFT - 8}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(_short(str(label)))}</text>",
            f'<rect x="{LEFT}" y="{y + 3}" width="{length}" height="{ROW - 8}" '
            f'fill="{PALETTE[0]}"/>',
            f'<text x="{LEFT + length + 6}" y="{y + 15}" font-size="12">'
            f"{escape(_number(value, hidden))}{escape(unit) if value is not None else ''}</text>",
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart(title: str, labels: list[str], series: dict[str, list]) -> SafeString:
    """One line per series over the labels (e.g. months); None leaves a gap."""
    height, bottom, left, right = 260, 40, 50, 20
    values = [v for points in series.values() for v in points if v is not None]
    top = max(values + [1]) * 1.1
    step = (WIDTH - left - right) / max(len(labels) - 1, 1)

    def xy(i, v):
        return left + i * step, height - bottom - (height - bottom - 20) * v / top

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height + 20 * len(series)}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{height - bottom}" x2="{WIDTH - right}" '
        f'y2="{height - bottom}" stroke="#888"/>',
        f'<text x="{left - 6}" y="24" text-anchor="end" font-size="11">{_number(top / 1.1)}</text>',
        f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end" font-size="11">0</text>',
    ]
    every = max(1, len(labels) // 12)
    for i, label in enumerate(labels):
        if i % every == 0:
            x, _ = xy(i, 0)
            parts.append(
                f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f'font-size="11">{escape(str(label))}</text>'
            )
    for n, (name, points) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        runs, run = [], []
        for i, v in enumerate(points):
            if v is None:
                runs, run = runs + [run] if run else runs, []
            else:
                run.append("{:.1f},{:.1f}".format(*xy(i, v)))
        runs += [run] if run else []
        parts += [
            f'<polyline points="{" ".join(r)}" fill="none" stroke="{colour}" stroke-width="2"/>'
            for r in runs
        ]
        y = height + 20 * n
        parts += [
            f'<rect x="{left}" y="{y - 9}" width="12" height="12" fill="{colour}"/>',
            f'<text x="{left + 18}" y="{y + 2}" font-size="12">{escape(name)}</text>',
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))
