from .support import DbTestCase

ERROR = "spojscore: page 7: HTTP 500 from https://www.spoj.com/problems/classical/sort=0,start=300 (after 2 retries)"


class FreshnessBannerTests(DbTestCase):
    def banner(self, path="/"):
        html = self.client.get(path).content.decode()
        start = html.index('<div class="banner')
        return html[start:html.index("</div>", start)]

    def test_fresh(self):
        b = self.banner()
        self.assertIn('class="banner ok"', b)
        self.assertIn("Updated", b)
        self.assertIn("3 h ago", b)
        self.assertIn("129 problems", b)
        self.assertNotIn("stale", b)
        self.assertNotIn("failed", b)

    def test_stale(self):
        self.set_runs([("ok", "30 hours", None, None)])
        b = self.banner()
        self.assertIn('class="banner warn"', b)
        self.assertIn("The data is stale", b)
        self.assertIn("30 h ago", b)

    def test_very_stale_in_days(self):
        self.set_runs([("ok", "5 days 2 hours", None, None)])
        self.assertIn("5 d ago", self.banner())

    def test_last_run_failed(self):
        self.set_runs([("ok", "2 hours", None, None), ("failed", "1 hour", ERROR, "08006")])
        b = self.banner()
        self.assertIn('class="banner error"', b)
        self.assertIn("The last refresh failed", b)
        self.assertIn("1 h ago (08006): " + ERROR, b)
        self.assertIn("Updated", b)

    def test_failed_and_stale(self):
        self.set_runs([("ok", "3 days", None, None), ("failed", "20 minutes", ERROR, "08006")])
        b = self.banner()
        self.assertIn('class="banner error"', b)
        self.assertIn("The data is stale", b)
        self.assertIn("20 min ago (08006)", b)

    def test_failure_older_than_last_success_is_not_shown(self):
        self.set_runs([("failed", "5 hours", ERROR, "08006"), ("ok", "1 hour", None, None)])
        b = self.banner()
        self.assertIn('class="banner ok"', b)
        self.assertNotIn("failed", b)

    def test_never_refreshed(self):
        self.set_runs([])
        b = self.banner()
        self.assertIn('class="banner warn"', b)
        self.assertIn("No successful refresh yet", b)

    def test_banner_on_problem_page_and_api(self):
        self.set_runs([("ok", "30 hours", None, None)])
        self.assertIn("The data is stale", self.banner("/problems/P0001/"))
        st = self.client.get("/api/problems").json()["status"]
        self.assertTrue(st["stale"])
        self.assertIsNone(st["last_error"])
