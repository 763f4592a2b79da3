from django.test import SimpleTestCase

from spojsite.settings import database_from_env


class ConnectionSettingsTests(SimpleTestCase):
    def test_database_url(self):
        db = database_from_env({"DATABASE_URL": "postgres://reader:p%40ss@db.example:6543/app?sslmode=require"})
        self.assertEqual((db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]),
                         ("app", "reader", "p@ss", "db.example", "6543"))
        self.assertEqual(db["OPTIONS"], {"sslmode": "require"})

    def test_database_url_with_socket_directory(self):
        db = database_from_env({"DATABASE_URL": "postgresql://reader@%2Fvar%2Frun%2FPostgreSQL/app"})
        self.assertEqual((db["HOST"], db["PORT"], db["NAME"]), ("/var/run/PostgreSQL", "", "app"))

    def test_pg_variables_and_schema(self):
        db = database_from_env({"PGHOST": "/tmp/s", "PGPORT": "54329", "PGDATABASE": "d", "PGUSER": "r",
                                "SPOJSCORE_SCHEMA": "spoj"})
        self.assertEqual((db["HOST"], db["PORT"], db["NAME"], db["USER"]), ("/tmp/s", "54329", "d", "r"))
        self.assertEqual(db["OPTIONS"]["options"], "-c search_path=spoj,public")

    def test_other_schemes_are_refused(self):
        with self.assertRaises(ValueError):
            database_from_env({"DATABASE_URL": "mysql://x@y/z"})
