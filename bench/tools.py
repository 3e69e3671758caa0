"""Load generators for the benchmarks, each a Debian package, and parsers
for their output.

- ab (apache2-utils): HTTP/1.x with a client certificate (-E). It sends
  HTTP/1.0 requests with "Connection: Keep-Alive" and reports latency in
  whole milliseconds.
- h2load (nghttp2-client): HTTP/2 and HTTP/1.1 without a client
  certificate; it has no option to send one. Latency in microseconds from
  its per-request log.
- nghttp (nghttp2-client): HTTP/2 with a client certificate (--cert,
  --key), one connection per process, every request of the process sent at
  once within the server's stream limit.

wrk was considered and is not used: like h2load it cannot send a client
certificate.

Every function returns a Result. `answered` counts HTTP responses,
`failed` requests without one (a refused handshake, a reset), and
`statuses` maps each status code to its count.
"""

import dataclasses
import re
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# Headroom over a run's own duration before a tool counts as hung.
TIMEOUT_MARGIN = 30


@dataclasses.dataclass
class Result:
    """Outcome of one load run."""

    tool: str
    seconds: float
    answered: int = 0
    failed: int = 0
    statuses: dict = dataclasses.field(default_factory=dict)
    # Latency percentiles in milliseconds, keyed 50, 90 and 99.
    latency_ms: dict = dataclasses.field(default_factory=dict)
    # Why requests failed, as the tool reported it (first distinct lines).
    errors: list = dataclasses.field(default_factory=list)
    # Connections that ended before any response, such as refused TLS
    # handshakes.
    refused: int = 0

    @property
    def rps(self):
        """Return the number of responses per second."""
        return self.answered / self.seconds if self.seconds > 0 else 0.0


def percentile(sorted_values, fraction):
    """Return the value at `fraction` (0 to 1) of `sorted_values` by the
    nearest-rank method, or None for an empty list."""
    if not sorted_values:
        return None
    rank = max(1, round(fraction * len(sorted_values) + 0.5))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def latency_percentiles(values_ms):
    """Return {50, 90, 99} percentiles of a list of latencies in ms."""
    ordered = sorted(values_ms)
    return {p: percentile(ordered, p / 100) for p in (50, 90, 99)}


def _run(command, seconds):
    return subprocess.run(command, capture_output=True, text=True,
                          timeout=seconds + TIMEOUT_MARGIN)


def _distinct_lines(text, pattern, limit=3):
    found = []
    for line in text.splitlines():
        if re.search(pattern, line) and line not in found:
            found.append(line.strip())
            if len(found) == limit:
                break
    return found


# --- ab ----------------------------------------------------------------------

_AB_NUMBER = r"\s+([0-9.]+)"


def _ab_field(text, label):
    match = re.search(re.escape(label) + _AB_NUMBER, text)
    return float(match.group(1)) if match else 0.0


def run_ab(url, *, concurrency, seconds=None, requests=None, keepalive=True,
           cert=None, expected_status=200):
    """Run ab for `seconds` or for `requests` requests.

    `cert` is a PEM file with the client certificate and then its key. ab
    reports only whether a response had a 2xx status, so `statuses` counts
    the 2xx responses under 200 and every other response under
    `expected_status` when that is not 2xx, else under 0 (unknown).
    """
    command = ["ab", "-q", "-c", str(concurrency), "-s", "10"]
    if seconds is not None:
        # -t implies at most 50000 requests unless -n follows it.
        command += ["-t", str(seconds), "-n", "100000000"]
    else:
        command += ["-n", str(requests)]
    if keepalive:
        command.append("-k")
    if cert is not None:
        command += ["-E", str(cert)]
    command.append(url)

    budget = seconds if seconds is not None else 600
    started = time.monotonic()
    output = _run(command, budget)
    elapsed = time.monotonic() - started
    text = output.stdout + output.stderr

    taken = _ab_field(text, "Time taken for tests:") or elapsed
    complete = int(_ab_field(text, "Complete requests:"))
    failed = int(_ab_field(text, "Failed requests:"))
    non_2xx = int(_ab_field(text, "Non-2xx responses:"))
    answered = max(complete - failed, 0)
    # ab counts a refused TLS handshake as a complete request, and as a
    # failed one only some of the time. No byte received means no response.
    refused = 0
    if _ab_field(text, "Total transferred:") == 0:
        answered = 0
        failed = complete
        refused = complete
    statuses = {}
    if answered - non_2xx > 0:
        statuses[200] = answered - non_2xx
    if non_2xx:
        other = expected_status if expected_status >= 300 else 0
        statuses[other] = non_2xx

    latency = {}
    if answered:
        for p in (50, 90, 99):
            match = re.search(rf"^\s+{p}%\s+(\d+)", text, re.MULTILINE)
            if match:
                latency[p] = float(match.group(1))

    result = Result("ab", taken, answered, failed, statuses, latency,
                    refused=refused)
    if failed or output.returncode != 0:
        result.errors = _distinct_lines(
            text, r"alert|failed|error|refused|reset", limit=3)
        if not answered and not result.errors:
            result.errors = [text.strip().splitlines()[-1]
                             if text.strip() else
                             f"ab exited with {output.returncode}"]
    return result


