from .support import DbTestCase, expected


class ApiTests(DbTestCase):
    def api(self, status=200, **params):
        r = self.client.get("/api/problems", params)
        self.assertEqual(r.status_code, status, r.content)
        self.assertEqual(r["Content-Type"], "application/json")
        return r.json()

    def test_default(self):
        j = self.api()
        self.assertEqual((j["count"], j["limit"], j["offset"], j["order"]), (129, 50, 0, "-score"))
        self.assertEqual([p["code"] for p in j["results"]], expected("-score")[:50])
        first = j["results"][0]
        self.assertEqual(set(first), {"code", "name", "users", "score", "next_score", "url"})
        self.assertAlmostEqual(first["score"], 80 / (40 + first["users"]))
        self.assertAlmostEqual(first["next_score"], 80 / (41 + first["users"]))
        self.assertEqual(first["url"], "https://www.spoj.com/problems/%s/" % first["code"])
        self.assertFalse(j["status"]["stale"])

    def test_orders(self):
        for order in ("score", "-score", "users", "-users", "name", "-name", "code", "-code",
                      "next_score", "-next_score"):
            with self.subTest(order=order):
                j = self.api(order=order, limit=500)
                self.assertEqual([p["code"] for p in j["results"]], expected(order))

    def test_bad_order_is_400(self):
        for order in ("bogus", "spoj_id", "--score", "score; DROP TABLE x", "-"):
            with self.subTest(order=order):
                self.assertIn("order must be one of", self.api(400, order=order)["error"])

    def test_limit_bounds(self):
        self.assertEqual(len(self.api(limit=1)["results"]), 1)
        j = self.api(limit=100000)
        self.assertEqual(j["limit"], 500)
        self.assertEqual(len(j["results"]), 129)
        for bad in ("0", "-5", "abc", "1.5"):
            with self.subTest(limit=bad):
                self.api(400, limit=bad)

    def test_offset_and_page(self):
        exp = expected("users")
        self.assertEqual([p["code"] for p in self.api(order="users", offset=120)["results"]], exp[120:])
        j = self.api(order="users", limit=20, page=3)
        self.assertEqual(j["offset"], 40)
        self.assertEqual([p["code"] for p in j["results"]], exp[40:60])
        self.assertEqual(self.api(offset=1000)["results"], [])
        self.api(400, offset=-1)
        self.api(400, page=0)
        self.api(400, page=2, offset=10)

    def test_search(self):
        j = self.api(q="café")
        self.assertEqual(j["count"], 1)
        self.assertEqual(j["results"][0]["name"], "Café Crème")
        self.assertEqual([p["code"] for p in self.api(q="p00", order="-code")["results"]],
                         expected("-code", q="p00")[:50])

    def test_non_ascii_is_utf8_json(self):
        r = self.client.get("/api/problems", {"q": "żółw"})
        self.assertIn("Żółw i ŚLIMAK".encode(), r.content)
