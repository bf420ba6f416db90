"""Soak: page requests from many clients, a third of which go away mid-response, against a
running server (see soak.sh). Every request must be answered or cancelled by its client; a
request that gets no answer within its deadline counts as stalled. Afterwards every page must
still answer at once, 64 at a time: a worker blocked by an abandoned render would not.

Usage: soak.py BASE ADMIN_PASSWORD [REQUESTS] [CONNECTIONS]. Exits 1 on any stall or error."""
import asyncio
import http.cookiejar
import random
import socket
import statistics
import struct
import sys
import time
import urllib.parse
import urllib.request

BASE = sys.argv[1]
ADMIN_PASSWORD = sys.argv[2]
REQUESTS = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
CONNECTIONS = int(sys.argv[4]) if len(sys.argv) > 4 else 64
DEADLINE = 30.0
HOST, PORT = urllib.parse.urlsplit(BASE).hostname, urllib.parse.urlsplit(BASE).port


def signed_in(path, fields):
    """A cookie header for a session signed in by posting `fields` to `path`."""
    jar = http.cookiejar.CookieJar()
    o = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    req = urllib.request.Request(BASE + path, data=urllib.parse.urlencode(fields).encode(),
                                 headers={"accept": "application/json", "origin": BASE})
    with o.open(req) as r:
        r.read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


admin = signed_in("/admin/api/sign_in", {"form[username]": "admin", "form[password]": ADMIN_PASSWORD})
shopper = signed_in("/api/store/register", {
    "form[store]": "", "form[first_name]": "Soak", "form[last_name]": "Shopper",
    "form[email]": f"soak.{time.time()}@example.com",
    "form[password]": "Soak-Passw0rd", "form[password_confirmation]": "Soak-Passw0rd"})

# Pages whose renders load data (the storefront's layout, the account, admin grids).
PAGES = [
    ("/", ""),
    ("/second_zh", ""),
    ("/customer/account/login", ""),
    ("/customer/account", shopper),
    ("/customer/account/edit", shopper),
    ("/admin/dashboard", admin),
    ("/admin/customers", admin),
    ("/admin/system/action-logs", admin),
    ("/admin/loginascustomer/log", admin),
]


async def one(path, cookie, mode):
    """One request; `mode`: read it all, leave after the first bytes, or leave before any."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, PORT)
    head = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nConnection: close\r\n"
    if cookie:
        head += f"Cookie: {cookie}\r\n"
    writer.write((head + "\r\n").encode())
    await writer.drain()
    try:
        if mode == "before":
            return "cancelled", None
        if mode == "midway":
            await asyncio.wait_for(reader.read(256), DEADLINE)
            return "cancelled", None
        body = await asyncio.wait_for(reader.read(), DEADLINE)
        status = int(body.split(b" ", 2)[1]) if body.startswith(b"HTTP/1.1 ") else 0
        if status >= 500 or status == 0:
            return "error", f"{path}: status {status}"
        return "answered", (time.perf_counter() - started) * 1000
    except asyncio.TimeoutError:
        return "stalled", path
    finally:
        # Gone at once (a reset, as a closed tab or a dropped connection), not a polite close.
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.close()


async def soak():
    queue = asyncio.Queue()
    rng = random.Random(7)
    for i in range(REQUESTS):
        path, cookie = PAGES[i % len(PAGES)]
        queue.put_nowait((path, cookie, rng.choice(["all", "all", "midway", "before"])))
    results = {"answered": [], "cancelled": 0, "stalled": [], "error": []}

    async def worker():
        while not queue.empty():
            path, cookie, mode = queue.get_nowait()
            try:
                kind, value = await one(path, cookie, mode)
            except OSError as e:
                kind, value = "error", f"{path}: {e}"
            if kind == "answered":
                results["answered"].append(value)
            elif kind == "cancelled":
                results["cancelled"] += 1
            else:
                results[kind].append(value)

    t = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
    elapsed = time.perf_counter() - t

    # Afterwards: every page at once, 64 together, each answered (any status but a 5xx) within
    # 10 s.
    async def check(path, cookie):
        try:
            reader, writer = await asyncio.open_connection(HOST, PORT)
            head = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nConnection: close\r\n"
            writer.write((head + (f"Cookie: {cookie}\r\n" if cookie else "") + "\r\n").encode())
            body = await asyncio.wait_for(reader.read(), 10)
            writer.close()
            status = int(body.split(b" ", 2)[1]) if body.startswith(b"HTTP/1.1 ") else 0
            return 0 < status < 500
        except (asyncio.TimeoutError, OSError):
            return False

    after = await asyncio.gather(*(check(*PAGES[i % len(PAGES)]) for i in range(64)))
    return results, elapsed, sum(after)


results, elapsed, after_ok = asyncio.run(soak())
answered = sorted(results["answered"])
p = lambda q: answered[min(len(answered) - 1, int(q * len(answered)))] if answered else float("nan")
print(f"{REQUESTS} page requests over {CONNECTIONS} connections in {elapsed:.1f} s")
print(f"  answered:  {len(answered)}  (p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms)")
print(f"  cancelled by their client (before or mid-response): {results['cancelled']}")
print(f"  stalled (no answer in {DEADLINE:.0f} s): {len(results['stalled'])}  {sorted(set(results['stalled']))[:5]}")
print(f"  errors:    {len(results['error'])}  {results['error'][:5]}")
print(f"  afterwards: {after_ok}/64 pages answered within 10 s, 64 at once (goal 64: no worker blocked)")
ok = not results["stalled"] and not results["error"] and after_ok == 64 \
    and len(answered) + results["cancelled"] == REQUESTS
print("soak:", "PASSED" if ok else "FAILED")
sys.exit(0 if ok else 1)
