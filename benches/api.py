"""The JSON API against a running release server (see api.sh). Standard library only.

latency: Login as Customer started through the API (POST /api/v1/customers/{id}/login-as-customer)
  over RUNS calls, and the first page and page 20,000 (50 per page, reached by the cursor the
  API hands out) of the action log at the size api.sh generated and of the Login as Customer
  Log filled to 1,000,000 sessions: p50 and p99 at the client, on one keep-alive connection.
flood: the storefront's and an admin page's request rates (wrk, 1 thread, 8 connections, 10 s)
  quiet, and while a second wrk floods the API with one token's calls over 256 connections; the
  ratios, and what the flood got.
Each figure is printed with its goal (issue 9) and whether it meets it.
Latencies are measured at the client on loopback, so they overstate the server's."""
import http.client
import http.cookiejar
import json
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

MODE, BASE, TOKEN, ADMIN_PASSWORD, DB, RUNS = sys.argv[1:7]
RUNS = int(RUNS)
HOST = urllib.parse.urlparse(BASE).netloc
AUTH = {"authorization": f"Bearer {TOKEN}", "user-agent": "shopassist-bench"}


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, round((len(s) - 1) * p))]


def opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def post_form(o, path, fields):
    req = urllib.request.Request(BASE + path, data=urllib.parse.urlencode(fields).encode(),
                                 headers={"accept": "application/json", "origin": BASE})
    with o.open(req) as r:
        return r.read()


def timed(conn, method, path, body=None, expect=200):
    headers = dict(AUTH)
    if body is not None:
        headers["content-type"] = "application/json"
        body = json.dumps(body)
    t = time.perf_counter()
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    took = (time.perf_counter() - t) * 1000
    assert r.status == expect, (r.status, data[:500])
    return took, json.loads(data)


def report(name, values, goal_p99=None):
    p99 = pct(values, 0.99)
    verdict = "" if goal_p99 is None else f"   goal p99 <= {goal_p99} ms: {'met' if p99 <= goal_p99 else 'MISSED'}"
    print(f"  {name:<34} p50 {statistics.median(values):7.2f} ms   p99 {p99:7.2f} ms   ({len(values)} calls){verdict}")


def fill_sessions(customer, admin_id, total):
    """The Login as Customer Log at `total` sessions (ended ones, a minute apart, oldest first)."""
    db = sqlite3.connect(DB, timeout=60)
    have = db.execute("SELECT COUNT(*) FROM assistance_sessions").fetchone()[0]
    missing = total - have
    if missing > 0:
        now = int(time.time() * 1000)
        db.execute("""
            WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < ?)
            INSERT INTO assistance_sessions (admin_id, admin_name, customer_id, customer_email, store_view_id, reason,
                admin_session, ticket_expires_at, redeemed_at, started_at, last_seen_at, ended_at, end_reason, shown_name)
            SELECT ?, 'Bench Admin', c.id, c.email, c.store_view_id, 'bench ' || k, 'bench', 0,
                ? - (? - k) * 60000, ? - (? - k) * 60000, ? - (? - k) * 60000, ? - (? - k) * 60000 + 1000, 'closed', 'Bench'
            FROM n, customers c WHERE c.id = ?""",
                   (missing, admin_id, now, missing, now, missing, now, missing, now, missing, customer))
        db.commit()
    return db.execute("SELECT COUNT(*) FROM assistance_sessions").fetchone()[0]


def page_pair(conn, first, cursor_of_page, exact=True):
    """Checks that the cursor made for page 2 is the one the API hands out (`exact`; the
    action log grows by one entry per call read, so there only its form), then returns the
    first page's path and page 20,000's."""
    _, body = timed(conn, "GET", first)
    made, given = cursor_of_page(2), body["next_cursor"]
    if exact:
        assert given == made, (given, made)
    else:
        assert given.count(".") == made.count(".") == 1 and given[0] == made[0], (given, made)
    return first, f"{first}&cursor={cursor_of_page(20_000)}"


def read_pages(conn, label, paths):
    for path in paths:
        for _ in range(50):
            timed(conn, "GET", path)
    print(label)
    for name, path in zip(("first page", "page 20,000 (by its cursor)"), paths):
        times = []
        for _ in range(RUNS):
            took, body = timed(conn, "GET", path)
            assert len(body["items"]) == 50, len(body["items"])
            times.append(took)
        report(name, times, 5)