# --- h2load -------------------------------------------------------------------

def run_h2load(url, *, clients, streams, seconds=None, requests=None,
               http1=False):
    """Run h2load for `seconds` (or `requests`) with `clients`
    connections and up to `streams` requests in flight on each."""
    with tempfile.NamedTemporaryFile(prefix="h2load-", suffix=".log") as log:
        command = ["h2load", "-c", str(clients), "-m", str(streams),
                   f"--log-file={log.name}"]
        if seconds is not None:
            command += ["-D", str(seconds)]
        else:
            command += ["-n", str(requests)]
        if http1:
            command.append("--h1")
        command.append(url)

        budget = seconds if seconds is not None else 600
        output = _run(command, budget)
        text = output.stdout + output.stderr
        durations = []
        statuses = {}
        for line in Path(log.name).read_text().splitlines():
            fields = line.split("\t")
            if len(fields) != 3:
                continue
            status = int(fields[1])
            statuses[status] = statuses.get(status, 0) + 1
            durations.append(int(fields[2]) / 1000.0)

    match = re.search(r"finished in ([0-9.]+)(m?s)", text)
    taken = float(match.group(1)) if match else float(seconds or 0)
    if match and match.group(2) == "ms":
        taken /= 1000.0
    match = re.search(r"requests: .* (\d+) failed, (\d+) errored", text)
    failed = int(match.group(1)) + int(match.group(2)) if match else 0
    # h2load counts a 4xx or 5xx response as "failed" too.
    answered = sum(statuses.values())
    failed = max(failed - sum(n for s, n in statuses.items() if s >= 400),
                 0)
    result = Result("h2load", taken, answered, failed, statuses,
                    latency_percentiles(durations) if durations else {})
    if failed or output.returncode != 0:
        result.errors = _distinct_lines(text, r"error|fail|refused",
                                        limit=3)
    return result


# --- nghttp -------------------------------------------------------------------

_NGHTTP_ROW = re.compile(
    r"^\s*\d+\s+\S+\s+\S+\s+([0-9.]+)(us|ms|s)\s+(\d{3})\s")
_UNIT_TO_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _nghttp_once(url, cert, key, requests, streams):
    # -M: the server's stream limit, so that no stream is opened before
    # the server's SETTINGS arrive and then refused.
    command = ["nghttp", "-n", "-s", "-m", str(requests), "-M", str(streams)]
    if cert is not None:
        command += ["--cert", str(cert), "--key", str(key)]
    command.append(url)
    output = subprocess.run(command, capture_output=True, text=True,
                            timeout=TIMEOUT_MARGIN)
    durations = []
    statuses = {}
    for line in output.stdout.splitlines():
        match = _NGHTTP_ROW.match(line)
        if not match:
            continue
        durations.append(float(match.group(1)) * _UNIT_TO_MS[match.group(2)])
        status = int(match.group(3))
        statuses[status] = statuses.get(status, 0) + 1
    errors = []
    if len(durations) < requests:
        errors = _distinct_lines(output.stdout + output.stderr,
                                 r"ERROR|error|alert|not processed", limit=2)
    return durations, statuses, requests - len(durations), errors


def run_nghttp(url, *, clients, streams, seconds=None, requests=None,
               cert=None, key=None, per_connection=2000):
    """Run `clients` loops of nghttp, each process one connection with
    `per_connection` requests, until `seconds` have passed or `requests`
    requests were sent in all. `streams` must be the server's
    H2MaxSessionStreams."""
    deadline = (time.monotonic() + seconds) if seconds is not None else None
    budget = {"left": requests}
    lock = threading.Lock()

    def take_batch():
        if deadline is not None:
            return per_connection if time.monotonic() < deadline else 0
        with lock:
            batch = min(per_connection, budget["left"])
            budget["left"] -= batch
        return batch

    def loop():
        durations, statuses, failed, errors, refused = [], {}, 0, [], 0
        while True:
            batch = take_batch()
            if batch <= 0:
                break
            d, s, f, e = _nghttp_once(url, cert, key, batch, streams)
            durations += d
            failed += f
            refused += not d
            for status, count in s.items():
                statuses[status] = statuses.get(status, 0) + count
            for line in e:
                if line not in errors:
                    errors.append(line)
        return durations, statuses, failed, errors, refused

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        parts = list(pool.map(lambda _: loop(), range(clients)))
    taken = time.monotonic() - started

    durations, statuses, failed, errors, refused = [], {}, 0, [], 0
    for d, s, f, e, r in parts:
        durations += d
        failed += f
        refused += r
        for status, count in s.items():
            statuses[status] = statuses.get(status, 0) + count
        errors += [line for line in e if line not in errors]
    return Result("nghttp", taken, len(durations), failed, statuses,
                  latency_percentiles(durations) if durations else {},
                  errors[:3], refused)
