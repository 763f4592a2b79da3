import re
import xml.etree.ElementTree as ET

from problems import fixtures

from .support import DbTestCase

SVG = "{http://www.w3.org/2000/svg}"


class ProblemPageTests(DbTestCase):
    def chart(self, html):
        svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
        return ET.fromstring(svg)      # well-formed XML, or this raises

    def test_history_chart_has_a_point_per_change(self):
        r = self.client.get("/problems/P0001/")
        self.assertEqual(r.status_code, 200)
        html = r.content.decode()
        svg = self.chart(html)
        points = svg.findall(SVG + "circle")
        self.assertEqual(len(points), 3)
        titles = [c.find(SVG + "title").text for c in points]
        self.assertEqual([t.split(": ")[1] for t in titles], ["37 users", "42 users", "45 users"])
        # Later points further right; more users higher (smaller y).
        xs = [float(c.get("cx")) for c in points]
        ys = [float(c.get("cy")) for c in points]
        self.assertEqual(xs, sorted(xs))
        self.assertEqual(ys, sorted(ys, reverse=True))
        self.assertEqual(len(svg.findall(SVG + "path")), 1)
        self.assertIn('<a href="https://www.spoj.com/problems/P0001/">Problem 1</a>', html)
        self.assertEqual(re.findall(r'<td class="num">(\d+)</td>', html), ["45", "42", "37"])

    def test_single_point_history(self):
        html = self.client.get("/problems/P0050/").content.decode()
        self.assertEqual(len(self.chart(html).findall(SVG + "circle")), 1)
        self.assertIn("<dt>Users</dt><dd>%d</dd>" % fixtures.current()["P0050"][2], html)

    def test_escaped_name_in_title_and_heading(self):
        html = self.client.get("/problems/P0042/").content.decode()
        self.assertIn("<title>P0042: a &lt; b &gt; c &quot;quoted&quot; · spojscore</title>", html)
        self.assertNotIn("a < b", html)

    def test_vanished_problem_still_has_a_page(self):
        html = self.client.get("/problems/%s/" % fixtures.VANISHED).content.decode()
        self.assertIn("No longer in SPOJ's classical list", html)

    def test_lowercase_code_redirects(self):
        self.assertRedirects(self.client.get("/problems/p0001/"), "/problems/P0001/")

    def test_unknown_code_is_404(self):
        self.assertEqual(self.client.get("/problems/NOPE/").status_code, 404)
