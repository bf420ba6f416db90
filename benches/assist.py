"""Login as Customer against a running release server (see assist.sh): the start (POST) to the
first storefront page with the banner, 1,000 times, and the account page's request rate while
assisting as a ratio to a normal shopper's. Latencies are measured at the client on loopback
(they include the client's own time, so they overstate the server's). Medians and p99 from
one run; compare ratios within a run."""
import http.cookiejar
import json
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = sys.argv[1]
ADMIN_PASSWORD = sys.argv[2]
RUNS = int(sys.argv[3]) if len(sys.argv) > 3 else 1000


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
    args = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-H", f"Cookie: {cookie}", BASE + path]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rps = float(next(l for l in out.splitlines() if l.startswith("Requests/sec")).split()[1])
    p50 = next(l for l in out.splitlines() if l.strip().startswith("50%")).split()[1]
    return rps, p50


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, round((len(s) - 1) * p))]


admin = opener()
post(admin, "/admin/api/sign_in", {"form[username]": "admin", "form[password]": ADMIN_PASSWORD})
post(admin, "/admin/api/config_save", {"form[scope]": "default", "form[section]": "login_as_customer",
                                       "form[fields][login_as_customer.general.enabled]": "1"})
email = f"assist.{time.time()}@example.com"
shopper = opener()
post(shopper, "/api/store/register", [
    ("form[store]", ""), ("form[first_name]", "Bench"), ("form[last_name]", "Shopper"), ("form[email]", email),
    ("form[password]", "Bench-Passw0rd"), ("form[password_confirmation]", "Bench-Passw0rd"),
    ("form[assistance_allowed][]", "false"), ("form[assistance_allowed][]", "true")])
found = json.loads(post(admin, "/admin/api/customers_list", {"query[search]": email}))
customer = found["rows"][0]["id"]

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# The same cookie jar, without following redirects: the redemption's 303 is timed on its own.
jar = next(h.cookiejar for h in admin.handlers if isinstance(h, urllib.request.HTTPCookieProcessor))
manual = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())

total, steps = [], {"start": [], "redeem": [], "page": []}
for i in range(RUNS):
    t0 = time.perf_counter()
    started = json.loads(post(admin, "/admin/api/assist_start",
                              {"form[customer_id]": str(customer), "form[store]": "", "form[reason]": ""}))
    t1 = time.perf_counter()
    secret = started["open_url"].split("#", 1)[1]
    try:
        post(manual, "/admin/login-as-customer/redeem", {"ticket": secret})
        raise SystemExit("the redemption did not redirect")
    except urllib.error.HTTPError as e:
        assert e.code == 303, e.code
        to = e.headers["location"]
    t2 = time.perf_counter()
    with admin.open(BASE + to) as r:
        page = r.read().decode()
    t3 = time.perf_counter()
    if i == 0:
        assert "You are connected as Bench Shopper" in page, page[:2000]
    total.append((t3 - t0) * 1000)
    for name, took in (("start", t1 - t0), ("redeem", t2 - t1), ("page", t3 - t2)):
        steps[name].append(took * 1000)
print(f"start (POST) to the first storefront page with the banner, {RUNS} runs (ms, at the client):")
print(f"  whole handoff     p50 {statistics.median(total):7.2f}   p99 {pct(total, 0.99):7.2f}")
for name, values in steps.items():
    print(f"    {name:<15} p50 {statistics.median(values):7.2f}   p99 {pct(values, 0.99):7.2f}")

normal = opener()
post(normal, "/api/store/sign_in", {"form[store]": "", "form[email]": email, "form[password]": "Bench-Passw0rd"})
normal_rps, normal_p50 = wrk_rps("/customer/account", cookie_header(normal))
assisting_rps, assisting_p50 = wrk_rps("/customer/account", cookie_header(admin))
print(f"/customer/account, normal shopper:  {normal_rps:9.0f} req/s (p50 {normal_p50})")
print(f"/customer/account, while assisting: {assisting_rps:9.0f} req/s (p50 {assisting_p50})")
print(f"ratio assisting/normal: {assisting_rps / normal_rps:.3f}")
