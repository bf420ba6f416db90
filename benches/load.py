"""Request rates and latencies against a running release server (see measure.sh).

Prints medians from one run; these machines are noisy, so compare ratios within a run."""
import http.cookiejar
import json
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

BASE = sys.argv[1]
ADMIN_PASSWORD = sys.argv[2]


def opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def post(o, path, fields):
    req = urllib.request.Request(BASE + path, data=urllib.parse.urlencode(fields).encode(),
                                 headers={"accept": "application/json", "origin": BASE})
    with o.open(req) as r:
        return r.read()


def cookie_header(o):
    for h in o.handlers:
        if isinstance(h, urllib.request.HTTPCookieProcessor):
            return "; ".join(f"{c.name}={c.value}" for c in h.cookiejar)
    return ""


def wrk_rps(path, cookie, seconds=10):
    args = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(args + [BASE + path], capture_output=True, text=True, check=True).stdout
    rps = float(next(l for l in out.splitlines() if l.startswith("Requests/sec")).split()[1])
    p50 = next(l for l in out.splitlines() if l.strip().startswith("50%")).split()[1]
    return rps, p50


def latency_ms(o, path, fields=None, n=25):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        if fields is None:
            with o.open(BASE + path) as r:
                r.read()
        else:
            post(o, path, fields)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


shopper = opener()
post(shopper, "/api/store/register", {
    "form[store]": "", "form[first_name]": "Bench", "form[last_name]": "Shopper", "form[email]": f"bench.{time.time()}@example.com",
    "form[password]": "Bench-Passw0rd", "form[password_confirmation]": "Bench-Passw0rd"})
health_rps, health_p50 = wrk_rps("/health", "")
account_rps, account_p50 = wrk_rps("/customer/account", cookie_header(shopper))
print(f"trivial route /health:            {health_rps:10.0f} req/s  (p50 {health_p50})")
print(f"storefront /customer/account:     {account_rps:10.0f} req/s  (p50 {account_p50})")
print(f"ratio account/trivial:            {account_rps / health_rps:10.3f}")

# A sign-in flood (unknown users, so nobody gets locked) while the storefront is measured:
# password hashing waits on its own bounded pool instead of taking the page renderers' cores.
import threading
stop = threading.Event()


def flood():
    o = opener()
    while not stop.is_set():
        try:
            post(o, "/admin/api/sign_in", {"form[username]": "nobody", "form[password]": "Wrong-Passw0rd"})
        except Exception:
            pass


threads = [threading.Thread(target=flood) for _ in range(8)]
for t in threads:
    t.start()
flood_rps, flood_p50 = wrk_rps("/customer/account", cookie_header(shopper))
stop.set()
for t in threads:
    t.join()
print(f"same, during an 8-way sign-in flood: {flood_rps:10.0f} req/s  (p50 {flood_p50}), "
      f"{flood_rps / account_rps:.2f} of the undisturbed rate")

admin = opener()
post(admin, "/admin/api/sign_in", {"form[username]": "admin", "form[password]": ADMIN_PASSWORD})
first = json.loads(post(admin, "/admin/api/customers_list", {}))
keyset = "count" in first  # the grid kit (cursor paging); before it, page numbers and a total
total = first["count"]["rows"] if keyset else first["total"]
capped = keyset and first["count"]["capped"]
print(f"\nadmin customer grid, {'more than ' if capped else ''}{total} customers, median of 25 sequential requests:")


def page_fields(n):
    """The request for page n (20 rows a page): its cursor, reached by n-1 `next` steps."""
    if not keyset:
        return {"query[page]": str(n)}
    fields = {}
    for _ in range(n - 1):
        page = json.loads(post(admin, "/admin/api/customers_list", fields))
        fields = {"query[after]": page["next"]}
    return fields


t = time.perf_counter()
deep = page_fields(5000)
walk = time.perf_counter() - t
mid = page_fields(2000)
if keyset:
    sorted_by_name = {"query[sort]": "name", "query[dir]": "asc"}
    keyword = {"query[search]": "veronica"}
    filtered = {"query[filters][website]": "2", "query[filters][active]": "0"}
else:
    sorted_by_name = {"query[sort]": "Name", "query[descending]": "false"}
    keyword = {"query[keyword]": "veronica"}
    filtered = {"query[website_id]": "2", "query[active]": "false"}
cases = [
    ("first page (newest first)", {}),
    ("page 2000 (20 rows a page)", mid),
    ("page 5000 (20 rows a page)", deep),
    ("sorted by name", sorted_by_name),
    ("keyword 'veronica'", keyword),
    ("filter: second website, inactive", filtered),
]
results = {}
for name, fields in cases:
    results[name] = latency_ms(admin, '/admin/api/customers_list', fields)
    print(f"  server function, {name:34} {results[name]:8.1f} ms")
ratio = results["page 5000 (20 rows a page)"] / results["first page (newest first)"]
print(f"  page 5000 / page 1: {ratio:.2f}  (reaching page 5000 by 4999 next steps took {walk:.1f} s)")
print(f"  whole page /admin/customers (SSR) {'':18} {latency_ms(admin, '/admin/customers'):8.1f} ms")
if keyset:
    url = "/admin/customers?after=" + urllib.parse.quote(deep["query[after]"])
    print(f"  whole page 5000 by its URL (SSR) {'':19} {latency_ms(admin, url):8.1f} ms")
    t = time.perf_counter()
    with admin.open(BASE + "/admin/export/customers.csv") as r:
        lines = r.read().count(b"\n")
    print(f"  CSV export of every customer: {lines - 1} rows in {(time.perf_counter() - t) * 1000:.0f} ms")
