from problems import fixtures

from .support import DbTestCase, codes, expected


class ProblemListTests(DbTestCase):
    def get(self, **params):
        r = self.client.get("/", params)
        self.assertEqual(r.status_code, 200)
        return r.content.decode()

    def test_default_order_is_most_points_first(self):
        html = self.get()
        self.assertEqual(codes(html), expected("-score")[:50])
        self.assertIn('data-order="score">Score ▼', html)

    def test_every_sort_key_both_directions(self):
        for key in ("score", "users", "name", "code", "next_score"):
            for order in (key, "-" + key):
                with self.subTest(order=order):
                    self.assertEqual(codes(self.get(order=order)), expected(order)[:50])

    def test_header_link_reverses_the_active_sort(self):
        html = self.get(order="users")
        self.assertIn('href="?order=-users" class="active" data-order="users">Users ▲', html)
        self.assertIn('href="?order=name" class="" data-order="name"', html)

    def test_unknown_order_falls_back_to_default(self):
        self.assertEqual(codes(self.get(order="password")), expected("-score")[:50])

    def test_row_shows_link_users_score_and_points_now(self):
        html = self.get(q="P0001")
        users = fixtures.current()["P0001"][2]
        self.assertIn('<a href="https://www.spoj.com/problems/P0001/">Problem 1</a>', html)
        self.assertIn('<td class="num users">%d</td>' % users, html)
        self.assertIn('<td class="num score">%.3f</td>' % (80 / (40 + users)), html)
        self.assertIn('<td class="num next">%.3f</td>' % (80 / (41 + users)), html)

    def test_vanished_problem_is_not_listed(self):
        self.assertNotIn(fixtures.VANISHED, codes(self.get(order="-code")))
        self.assertIn("129 problems", self.get())

    def test_search_by_code_prefix(self):
        self.assertEqual(codes(self.get(q="p000", order="code")), ["P000%d" % i for i in range(1, 10)])

    def test_search_by_name_case_insensitive(self):
        for q, code in (("tom", "P0007"), ("JERRY", "P0007"), ("café", "P0013"), ("CAFÉ CR", "P0013"),
                        ("ślimak", "P0021"), ("& j", "P0007"), ("prime gen", "P0099")):
            with self.subTest(q=q):
                self.assertEqual(codes(self.get(q=q)), [code])

    def test_search_wildcards_are_literal(self):
        for q in ("%", "_", "Problem_1", "%roblem"):
            with self.subTest(q=q):
                self.assertEqual(codes(self.get(q=q)), [])
                self.assertIn("No problems match", self.get(q=q))

    def test_names_are_escaped(self):
        html = self.get(q="< b >")
        self.assertEqual(codes(html), ["P0042"])
        self.assertIn("a &lt; b &gt; c &quot;quoted&quot;", html)
        self.assertIn("Tom &amp; Jerry", self.get(q="tom"))

    def test_pages_of_50(self):
        exp = expected("-score")
        self.assertEqual(codes(self.get(page=2)), exp[50:100])
        last = self.get(page=3)
        self.assertEqual(codes(last), exp[100:])
        self.assertIn("Page 3 of 3", last)
        self.assertIn("101–129 shown", last)

    def test_out_of_range_page_numbers(self):
        exp = expected("-score")
        self.assertEqual(codes(self.get(page=99)), exp[100:])
        self.assertEqual(codes(self.get(page="abc")), exp[:50])

    def test_paging_keeps_search_and_order(self):
        html = self.get(q="problem", order="users", page=2)
        exp = expected("users", q="problem")
        self.assertEqual(len(exp), 124)
        self.assertEqual(codes(html), exp[50:100])
        self.assertIn('href="?q=problem&amp;order=users&amp;page=3"', html)
        self.assertIn('href="?q=problem&amp;order=users"', html)      # previous = first page

    def test_search_with_no_pages_has_no_pager(self):
        html = self.get(q="tom")
        self.assertNotIn('aria-label="Pages"', html)
        self.assertIn("1 problem matching “tom”", html)
