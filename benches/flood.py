"""Sign-in latency under a storefront sign-in flood from many client addresses.

Measures how long an admin sign-in and a quiet shopper's sign-in take (median and max of a few
sequential attempts, each on a fresh connection) with no load, and again while the storefront
sign-in endpoint (/api/store/sign_in) is flooded from many client addresses with unknown emails
and wrong passwords. Admins hash on their own lane and waiting shoppers are served one client
address at a time, so the flood's own requests should mostly get 429 (busy) or 401.

Linux routes all of 127.0.0.0/8 to loopback, so each flood thread binds its own source address
(127.0.1.N); the admin signs in from 127.0.0.2 and the quiet shopper from 127.0.0.4.

Starts its own release server (fresh SQLite file in a temp dir, SHOPASSIST_HASH_CONCURRENCY=1)
and stops it at the end. Run from anywhere after `make build-release`:

    python3 benches/flood.py [BASE_PORT=3300] [FLOOD_ADDRESSES=200] [FLOOD_SECONDS=20]

The flood lasts FLOOD_SECONDS or until the timed sign-ins under it are done, whichever is later.
Standard library only.
"""
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 3300
FLOOD_ADDRESSES = int(sys.argv[2]) if len(sys.argv) > 2 else 200
FLOOD_SECONDS = float(sys.argv[3]) if len(sys.argv) > 3 else 20.0
HOST = "127.0.0.1"
ORIGIN = f"http://{HOST}:{PORT}"
ADMIN_PASSWORD = "Bench-Admin-Passw0rd"
ADMIN_ADDRESS = "127.0.0.2"
SHOPPER_ADDRESS = "127.0.0.4"
SHOPPER_EMAIL = f"quiet.{int(time.time())}@example.com"
SHOPPER_PASSWORD = "Quiet-Shopper-Passw0rd"
ATTEMPTS = 5
TIMEOUT = 60  # seconds; a waiting sign-in gives up after SHOPASSIST_HASH_WAIT_MS (10 s) anyway
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADERS = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json", "Origin": ORIGIN}


def connect(source):
    return http.client.HTTPConnection(HOST, PORT, timeout=TIMEOUT, source_address=(source, 0))


def post(conn, path, fields):
    """Posts a server function on `conn`; returns (status, body)."""
    conn.request("POST", path, body=urllib.parse.urlencode(fields), headers=HEADERS)
    r = conn.getresponse()
    return r.status, r.read()


def timed(source, path, fields):
    """One post on a fresh connection from `source`: (status, milliseconds)."""
    conn = connect(source)
    t = time.perf_counter()
    try:
        status, _ = post(conn, path, fields)
    finally:
        conn.close()
    return status, (time.perf_counter() - t) * 1000


def admin_sign_in():
    return timed(ADMIN_ADDRESS, "/admin/api/sign_in", {"form[username]": "admin", "form[password]": ADMIN_PASSWORD})


def shopper_sign_in():
    return timed(SHOPPER_ADDRESS, "/api/store/sign_in",
                 {"form[store]": "", "form[email]": SHOPPER_EMAIL, "form[password]": SHOPPER_PASSWORD})


def measure():
    """ATTEMPTS admin sign-ins, then ATTEMPTS quiet-shopper sign-ins, sequentially."""
    return {"admin": [admin_sign_in() for _ in range(ATTEMPTS)],
            "shopper": [shopper_sign_in() for _ in range(ATTEMPTS)]}


