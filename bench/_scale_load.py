"""Serving speed for bench/bench_scale.py: gunicorn on a loopback port and a bounded load generator.

No wrk on the project's machine: the load comes from threads of this process, each a client with
its own ``http.client`` connection (kept alive when the server keeps it; gunicorn's sync workers
close it after each response, and the client reconnects). Every request has a timeout, every
phase a deadline. The generator's own CPU is measured too: it shares the two cores with the
server it loads.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import os
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from _archive import REPO

REQUEST_TIMEOUT = 60  # seconds a request may take before it counts as an error
START_DEADLINE = 600  # seconds gunicorn may take to answer its first request (workers warm up first)
TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    """A running gunicorn: its address, master process and log."""

    host: str
    port: int
    process: subprocess.Popen
    log: Path

    def workers(self) -> list[int]:
        """The worker processes' ids (the master's children)."""
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in children.split()]

    def worker_rss_mb(self) -> list[float]:
        """Each worker's resident set size now (VmRSS), in MB."""
        sizes = []
        for pid in self.workers():
            with contextlib.suppress(OSError):
                status = Path(f"/proc/{pid}/status").read_text()
                sizes.extend(
                    int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:")
                )
        return sizes

    def workers_cpu(self) -> float:
        """CPU seconds the workers have used so far (user + system, from ``/proc/<pid>/stat``)."""
        total = 0.0
        for pid in self.workers():
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / TICK
        return total

    def log_tail(self, lines: int = 15) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(env: dict[str, str], log: Path, workers: int = 2) -> Iterator[Server]:
    """gunicorn with ``workers`` workers on a free loopback port (``gunicorn.conf.py``: each worker
    warms the search index before it takes requests), once it answers ``/``; stopped afterwards."""
    port = free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "newsarchive.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server("127.0.0.1", port, process, log)
    try:
        deadline = time.monotonic() + START_DEADLINE
        while get(server, "/")[0] != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer / (log, last lines):\n{server.log_tail()}")
            time.sleep(0.5)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def get(server: Server, path: str) -> tuple[int, bytes]:
    """One GET on a connection of its own: (status, body), or (0, b"") when it failed."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException):
        return 0, b""
    finally:
        connection.close()


@dataclass
class Load:
    """What one load phase measured."""

    requests: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)  # status (0: no answer) -> requests
    latencies: list[float] = field(default_factory=list)  # wall seconds per request
    client_cpu: float = 0.0  # the generator's CPU seconds over the phase
    server_cpu: float = 0.0  # the gunicorn workers' CPU seconds over the phase

    @property
    def rate(self) -> float:
        return self.statuses[200] / self.seconds if self.seconds else 0.0

    def summary(self) -> dict:
        ordered = sorted(self.latencies) or [0.0]
        ok = self.statuses[200]
        return {
            "requests": self.requests,
            "ok": ok,
            "errors": {str(k): v for k, v in self.statuses.items() if k != 200},
            "seconds": round(self.seconds, 2),
            "req_per_s": round(self.rate, 1),
            "latency_median_ms": round(statistics.median(ordered) * 1000, 1),
            "latency_p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 1),
            "server_cpu_ms_per_request": round(self.server_cpu / ok * 1000, 1) if ok else None,
            "client_cpu_share": round(self.client_cpu / self.seconds, 2) if self.seconds else None,
        }


def describe(phase: dict, clients: int) -> str:
    """One line for a :meth:`Load.summary` with the workers' RSS after it (``rss_mb``)."""
    cpu, share = phase["server_cpu_ms_per_request"], phase["client_cpu_share"]
    rss = ", ".join(f"{mb:.0f}" for mb in phase["rss_mb"])
    return (
        f"{phase['req_per_s']:6.1f} req/s ({phase['ok']} in {phase['seconds']:.0f} s, {clients} clients),"
        f" latency median {phase['latency_median_ms']:.0f} / p95 {phase['latency_p95_ms']:.0f} ms,"
        f" workers' CPU {cpu} ms a request, load generator {share:.0%} of a core,"
        f" errors {phase['errors'] or 'none'}; worker RSS after: {rss} MB"
    )


def _client(server: Server, paths: list[str], start: int, deadline: float, out: Load, lock) -> None:
    """One client: requests the paths in turn (from ``start``) until the deadline."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=REQUEST_TIMEOUT)
    statuses: Counter = Counter()
    latencies = []
    for path in itertools.islice(itertools.cycle(paths), start, None):
        if time.monotonic() >= deadline:
            break
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            status = response.status
            if response.will_close:
                connection.close()  # reopened by the next request
        except (OSError, http.client.HTTPException):
            status = 0
            connection.close()
        latencies.append(time.perf_counter() - started)
        statuses[status] += 1
    connection.close()
    with lock:
        out.statuses.update(statuses)
        out.latencies.extend(latencies)
        out.requests += len(latencies)


def load(server: Server, paths: list[str], clients: int, seconds: float) -> Load:
    """``clients`` concurrent clients requesting ``paths`` for ``seconds``; what they got."""
    out, lock = Load(), threading.Lock()
    cpu_before, server_before = _own_cpu(), server.workers_cpu()
    started = time.perf_counter()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_client, args=(server, paths, n * len(paths) // clients, deadline, out, lock))
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + REQUEST_TIMEOUT + 5)
    out.seconds = time.perf_counter() - started
    out.client_cpu = _own_cpu() - cpu_before
    out.server_cpu = server.workers_cpu() - server_before
    return out


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
