from django.db import DatabaseError, connection, transaction

from .support import DbTestCase


class ReaderRoleTests(DbTestCase):
    """The site connects as a reader: it can read the tables and spoj_status(), nothing else."""

    def test_not_a_superuser_and_select_only(self):
        with connection.cursor() as cur:
            cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            self.assertFalse(cur.fetchone()[0])
            for table in ("spoj_problems", "spoj_problem_history", "spoj_refresh_runs"):
                cur.execute("SELECT has_table_privilege(%s, 'SELECT'), has_table_privilege(%s, 'INSERT'),"
                            " has_table_privilege(%s, 'UPDATE'), has_table_privilege(%s, 'DELETE')",
                            [table] * 4)
                self.assertEqual(cur.fetchone(), (True, False, False, False), table)
            cur.execute("SELECT has_function_privilege('spoj_refresh(boolean)', 'EXECUTE')")
            self.assertFalse(cur.fetchone()[0])

    def test_writes_are_refused(self):
        with self.assertRaises(DatabaseError):
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute("UPDATE spoj_problems SET name = 'x' WHERE code = 'P0001'")
