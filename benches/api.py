"""The JSON API against a running release server (see api.sh). Standard library only.

latency: Login as Customer started through the API (POST /api/v1/customers/{id}/login-as-customer)
  over RUNS calls, and the action log's first page and page 20,000 (50 per page, reached by the
  cursor the API hands out) at the size api.sh generated: p50 and p99 at the client, on one
  keep-alive connection.
flood: the storefront's request rate (wrk, 1 thread, 8 connections, 10 s) quiet, and while a
  second wrk floods the API with one token's calls; the ratio of the two, and what the flood got.
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


def report(name, values):
    print(f"  {name:<34} p50 {statistics.median(values):7.2f} ms   p99 {pct(values, 0.99):7.2f} ms   ({len(values)} calls)")


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
    report("start", starts)

    rows = sqlite3.connect(DB).execute("SELECT COUNT(*) FROM action_log").fetchone()[0]
    # The cursor of page 20,000 (as 19,999 `next` steps would hand it out), newest first.
    page = 20_000
    created, entry = sqlite3.connect(DB).execute(
        "SELECT created_at, id FROM action_log ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?",
        ((page - 1) * 50 - 1,)).fetchone()
    deep = f"/api/v1/action-log?limit=50&cursor=i{created}.{entry}"
    first = "/api/v1/action-log?limit=50"
    for path in (first, deep):
        for _ in range(50):
            timed(conn, "GET", path)
    print(f"The action log through the API at {rows:,} entries (50 per page):")
    for name, path in (("first page", first), (f"page {page:,} (by its cursor)", deep)):
        times = []
        for _ in range(RUNS):
            took, body = timed(conn, "GET", path)
            assert len(body["items"]) == 50, len(body["items"])
            times.append(took)
        report(name, times)


def wrk(args, seconds=10):
    return subprocess.Popen(["wrk", "-t1", "-c8", f"-d{seconds}s", "--latency", *args],
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
    store = [BASE + "/"]
    quiet_rps, quiet_p50, _, _ = parsed(wrk(store))
    flood_proc = wrk(["-H", f"Authorization: Bearer {TOKEN}", BASE + "/api/v1/customers"], seconds=12)
    time.sleep(1)
    busy_rps, busy_p50, _, _ = parsed(wrk(store))
    f_rps, _, f_non2xx, f_total = parsed(flood_proc)
    print("Storefront / while one token floods the API (default budget, 600 calls a minute):")
    print(f"  quiet         {quiet_rps:9.0f} req/s (p50 {quiet_p50})")
    print(f"  during flood  {busy_rps:9.0f} req/s (p50 {busy_p50})")
    print(f"  ratio         {busy_rps / quiet_rps:9.3f}")
    print(f"  the flood: {f_rps:.0f} calls/s, {f_total} calls, {f_total - f_non2xx} answered 200, {f_non2xx} refused (429)")


latency() if MODE == "latency" else flood()
