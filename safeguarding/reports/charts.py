"""Charts drawn on the server as accessible SVG: a title and description for assistive
technology, and the data as a table beside it on the page (figures.Result). Nothing is drawn
by JavaScript."""

from dataclasses import dataclass
from html import escape

WIDTH = 640
BAR = 24
GAP = 10
LABEL = 260
PAD = 8


@dataclass(frozen=True)
class Chart:
    svg: str
    height: int


def bar_chart(*, key, title, labels, values):
    """A horizontal bar chart of `values` (numbers) labelled by `labels`."""
    numbers = [v if isinstance(v, int | float) else 0 for v in values]
    top = max(numbers, default=0) or 1
    height = PAD * 2 + len(numbers) * (BAR + GAP)
    span = WIDTH - LABEL - 60
    bars = []
    for n, (label, value) in enumerate(zip(labels, numbers, strict=True)):
        y = PAD + n * (BAR + GAP)
        baseline = y + round(BAR * 0.7)
        width = round(span * value / top)
        bars.append(
            f'<text x="{LABEL - 8}" y="{baseline}" text-anchor="end" '
            f'class="app-chart__label">{escape(str(label))[:40]}</text>'
            f'<rect x="{LABEL}" y="{y}" width="{max(width, 1)}" height="{BAR}" '
            f'class="app-chart__bar"></rect>'
            f'<text x="{LABEL + max(width, 1) + 6}" y="{baseline}" '
            f'class="app-chart__value">{escape(str(value))}</text>'
        )
    description = "; ".join(
        f"{label}: {value}" for label, value in zip(labels, values, strict=True)
    )
    svg = (
        f'<svg class="app-chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="chart-{key}-title chart-{key}-desc" focusable="false">'
        f'<title id="chart-{key}-title">{escape(title)}</title>'
        f'<desc id="chart-{key}-desc">{escape(description)}</desc>' + "".join(bars) + "</svg>"
    )
    return Chart(svg, height)
