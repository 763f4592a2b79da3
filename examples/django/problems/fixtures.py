"""Deterministic test data, loaded the way production data arrives: as SPOJ list pages
applied by spoj_load_pages() (as a superuser, in the throwaway test database).

Three "days": 130 problems; then some gain solvers; then some more, and one vanishes.
"""
import html

N = 130
SPECIAL_NAMES = {
    7: "Tom & Jerry",
    13: "Café Crème",
    21: "Żółw i ŚLIMAK",
    42: "a < b > c \"quoted\"",
    99: "Prime Generator",
}
DAY2_GAINS = {"P0001": 5, "P0002": 10, "P0007": 1}
DAY3_GAINS = {"P0001": 3, "P0013": 2}
VANISHED = "P0130"


def code(i):
    return "P%04d" % i


def day(n):
    """{code: (spoj_id, name, users)} as SPOJ lists it on day n (1, 2 or 3)."""
    rows = {}
    for i in range(1, N + 1):
        users = (i * 37) % 1000          # 37 is coprime with 1000: all distinct
        c = code(i)
        if n >= 2:
            users += DAY2_GAINS.get(c, 0)
        if n >= 3:
            users += DAY3_GAINS.get(c, 0)
            if c == VANISHED:
                continue
        rows[c] = (i * 3, SPECIAL_NAMES.get(i, "Problem %d" % i), users)
    return rows


def pages(rows, per_page=50):
    """The rows as classical-list pages of 50, each but the last with a Next link."""
    ordered = sorted(rows.items(), key=lambda kv: kv[1][0])
    out = []
    chunks = [ordered[k:k + per_page] for k in range(0, len(ordered), per_page)]
    for n, chunk in enumerate(chunks):
        body = "".join(
            '<tr><td>%d</td><td><a href="/problems/%s">%s</a></td>'
            '<td><a href="/ranks/%s">%d</a></td><td>1.00</td></tr>'
            % (sid, c, html.escape(name, quote=False), c, users)
            for c, (sid, name, users) in chunk)
        nxt = '<a class="pager_link" href="/x">Next</a>' if n < len(chunks) - 1 else ""
        out.append('<html><head><meta charset="utf-8"></head><body><table class="problems"><thead><tr>'
                   '<th>ID</th><th>NAME</th><th>USERS</th><th>ACC %</th></tr></thead><tbody>'
                   + body + "</tbody></table>" + nxt
                   + '<div id="footer">All Rights Reserved.</div></body></html>')
    return out


def current():
    """What the site should list after loading: day 3."""
    return day(3)


def load(conn):
    """Loads the three days into an empty spoj_problems through spoj_load_pages(), spreads
    the history over past days so charts have a time axis, and leaves one successful run,
    3 hours old, as the run log (the "fresh" banner state)."""
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SET spojscore.min_rows = 100")
        for n in (1, 2, 3):
            cur.execute("SELECT inserted, updated, marked_missing FROM spoj_load_pages(%s)",
                        [pages(day(n))])
        # Each load stamped its history rows with its own now(): move day n back to
        # (3 - n) * 10 days ago, keeping their order.
        cur.execute("""
            WITH d AS (SELECT seen_at, dense_rank() OVER (ORDER BY seen_at) AS n
                         FROM (SELECT DISTINCT seen_at FROM spoj_problem_history) s)
            UPDATE spoj_problem_history h
               SET seen_at = h.seen_at - (3 - d.n) * interval '10 days' - interval '3 hours'
              FROM d WHERE d.seen_at = h.seen_at""")
        cur.execute("""
            UPDATE spoj_problems p SET first_seen = h.first, changed_at = h.last
              FROM (SELECT code, min(seen_at) AS first, max(seen_at) AS last
                      FROM spoj_problem_history GROUP BY code) h
             WHERE h.code = p.code""")
    set_runs(conn, [("ok", "3 hours", None, None)])


def set_runs(conn, runs):
    """Replaces the run log: runs = [(status, age as interval text, error, sqlstate), ...]
    oldest first."""
    conn.autocommit = False
    with conn.cursor() as cur:
        cur.execute("DELETE FROM spoj_refresh_runs")
        for status, age, error, sqlstate in runs:
            cur.execute("""
                INSERT INTO spoj_refresh_runs (started_at, finished_at, status, source, pages,
                                               rows_seen, error, sqlstate)
                VALUES (now() - %s::interval - interval '2 minutes', now() - %s::interval,
                        %s, 'pages', 3, 129, %s, %s)""", [age, age, status, error, sqlstate])
    conn.commit()
    conn.autocommit = True
