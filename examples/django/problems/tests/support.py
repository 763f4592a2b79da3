"""Shared by the tests: the real database, a superuser connection for set-up, expectations
computed from the fixture data (not from the app)."""
import re

from django.test import SimpleTestCase

from problems import fixtures
from problems.testrunner import admin_connection

ROW_RE = re.compile(r'<tr data-code="([A-Z0-9_]+)"')


def expected(order="-score", q=""):
    """Codes in the order the site must list them, computed in Python from the fixture."""
    rows = [(c, name, users, 80.0 / (40 + users)) for c, (_, name, users) in fixtures.current().items()]
    if q:
        rows = [r for r in rows if r[0].startswith(q.upper()) or q.lower() in r[1].lower()]
    desc = order.startswith("-")
    key = order.lstrip("-")
    idx = {"code": 0, "name": 1, "users": 2, "score": 3, "next_score": 3}[key]
    # Ties are broken by code ascending in both directions.
    rows.sort(key=lambda r: r[0])
    rows.sort(key=lambda r: r[idx], reverse=desc)
    return [r[0] for r in rows]


def codes(html):
    return ROW_RE.findall(html)


class DbTestCase(SimpleTestCase):
    """Tests that read the real database through the site's reader connection. No
    transaction is wrapped around them: the site only reads, and state the tests change
    (the run log) is changed and restored through the superuser connection."""
    databases = {"default"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = admin_connection()
        cls.admin.autocommit = True

    @classmethod
    def tearDownClass(cls):
        cls.admin.close()
        super().tearDownClass()

    def admin_query(self, sql, params=None):
        with self.admin.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else None

    def set_runs(self, runs):
        fixtures.set_runs(self.admin, runs)
        self.addCleanup(fixtures.set_runs, self.admin, [("ok", "3 hours", None, None)])

    def function_exists(self, signature):
        return self.admin_query("SELECT to_regprocedure(%s) IS NOT NULL", [signature])[0][0]