class Flood:
    """One thread per client address, each looping wrong-password sign-ins for unknown emails."""

    def __init__(self, addresses):
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.statuses = {}
        self.requests = 0
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(1, addresses + 1)]

    def count(self, key):
        with self.lock:
            self.requests += 1
            self.statuses[key] = self.statuses.get(key, 0) + 1

    def run(self, n):
        source = f"127.0.1.{n}" if n < 256 else f"127.0.{1 + n // 256}.{n % 256}"
        conn, i = None, 0
        while not self.stop.is_set():
            i += 1
            fields = {"form[store]": "", "form[email]": f"flood.{n}.{i}.{time.monotonic_ns()}@example.com",
                      "form[password]": "Wrong-Passw0rd"}
            try:
                conn = conn or connect(source)
                status, _ = post(conn, "/api/store/sign_in", fields)
                self.count(status)
            except Exception as e:  # a dropped or timed-out connection: count it, reconnect
                self.count(type(e).__name__)
                if conn:
                    conn.close()
                conn = None
        if conn:
            conn.close()

    def start(self):
        self.started = time.perf_counter()
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(TIMEOUT)
        self.seconds = time.perf_counter() - self.started


def start_server(work):
    env = dict(os.environ, DATABASE_URL=f"sqlite://{work}/flood.db", LEPTOS_SITE_ADDR=f"{HOST}:{PORT}",
               LEPTOS_SITE_ROOT="target/site", LEPTOS_ENV="PROD", SHOPASSIST_ADMIN_PASSWORD=ADMIN_PASSWORD,
               RUST_LOG="warn", SHOPASSIST_HASH_CONCURRENCY="1")
    log = open(f"{work}/server.log", "wb")
    server = subprocess.Popen(["target/release/shopassist", "serve", "--demo"], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, PORT, timeout=2)
            conn.request("GET", "/ready")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server not ready after 60 s")


def stop_server(server):
    server.terminate()
    try:
        server.wait(15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def row(name, samples):
    ms = [m for _, m in samples]
    ok = sum(1 for s, _ in samples if s == 200)
    statuses = ",".join(str(s) for s, _ in samples)
    return f"  {name:18} {statistics.median(ms):10.0f} {max(ms):10.0f}   {ok}/{len(samples)} ok  ({statuses})"


def main():
    if not os.access(os.path.join(ROOT, "target/release/shopassist"), os.X_OK):
        sys.exit("target/release/shopassist is missing: run `make build-release` first")
    with tempfile.TemporaryDirectory() as work:
        server = start_server(work)
        try:
            conn = connect(SHOPPER_ADDRESS)
            status, body = post(conn, "/api/store/register", {
                "form[store]": "", "form[first_name]": "Quiet", "form[last_name]": "Shopper",
                "form[email]": SHOPPER_EMAIL, "form[password]": SHOPPER_PASSWORD,
                "form[password_confirmation]": SHOPPER_PASSWORD})
            conn.close()
            if status != 200:
                raise RuntimeError(f"registering the quiet shopper: {status} {body[:200]!r}")

            idle = measure()
            flood = Flood(FLOOD_ADDRESSES)
            flood.start()
            try:
                time.sleep(2)
                flooded = measure()
                time.sleep(max(0.0, FLOOD_SECONDS - (time.perf_counter() - flood.started)))
            finally:
                flood.finish()
        except BaseException:
            with open(f"{work}/server.log", "rb") as f:
                sys.stderr.write(f.read()[-4000:].decode(errors="replace"))
            raise
        finally:
            stop_server(server)

    print(f"sign-in latency, {ATTEMPTS} sequential attempts each (SHOPASSIST_HASH_CONCURRENCY=1, {os.cpu_count()} cores)")
    print(f"  {'':18} {'median ms':>10} {'max ms':>10}")
    print(row("admin, idle", idle["admin"]))
    print(row("admin, flood", flooded["admin"]))
    print(row("shopper, idle", idle["shopper"]))
    print(row("shopper, flood", flooded["shopper"]))
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(flood.statuses.items(), key=lambda kv: str(kv[0])))
    print(f"flood: {FLOOD_ADDRESSES} addresses, {flood.requests} requests in {flood.seconds:.1f} s "
          f"({flood.requests / flood.seconds:.1f}/s); statuses {statuses}")
    every = all(s == 200 for run in (idle, flooded) for samples in run.values() for s, _ in samples)
    print(f"every admin and quiet-shopper sign-in succeeded (200): {'yes' if every else 'NO'}")


if __name__ == "__main__":
    main()
