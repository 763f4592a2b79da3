"""A real browser: Debian's chromium, headless, loads pages from a live Django server on
127.0.0.1 and we check the DOM it built; screenshots go to $SPOJ_DJANGO_OUT (default
<repo>/out/django)."""
import os
import shutil
import subprocess
import tempfile

from django.test import LiveServerTestCase

from .support import codes, expected

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
OUT = os.environ.get("SPOJ_DJANGO_OUT", os.path.join(REPO, "out", "django"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class BrowserTests(LiveServerTestCase):
    host = "127.0.0.1"
    databases = {"default"}

    # The tables are the extension's and the site only reads: no fixtures, no flush.
    # A classmethod: Django 5.2 calls it on the class, 3.2 and 4.2 on the instance.
    @classmethod
    def _fixture_setup(cls):
        pass

    def _fixture_teardown(self):
        pass

    @classmethod
    def setUpClass(cls):
        if not CHROMIUM:
            raise AssertionError("chromium is not installed (apt-get install chromium)")
        super().setUpClass()
        os.makedirs(OUT, exist_ok=True)

    def chromium(self, *args, timeout=90):
        profile = tempfile.mkdtemp(prefix="spojdj-chromium-")
        try:
            r = subprocess.run(
                [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
                 "--user-data-dir=" + profile, *args],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, text=True)
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        return r

    def dom(self, path):
        r = self.chromium("--dump-dom", self.live_server_url + path)
        self.assertEqual(r.returncode, 0, r.stderr[-2000:])
        return r.stdout

    def screenshot(self, path, name, height=1400):
        target = os.path.join(OUT, name)
        if os.path.exists(target):
            os.remove(target)
        r = self.chromium("--screenshot=" + target, "--window-size=1200,%d" % height,
                          self.live_server_url + path)
        self.assertTrue(os.path.getsize(target) > 10000 if os.path.exists(target) else False,
                        "no screenshot: " + r.stderr[-2000:])
        with open(target, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_list_page_in_a_real_browser(self):
        dom = self.dom("/")
        self.assertIn("<h1>", dom)
        self.assertEqual(codes(dom), expected("-score")[:50])
        self.assertIn("3 h ago", dom)
        self.assertIn("Page 1 of 3", dom)
        self.screenshot("/", "problem-list.png")

    def test_search_and_sort_in_a_real_browser(self):
        dom = self.dom("/?q=caf%C3%A9")
        self.assertEqual(codes(dom), ["P0013"])
        self.assertIn("Café Crème", dom)
        dom = self.dom("/?order=users&page=3")
        self.assertEqual(codes(dom), expected("users")[100:])

    def test_problem_page_chart_in_a_real_browser(self):
        dom = self.dom("/problems/P0001/")
        self.assertEqual(dom.count('class="pt"'), 3)
        self.screenshot("/problems/P0001/", "problem-P0001.png", height=900)

    def test_failed_refresh_banner_in_a_real_browser(self):
        from problems import fixtures
        from problems.testrunner import admin_connection
        admin = admin_connection()
        try:
            fixtures.set_runs(admin, [("ok", "2 days", None, None), ("failed", "40 minutes",
                              "spojscore: page 3: HTTP 503 from https://www.spoj.com/problems/classical/"
                              "sort=0,start=100 (Retry-After: 3600)", "08006")])
            dom = self.dom("/")
            self.assertIn('class="banner error"', dom)
            self.assertIn("The data is stale", dom)
            self.assertIn("The last refresh failed", dom)
            self.screenshot("/", "banner-failed.png", height=500)
        finally:
            fixtures.set_runs(admin, [("ok", "3 hours", None, None)])
            admin.close()
