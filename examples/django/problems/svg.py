"""A small server-side SVG step chart of a problem's solver count over time."""
from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 36


def history_svg(points, now):
    """points: [(seen_at, users), ...] in time order; now: the chart's right edge.

    The count holds from one sighting to the next, so the line is drawn in steps and
    the last value is carried on to `now`.
    """
    if not points:
        return ""
    t0 = points[0][0]
    t1 = max(now, points[-1][0])
    span = (t1 - t0).total_seconds() or 1.0
    lo = min(u for _, u in points)
    hi = max(u for _, u in points)
    if lo == hi:
        lo, hi = max(lo - 1, 0), hi + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(t):
        return LEFT + plot_w * (t - t0).total_seconds() / span

    def y(u):
        return TOP + plot_h * (hi - u) / (hi - lo)

    d = ["M%.1f,%.1f" % (x(points[0][0]), y(points[0][1]))]
    for t, u in points[1:]:
        d.append("H%.1f V%.1f" % (x(t), y(u)))
    d.append("H%.1f" % x(t1))

    parts = [
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" '
        'width="%d" height="%d" role="img" aria-label="Users over time">' % (WIDTH, HEIGHT, WIDTH, HEIGHT),
        '<rect class="frame" x="%d" y="%d" width="%d" height="%d"/>' % (LEFT, TOP, plot_w, plot_h),
    ]
    for u in (hi, (hi + lo) / 2, lo):
        parts.append('<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/>'
                     % (LEFT, LEFT + plot_w, y(u), y(u)))
        parts.append('<text class="ylabel" x="%d" y="%.1f">%s</text>'
                     % (LEFT - 6, y(u) + 4, escape("{:,.0f}".format(u) if u == int(u) else "{:,.1f}".format(u))))
    parts.append('<text class="xlabel" x="%d" y="%d">%s</text>'
                 % (LEFT, HEIGHT - 12, escape(t0.strftime("%Y-%m-%d"))))
    parts.append('<text class="xlabel end" x="%d" y="%d">%s</text>'
                 % (LEFT + plot_w, HEIGHT - 12, escape(t1.strftime("%Y-%m-%d"))))
    parts.append('<path class="line" d="%s"/>' % " ".join(d))
    for t, u in points:
        parts.append('<circle class="pt" cx="%.1f" cy="%.1f" r="3.5"><title>%s: %s users</title></circle>'
                     % (x(t), y(u), escape(t.strftime("%Y-%m-%d %H:%M UTC")), "{:,}".format(u)))
    parts.append("</svg>")
    return mark_safe("".join(parts))
