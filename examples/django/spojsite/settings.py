"""Settings for the spojscore example site.

Everything that differs between machines comes from the environment:

  DATABASE_URL   postgres://user:password@host:port/dbname  (a socket directory as host is
                 written percent-encoded: postgres://reader@%2Fvar%2Frun%2Fpostgresql/app)
  PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD   used when DATABASE_URL is not set
  SPOJSCORE_SCHEMA   the extension's schema when it is not in the search_path (e.g. "spoj")
  DJANGO_SECRET_KEY, DJANGO_DEBUG=1, DJANGO_ALLOWED_HOSTS (comma separated)

The site only reads: connect it as a role with SELECT on the spojscore tables (see README).
"""
import os
from urllib.parse import parse_qsl, unquote, urlsplit

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "spojscore-example-not-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = ["problems"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "spojsite.urls"
WSGI_APPLICATION = "spojsite.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": ["problems.views.freshness"]},
}]


def database_from_env(env=os.environ):
    """One DATABASES entry from DATABASE_URL, else from libpq's PG* variables."""
    db = {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": 60, "OPTIONS": {}}
    url = env.get("DATABASE_URL")
    if url:
        u = urlsplit(url)
        if u.scheme not in ("postgres", "postgresql"):
            raise ValueError("DATABASE_URL must start with postgres:// or postgresql://")
        host = u.netloc.rpartition("@")[2]          # not u.hostname: it lowercases paths
        if u.port:
            host = host.rpartition(":")[0]
        db.update(NAME=unquote(u.path.lstrip("/")), USER=unquote(u.username or ""),
                  PASSWORD=unquote(u.password or ""), HOST=unquote(host.strip("[]")),
                  PORT=str(u.port or ""))
        db["OPTIONS"].update(parse_qsl(u.query))        # e.g. ?sslmode=require
    else:
        db.update(NAME=env.get("PGDATABASE", "spojscore"), USER=env.get("PGUSER", ""),
                  PASSWORD=env.get("PGPASSWORD", ""), HOST=env.get("PGHOST", ""),
                  PORT=env.get("PGPORT", ""))
    schema = env.get("SPOJSCORE_SCHEMA")
    if schema:
        db["OPTIONS"]["options"] = "-c search_path=%s,public" % schema
    return db


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# The tables belong to the extension: tests run against a database prepared by
# test/django-run (see problems/testrunner.py), never one Django creates and migrates.
TEST_RUNNER = "problems.testrunner.SpojTestRunner"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_L10N = False
USE_TZ = True

STATIC_URL = "/static/"   # unused (CSS is inline), but the live test server needs it

PROBLEMS_PER_PAGE = 50
API_MAX_LIMIT = 500
