"""Keep data until the next refresh instead of for a fixed time: spojscore sends
NOTIFY spojscore with a small JSON payload when a refresh commits (run_id, status "ok",
source, inserted, updated, marked_missing) and when a scheduled run's failure is recorded
(status "failed" or "skipped", sqlstate, error cut to 200 characters).

`cache` holds values computed from the tables; a daemon thread listens on one extra
connection and drops the cache on every committed refresh. Without the listener (the
default; set SPOJSCORE_LISTEN=1 to start it) nothing is cached, so the site never shows
data older than the tables. Any role may NOTIFY on any channel: a payload is a hint to
re-read, never data to trust.
"""
import json
import logging
import select
import threading
import time

import psycopg2
from django.db import connections

CHANNEL = "spojscore"
log = logging.getLogger(__name__)


class RefreshCache:
    """Values derived from spojscore's tables, dropped when a refresh commits."""

    def __init__(self):
        self._lock = threading.Lock()
        self._values = {}
        self.listening = False
        self.last = None        # the last payload that dropped the cache

    def get(self, key, compute):
        if not self.listening:  # nobody would tell us the data changed: do not keep it
            return compute()
        with self._lock:
            if key in self._values:
                return self._values[key]
        value = compute()
        with self._lock:
            self._values[key] = value
        return value

    def drop(self, payload=None):
        with self._lock:
            self._values.clear()
            self.last = payload


cache = RefreshCache()


def connect(alias="default"):
    """One more connection with the site's settings, in autocommit, listening."""
    conn = psycopg2.connect(**connections[alias].get_connection_params())
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("LISTEN " + CHANNEL)
    return conn


def wait(conn, timeout):
    """The payloads received within `timeout` seconds (returns at the first batch)."""
    if select.select([conn], [], [], timeout) == ([], [], []):
        return []
    conn.poll()
    payloads = []
    while conn.notifies:
        n = conn.notifies.pop(0)
        if n.channel != CHANNEL:
            continue
        try:
            payloads.append(json.loads(n.payload))
        except ValueError:
            payloads.append({"status": "unknown"})  # not spojscore's: re-read to be safe
    return payloads


def listen(target=cache, alias="default", stop=None):
    """Drops `target` on every notification but a failure's (a failure changed nothing),
    reconnecting after errors; while disconnected nothing is cached."""
    while stop is None or not stop.is_set():
        try:
            conn = connect(alias)
        except psycopg2.Error as e:
            log.warning("spojscore listener: %s", e)
            time.sleep(5)
            continue
        target.drop()               # anything may have changed while nobody listened
        target.listening = True
        try:
            while stop is None or not stop.is_set():
                for payload in wait(conn, 1):
                    if payload.get("status") not in ("failed", "skipped"):
                        target.drop(payload)
        except (psycopg2.Error, OSError) as e:
            log.warning("spojscore listener: %s", e)
        finally:
            target.listening = False
            conn.close()


def start(target=cache, alias="default"):
    """Starts the listener thread; returns an Event that stops it."""
    stop = threading.Event()
    threading.Thread(target=listen, args=(target, alias, stop), daemon=True,
                     name="spojscore-listener").start()
    return stop
