"""A small closed-loop HTTP load generator: C workers, each on one keep-alive connection,
sending the same kind of request back to back, on the standard library alone."""
import contextlib
import http.client
import json
import os
import statistics
import threading
import time
from urllib.parse import urlsplit

from queue_app.domain.stats import percentile


def run(base_url, method, path, total, concurrency, body=None, headers=None, body_for=None,
        keep_alive=True):
    """Send `total` requests with `concurrency` workers; returns throughput and latencies.

    `keep_alive=False` opens a connection per request (timed with it), for servers whose
    split writes meet the client's delayed ACK on a kept-alive connection (40 ms stalls).

    `base_url` may be a list of servers: worker i then talks to server i mod n (round
    robin, as a plain load balancer would spread keep-alive connections)."""
    urls = base_url if isinstance(base_url, (list, tuple)) else [base_url]
    latencies, statuses = [], {}
    per_worker = [0] * concurrency
    lock = threading.Lock()
    counter = iter(range(total))

    def worker(n, parts):
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            payload = body_for(i) if body_for else body
            data = json.dumps(payload).encode() if payload is not None else None
            start = time.perf_counter()
            try:
                if not keep_alive:
                    conn.close()
                conn.request(method, path, body=data,
                             headers={"Content-Type": "application/json", **(headers or {}),
                                      **({} if keep_alive else {"Connection": "close"})})
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError as exc:
                # Counted, not hidden: a refused or reset connection is a failed request.
                status = f"error: {type(exc).__name__}"
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                per_worker[n] += 1
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(i, urlsplit(urls[i % len(urls)])))
               for i in range(concurrency)]
    cpu_before = os.times()
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    cpu_after = os.times()
    load_cpu = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
    return {
        "requests": total,
        "concurrency": concurrency,
        "per_second": round(total / wall, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 2),
        "p95_ms": round(percentile(latencies, 95) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2),
        "statuses": {str(k): v for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0]))},
        # Fairness: how unevenly the connections were served (a closed loop gives each the
        # same share when the server takes requests in turn).
        "per_connection_min_max": [min(per_worker), max(per_worker)],
        # The load tool's own CPU, as a share of the machine's cores over the run: what it
        # took from the server on the same cores.
        "load_tool_cpu_share": round(load_cpu / wall / (os.cpu_count() or 1), 3),
    }


def median_round(rounds):
    """One figure for N rounds of the same measurement: the median of each number (so
    one noisy round moves nothing), with every round kept beside it."""
    keys = ("per_second", "p50_ms", "p95_ms", "p99_ms", "mean_ms", "load_tool_cpu_share",
            "server_cpu_ms_per_request", "postgres_cpu_ms_per_request", "machine_busy_cores")
    summary = {k: round(statistics.median(r[k] for r in rounds), 2) for k in keys
               if all(k in r for r in rounds)}
    summary["rounds"] = len(rounds)
    summary["all_answered_ok"] = all(set(r["statuses"]) <= {"200", "201"} for r in rounds)
    return summary


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:          # gone meanwhile
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _postgres_seconds():
    total = 0.0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() != "postgres":
                    continue
        except OSError:
            continue
        total += _cpu_seconds(pid)
    return total


def _machine_busy():
    with open("/proc/stat") as f:
        ticks = [int(t) for t in f.readline().split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / _TICKS, time.monotonic()   # not idle, iowait


@contextlib.contextmanager
def cpu_meter(server_pids):
    """Where a run's CPU went (Linux /proc): the servers' own processes, PostgreSQL's (every
    `postgres` process on the machine; a backend that exits during the run takes its time
    with it, so keep the pool from churning), and how many of the machine's cores were busy
    in all. Fills the dict it yields with totals in seconds; `per_request` makes figures."""
    seen = {}
    servers, postgres, (busy, began) = (sum(map(_cpu_seconds, server_pids)),
                                        _postgres_seconds(), _machine_busy())
    yield seen
    busy_after, ended = _machine_busy()
    seen.update(server=sum(map(_cpu_seconds, server_pids)) - servers,
                postgres=_postgres_seconds() - postgres,
                machine_busy_cores=(busy_after - busy) / (ended - began))


def per_request(seen, requests):
    return {"server_cpu_ms_per_request": round(seen["server"] / requests * 1000, 3),
            "postgres_cpu_ms_per_request": round(seen["postgres"] / requests * 1000, 3),
            "machine_busy_cores": round(seen["machine_busy_cores"], 2)}


@contextlib.contextmanager
def databases(tmp, postgres_url):
    """The benches' databases: a fresh SQLite file, and a fresh PostgreSQL database when a
    server is named; dropped afterwards."""
    made = {"sqlite": (f"sqlite:///{tmp}/bench.sqlite3", None)}
    if postgres_url:
        from tests.services import create_database
        made["postgresql"] = create_database(postgres_url)
    try:
        yield {name: url for name, (url, _) in made.items()}
    finally:
        for _, drop in made.values():
            if drop:
                drop()
