"""spojscore's change notifications reach the site: a committed refresh is heard by a
listener connected as the reader role (LISTEN needs no privilege), a rolled-back one is
not, and the listener thread drops the cache when it hears one."""
import time

from problems import fixtures, notify
from problems.tests.support import DbTestCase


class NotifyTests(DbTestCase):
    def load_current(self, commit=True):
        """Applies the current pages again (nothing changes but the run log)."""
        self.addCleanup(fixtures.set_runs, self.admin, [("ok", "3 hours", None, None)])
        self.admin.autocommit = False
        with self.admin.cursor() as cur:
            cur.execute("SET LOCAL spojscore.min_rows = 100")
            cur.execute("SELECT run_id FROM spoj_load_pages(%s)", [fixtures.pages(fixtures.current())])
            run_id = cur.fetchone()[0]
        (self.admin.commit if commit else self.admin.rollback)()
        self.admin.autocommit = True
        return run_id

    def test_committed_refresh_is_heard_rolled_back_is_not(self):
        conn = notify.connect()
        self.addCleanup(conn.close)
        self.load_current(commit=False)
        self.assertEqual(notify.wait(conn, 0.5), [])
        run_id = self.load_current()
        heard = notify.wait(conn, 10)
        self.assertEqual(len(heard), 1)
        self.assertEqual(heard[0], {"run_id": run_id, "status": "ok", "source": "pages",
                                    "inserted": 0, "updated": 0, "marked_missing": 0})

    def test_listener_drops_the_cache(self):
        target = notify.RefreshCache()
        stop = notify.start(target)
        self.addCleanup(stop.set)
        deadline = time.monotonic() + 10
        while not target.listening and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertTrue(target.listening)
        calls = []
        compute = lambda: calls.append(1) or len(calls)
        self.assertEqual(target.get("k", compute), 1)
        self.assertEqual(target.get("k", compute), 1, "cached while no refresh commits")
        run_id = self.load_current()
        while target.last is None and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertEqual(target.last and target.last["run_id"], run_id)
        self.assertEqual(target.get("k", compute), 2, "computed again after the refresh")

    def test_nothing_is_cached_without_a_listener(self):
        target = notify.RefreshCache()
        calls = []
        self.assertEqual(target.get("k", lambda: calls.append(1) or len(calls)), 1)
        self.assertEqual(target.get("k", lambda: calls.append(1) or len(calls)), 2)
