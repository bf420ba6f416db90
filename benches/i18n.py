"""Storefront request rates before and after the translations (see i18n.sh): wrk against each
server in alternating rounds; prints each page's median rate and the after/before ratio."""
import statistics
import subprocess
import sys

BEFORE, AFTER, ROUNDS = sys.argv[1], sys.argv[2], int(sys.argv[3])
# The home page and the sign-in page of the default (English) store view, and the
# Traditional Chinese store view's home page (English before: it had no locale yet).
PAGES = ["/", "/customer/account/login", "/second_zh"]


def rps(base, path, seconds=5):
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", base + path],
                         capture_output=True, text=True, check=True).stdout
    return float(next(l for l in out.splitlines() if l.startswith("Requests/sec")).split()[1])


for base in (BEFORE, AFTER):  # warm both
    for path in PAGES:
        rps(base, path, 2)
results = {(b, p): [] for b in (BEFORE, AFTER) for p in PAGES}
for _ in range(ROUNDS):
    for path in PAGES:
        for base in (BEFORE, AFTER):
            results[(base, path)].append(rps(base, path))
print(f"{'page':28} {'before req/s':>14} {'after req/s':>14} {'after/before':>13}")
for path in PAGES:
    b = statistics.median(results[(BEFORE, path)])
    a = statistics.median(results[(AFTER, path)])
    verdict = "met" if a / b >= 0.95 else "MISSED"
    print(f"{path:28} {b:14.0f} {a:14.0f} {a / b:13.3f}   goal within 5 %: {verdict}")
