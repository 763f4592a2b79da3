"""Runs Django's tests against a real PostgreSQL database with spojscore installed.

The models are unmanaged and the tables belong to the extension, so Django must not create
a test database nor migrate anything. Instead (see test/django-run):

  DATABASE_URL / PG*      the site's connection: a reader role (SELECT only), as in production
  SPOJ_DJANGO_ADMIN_DSN   a libpq DSN for a superuser in the same throwaway database, where
                          CREATE EXTENSION spojscore has been run; the runner loads the test
                          data through spoj_load_pages() and tests use it to set up run-log
                          states (stale, failed). It refuses a database that already has
                          problems other than the test data.
"""
import os

import psycopg2
from django.db import connection
from django.test.runner import DiscoverRunner

from . import fixtures


def admin_connection():
    dsn = os.environ.get("SPOJ_DJANGO_ADMIN_DSN")
    if not dsn:
        raise RuntimeError("SPOJ_DJANGO_ADMIN_DSN is not set: run the tests with test/django-run")
    return psycopg2.connect(dsn)


class SpojTestRunner(DiscoverRunner):
    def setup_databases(self, **kwargs):
        admin = admin_connection()
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute("SELECT current_database(), rolsuper FROM pg_roles WHERE rolname = current_user")
            admin_db, is_super = cur.fetchone()
            if not is_super:
                raise RuntimeError("SPOJ_DJANGO_ADMIN_DSN must connect as a superuser")
            cur.execute("SELECT to_regclass('spoj_problems') IS NOT NULL")
            if not cur.fetchone()[0]:
                raise RuntimeError("database %s has no spojscore: CREATE EXTENSION spojscore first" % admin_db)
            cur.execute("SELECT count(*), count(*) FILTER (WHERE code ~ '^P[0-9]{4}$') FROM spoj_problems")
            total, ours = cur.fetchone()
        if total == 0:
            fixtures.load(admin)
        elif total != ours:
            raise RuntimeError("database %s holds real problems; the tests need a throwaway one" % admin_db)
        admin.close()
        with connection.cursor() as cur:
            cur.execute("SELECT current_database()")
            if cur.fetchone()[0] != admin_db:
                raise RuntimeError("the site's database and SPOJ_DJANGO_ADMIN_DSN's differ")
        return None

    def teardown_databases(self, old_config, **kwargs):
        connection.close()
