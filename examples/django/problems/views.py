"""Pages and the JSON endpoint. Everything here only reads."""
import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.models import Q
from django.db.models.functions import Lower
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from .models import Problem
from .notify import cache
from .svg import history_svg

# ?order= values: the column and what it is called; "-" in front means descending.
ORDERS = {
    "score": "score",
    "next_score": "next_score",
    "users": "users",
    "name": "name",
    "code": "code",
}
DEFAULT_ORDER = "-score"
HANDLE_RE = re.compile(r"^[a-z0-9_]{1,32}$")


def parse_order(value):
    """'-score' -> ['-score', 'code']; None for anything not in the whitelist."""
    value = value or DEFAULT_ORDER
    desc = value.startswith("-")
    key = value[1:] if desc else value
    if key not in ORDERS:
        return None
    column = ("-" if desc else "") + ORDERS[key]
    return [column] if key == "code" else [column, "code"]    # ties: by code, stable pages


def problems_query(q, order):
    qs = Problem.objects.filter(missing_since__isnull=True)
    q = (q or "").strip()
    if q:
        # Code prefix (primary key) or a piece of the name, case-insensitively:
        # lower(name) LIKE '%...%' (Django escapes % and _ in q).
        qs = qs.annotate(lname=Lower("name")).filter(
            Q(code__startswith=q.upper()) | Q(lname__contains=q.lower()))
    return qs.order_by(*order).only("code", "name", "users", "score", "next_score")


# ---------------------------------------------------------------------------------------
# Freshness: spoj_status(), once per request, shown on every page.

def human_age(delta):
    s = int(delta.total_seconds())
    if s < 60:
        return "just now"
    if s < 3600:
        return "%d min ago" % (s // 60)
    if s < 2 * 86400:
        return "%d h ago" % (s // 3600)
    return "%d d ago" % (s // 86400)


def spoj_status(request=None):
    if request is not None and hasattr(request, "_spoj_status"):
        return request._spoj_status
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM spoj_status()")
        row = cur.fetchone()
        st = dict(zip([c[0] for c in cur.description], row))
    now = timezone.now()
    st["age_text"] = human_age(st["age"]) if st["last_success"] else None
    st["error_age_text"] = human_age(now - st["last_error_at"]) if st["last_error_at"] else None
    if st["last_error"]:
        st["level"] = "error"
    elif st["stale"]:
        st["level"] = "warn"
    else:
        st["level"] = "ok"
    if request is not None:
        request._spoj_status = st
    return st


def freshness(request):
    """Template context processor: the banner's data."""
    try:
        return {"status": spoj_status(request)}
    except DatabaseError:
        return {"status": None}


# ---------------------------------------------------------------------------------------
# Pages

def problem_list(request):
    q = request.GET.get("q", "").strip()[:100]
    order_param = request.GET.get("order", DEFAULT_ORDER)
    order = parse_order(order_param)
    if order is None:
        order_param, order = DEFAULT_ORDER, parse_order(DEFAULT_ORDER)
    page = Paginator(problems_query(q, order), settings.PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))

    def link(**changes):
        params = {"q": q, "order": order_param, "page": page.number}
        params.update(changes)
        return "?" + urlencode({k: v for k, v in params.items() if v not in ("", None, 1)})

    columns = []
    for key, label, first in (("name", "Name", "name"), ("code", "Code", "code"),
                              ("users", "Users", "users"), ("score", "Score", "-score"),
                              ("next_score", "Points if solved now", "-next_score")):
        active = order_param.lstrip("-") == key
        target = (key if order_param.startswith("-") else "-" + key) if active else first
        columns.append({"key": key, "label": label, "url": link(order=target, page=None),
                        "active": active, "desc": order_param.startswith("-")})
    return render(request, "problems/list.html", {
        "page": page, "q": q, "order": order_param, "columns": columns,
        "prev_url": link(page=page.previous_page_number()) if page.has_previous() else None,
        "next_url": link(page=page.next_page_number()) if page.has_next() else None,
        "first_url": link(page=None), "last_url": link(page=page.paginator.num_pages),
    })


def problem_detail(request, code):
    if code != code.upper():
        return redirect("problem_detail", code=code.upper())
    problem = get_object_or_404(Problem, code=code)
    # Changes only when a refresh commits: kept until spojscore's notification says so.
    history = cache.get(("history", code),
                        lambda: list(problem.history.order_by("seen_at").values_list("seen_at", "users")))
    return render(request, "problems/problem.html", {
        "problem": problem,
        "history": history[::-1],
        "chart": history_svg(history, timezone.now()),
    })


def user_points(request, handle):
    """Per-user points (spoj_user_points / spoj_recommend, when the extension has them)."""
    handle = handle.strip().lower()
    context = {"handle": handle, "available": True, "user": None, "recommend": []}
    with connection.cursor() as cur:
        cur.execute("SELECT to_regprocedure('spoj_user_points(text)') IS NOT NULL")
        context["available"] = cur.fetchone()[0]
        if context["available"] and HANDLE_RE.match(handle):
            cur.execute("SELECT * FROM spoj_user_points(%s)", [handle])
            row = cur.fetchone()
            if row:
                context["user"] = dict(zip([c[0] for c in cur.description], row))
                cur.execute("SELECT * FROM spoj_recommend(%s, 20)", [handle])
                cols = [c[0] for c in cur.description]
                context["recommend"] = [dict(zip(cols, r)) for r in cur.fetchall()]
    status = 200 if context["user"] else 404
    return render(request, "problems/user.html", context, status=status)


# ---------------------------------------------------------------------------------------
# JSON: /api/problems?order=-score&limit=50&offset=0 (or &page=N) &q=...

class BadRequest(ValueError):
    pass


def _int_param(request, name, default, minimum):
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest("%s must be an integer" % name)
    if value < minimum:
        raise BadRequest("%s must be at least %d" % (name, minimum))
    return value


def api_problems(request):
    order_param = request.GET.get("order") or DEFAULT_ORDER
    order = parse_order(order_param)
    try:
        if order is None:
            raise BadRequest("order must be one of: %s (prefix - for descending)"
                             % ", ".join(sorted(ORDERS)))
        limit = min(_int_param(request, "limit", 50, 1), settings.API_MAX_LIMIT)
        offset = _int_param(request, "offset", 0, 0)
        page = _int_param(request, "page", None, 1)
        if page is not None:
            if "offset" in request.GET:
                raise BadRequest("give offset or page, not both")
            offset = (page - 1) * limit
    except BadRequest as e:
        return JsonResponse({"error": str(e)}, status=400)
    q = request.GET.get("q", "").strip()[:100]
    qs = problems_query(q, order)
    total = qs.count()
    rows = qs[offset:offset + limit]
    st = spoj_status(request)
    return JsonResponse({
        "count": total, "limit": limit, "offset": offset, "order": order_param, "q": q,
        "results": [{
            "code": p.code, "name": p.name, "users": p.users, "score": p.score,
            "next_score": p.next_score, "url": p.spoj_url,
        } for p in rows],
        "status": {
            "last_success": st["last_success"], "stale": st["stale"],
            "last_error": st["last_error"], "last_error_at": st["last_error_at"],
            "refresh_running": st["refresh_running"],
        },
    }, json_dumps_params={"ensure_ascii": False})