def latency():
    admin = opener()
    post_form(admin, "/admin/api/sign_in", {"form[username]": "admin", "form[password]": ADMIN_PASSWORD})
    post_form(admin, "/admin/api/config_save", {"form[scope]": "default", "form[section]": "login_as_customer",
                                                "form[fields][login_as_customer.general.enabled]": "1"})
    email = f"api.{time.time()}@example.com"
    post_form(opener(), "/api/store/register", [
        ("form[store]", ""), ("form[first_name]", "Bench"), ("form[last_name]", "Shopper"), ("form[email]", email),
        ("form[password]", "Bench-Passw0rd"), ("form[password_confirmation]", "Bench-Passw0rd"),
        ("form[assistance_allowed][]", "false"), ("form[assistance_allowed][]", "true")])
    conn = http.client.HTTPConnection(HOST)
    _, found = timed(conn, "GET", "/api/v1/customers?search=" + urllib.parse.quote(email))
    customer = found["items"][0]["id"]
    starts = [timed(conn, "POST", f"/api/v1/customers/{customer}/login-as-customer", {"reason": "Bench"}, 201)[0]
              for _ in range(RUNS)]
    print("Login as Customer started through the API:")
    report("start", starts, 25)

    db = sqlite3.connect(DB)
    rows = db.execute("SELECT COUNT(*) FROM action_log").fetchone()[0]

    def action_log_cursor(page):
        # Newest first: the cursor of the last entry of the page before, as `next` would hand it out.
        created, entry = db.execute(
            "SELECT created_at, id FROM action_log ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?",
            ((page - 1) * 50 - 1,)).fetchone()
        return f"i{created}.{entry}"
    paths = page_pair(conn, "/api/v1/action-log?limit=50", action_log_cursor, exact=False)
    read_pages(conn, f"The action log through the API at {rows:,} entries (50 per page):", paths)

    admin_id = db.execute("SELECT id FROM admin_users WHERE username = 'admin'").fetchone()[0]
    sessions = fill_sessions(customer, admin_id, 1_000_000)

    def log_cursor(page):
        (sid,) = db.execute("SELECT id FROM assistance_sessions ORDER BY id DESC LIMIT 1 OFFSET ?",
                            ((page - 1) * 50 - 1,)).fetchone()
        return f"i{sid}.{sid}"
    paths = page_pair(conn, "/api/v1/login-as-customer/log?limit=50", log_cursor)
    read_pages(conn, f"The Login as Customer Log through the API at {sessions:,} sessions (50 per page):", paths)


def wrk(args, seconds=10, connections=8):
    return subprocess.Popen(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def parsed(proc):
    out, err = proc.communicate()
    lines = out.splitlines()
    rps = float(next(l for l in lines if l.startswith("Requests/sec")).split()[1])
    p50 = next(l for l in lines if l.strip().startswith("50%")).split()[1]
    non2xx = next((int(l.split()[-1]) for l in lines if "Non-2xx" in l), 0)
    total = int(next(l for l in lines if "requests in" in l).split()[0])
    return rps, p50, non2xx, total


def flood():
    admin = opener()
    post_form(admin, "/admin/api/sign_in", {"form[username]": "admin", "form[password]": ADMIN_PASSWORD})
    jar = next(h for h in admin.handlers if isinstance(h, urllib.request.HTTPCookieProcessor)).cookiejar
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    pages = [("storefront /", [BASE + "/"]),
             ("admin /admin/customers", ["-H", f"Cookie: {cookie}", BASE + "/admin/customers"])]
    quiet = [parsed(wrk(args)) for _, args in pages]
    flood_proc = wrk(["-H", f"Authorization: Bearer {TOKEN}", BASE + "/api/v1/customers"],
                     seconds=12 * len(pages) + 2, connections=256)
    time.sleep(1)
    busy = [parsed(wrk(args)) for _, args in pages]
    f_rps, _, f_non2xx, f_total = parsed(flood_proc)
    print("While one token floods the API over 256 connections (default budget, 600 calls a minute):")
    for (name, _), (q_rps, q_p50, q_bad, _), (b_rps, b_p50, b_bad, _) in zip(pages, quiet, busy):
        assert q_bad == 0 and b_bad == 0, f"{name} answered non-2xx: {q_bad} quiet, {b_bad} during the flood"
        ratio = b_rps / q_rps
        print(f"  {name:<24} quiet {q_rps:7.0f} req/s (p50 {q_p50}), during flood {b_rps:7.0f} req/s (p50 {b_p50}),"
              f" ratio {ratio:.3f}   goal >= 0.8: {'met' if ratio >= 0.8 else 'MISSED'}")
    print(f"  the flood: {f_rps:.0f} calls/s, {f_total} calls, {f_total - f_non2xx} answered 200, {f_non2xx} refused (429)")


latency() if MODE == "latency" else flood()
