"""Shared pieces of the benchmark and crash scripts: the binary, scenarios and configurations,
the simulator and watcher processes, sd_notify, and readings from /proc.

Everything talks to 127.0.0.1 only; every wait is bounded.
"""

import json
import os
import random
import re
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRATCH = os.path.join(ROOT, ".build-release")
# The simulator's demo key pair (scenarios/README.md): public, it guards nothing.
DEMO_ACCESS_KEY = "AKIDSIMULATOR0000000"
DEMO_SECRET_KEY = "simulator-demo-secret-access-key-0000000"
REGIONS = ["us-east-1", "eu-west-1", "us-west-2", "ap-northeast-1"]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def release_binary(binary=None):
    """The watcher: `binary` if given, else a release build in the gitignored .build-release."""
    if binary:
        return os.path.abspath(binary)
    command = ["swift", "build", "-c", "release", "--scratch-path", SCRATCH, "--product", "cognito-sync-watcher"]
    log("building: " + " ".join(command))
    subprocess.run(command, cwd=ROOT, check=True)
    path = subprocess.run(command[:-2] + ["--show-bin-path"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()
    return os.path.join(path, "cognito-sync-watcher")


def pool_ids(count, seed):
    """Realistic pool ids: a region, then a lower-case GUID, spread over a few regions."""
    rng = random.Random(seed)
    return [f"{REGIONS[i % len(REGIONS)]}:{uuid.UUID(int=rng.getrandbits(128), version=4)}" for i in range(count)]


def free_port():
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_json(path, value):
    with open(path, "w") as handle:
        json.dump(value, handle, indent=1)
    return path


def watcher_config(path, endpoint, state_directory, pools, defaults, limits, ca_bundle=None, metrics=None):
    """A watcher configuration; `pools` are ids or objects with per-pool settings."""
    config = {
        "aws": {"region": None, "endpoint": endpoint, "profile": None, "caBundle": ca_bundle},
        "stateDirectory": state_directory,
        "limits": limits,
        "defaults": defaults,
        "pools": pools,
    }
    if metrics:
        config["metrics"] = metrics
    return write_json(path, config)


def watcher_environment(extra=None):
    """The watcher's environment: the demo keys and little else, as under systemd."""
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": tempfile.gettempdir(),
        "AWS_ACCESS_KEY_ID": DEMO_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": DEMO_SECRET_KEY,
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    environment.update(extra or {})
    return environment


class Simulator:
    """`cognito-sync-watcher simulate` on a free loopback port: plain HTTP, or with `tls` HTTPS
    with a CA made for the run, whose certificate is then in `ca_file`."""

    def __init__(self, binary, scenario_path, log_path, tls=False):
        self.log = open(log_path, "w")
        self.port = free_port()
        self.endpoint = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.ca_file = os.path.join(os.path.dirname(os.path.abspath(log_path)), f"simulator-ca-{self.port}.pem") if tls else None
        self.context = None
        # urllib opens a connection per call: the admin calls' own connections are not counted.
        self.admin_calls = 0
        transport = ["--ca-file", self.ca_file] if tls else ["--no-tls"]
        self.process = subprocess.Popen(
            [binary, "simulate", "--scenario", scenario_path, "--port", str(self.port)] + transport,
            stdout=self.log, stderr=self.log, env=watcher_environment())

        def answering():
            if self.process.poll() is not None:
                raise RuntimeError(f"the simulator exited with status {self.process.returncode}; see {log_path}")
            try:
                self.admin("requests")
                return True
            except OSError:
                return False

        if not wait_until(answering, timeout=120, interval=0.05):
            self.stop()
            raise RuntimeError(f"the simulator did not answer on port {self.port} within 120 s")

    def admin(self, path, method="GET"):
        if self.ca_file and self.context is None:
            if not os.path.exists(self.ca_file):
                raise OSError("the simulator has not written its CA yet")
            self.context = ssl.create_default_context(cafile=self.ca_file)
        request = urllib.request.Request(self.endpoint + "/_simulator/" + path, method=method)
        self.admin_calls += 1
        with urllib.request.urlopen(request, timeout=30, context=self.context) as response:
            body = response.read()
        return json.loads(body) if body else None

    def requests_total(self):
        return self.admin("requests")["total"]

    def connections_total(self):
        """Connections accepted so far from clients other than this one (over TLS, each a
        handshake)."""
        accepted = self.admin("requests")["connections"]
        return accepted - self.admin_calls

    def request_log(self):
        return self.admin("requests")

    def start_epoch(self):
        """When the simulator's timelines started, in epoch seconds."""
        before = time.time()
        since = self.admin("pools")["secondsSinceStart"]
        return (before + time.time()) / 2 - since

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class NotifySocket:
    """An AF_UNIX datagram socket standing in for systemd's NOTIFY_SOCKET; records when each
    message arrived."""

    def __init__(self, directory):
        self.path = os.path.join(directory, "notify.sock")
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(self.path)
        self.socket.settimeout(0.2)
        self.messages = []
        self.ready = threading.Event()
        self.closed = False
        threading.Thread(target=self._receive, daemon=True).start()

    def _receive(self):
        while not self.closed:
            try:
                data = self.socket.recv(65536)
            except (socket.timeout, OSError):
                continue
            at = time.monotonic()
            text = data.decode("utf-8", "replace")
            self.messages.append((at, text))
            if "READY=1" in text.split("\n"):
                self.ready.set()

    def first_ready_at(self):
        for at, text in self.messages:
            if "READY=1" in text.split("\n"):
                return at
        return None

    def close(self):
        self.closed = True
        self.socket.close()


class Watcher:
    """`cognito-sync-watcher run --log-target stderr`; every stderr line is kept with the
    monotonic and wall time it arrived."""

    def __init__(self, binary, config_path, log_path, notify_path=None):
        extra = {"NOTIFY_SOCKET": notify_path} if notify_path else {}
        self.log = open(log_path, "a")
        self.lines = []
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            [binary, "run", "--config", config_path, "--log-target", "stderr"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=watcher_environment(extra))
        self.pid = self.process.pid
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stderr:
            self.lines.append((time.monotonic(), time.time(), line.rstrip("\n")))
            self.log.write(line)
        self.log.flush()

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(timeout=10)
        self.log.close()
        return self.process.returncode


def cpu_seconds(pid):
    """utime + stime of a process (all its threads), from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def cpu_split(pid):
    """(utime, stime) of a process in seconds."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return int(fields[11]) / CLOCK_TICKS, int(fields[12]) / CLOCK_TICKS


def status_field(pid, name):
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return None


def context_switches(pid):
    """Voluntary and involuntary context switches of each of the process's threads, by thread id."""
    switches = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        counts = [0, 0]
        try:
            with open(f"/proc/{pid}/task/{task}/status") as handle:
                for line in handle:
                    if line.startswith("voluntary_ctxt_switches:"):
                        counts[0] = int(line.split()[1])
                    elif line.startswith("nonvoluntary_ctxt_switches:"):
                        counts[1] = int(line.split()[1])
        except FileNotFoundError:
            continue
        switches[task] = tuple(counts)
    return switches


def context_switch_delta(before, after):
    """Switches between two readings: threads that ended in between are lost with their counts,
    so a thread counts from its first reading (0 for one that started in between)."""
    voluntary = involuntary = 0
    for task, (v, i) in after.items():
        v0, i0 = before.get(task, (0, 0))
        voluntary += v - v0
        involuntary += i - i0
    return voluntary, involuntary


def thread_count(pid):
    return len(os.listdir(f"/proc/{pid}/task"))


def wait_until(predicate, timeout, interval=0.05):
    """Polls `predicate` until it is true or `timeout` seconds passed; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


# A stderr event line: time, severity, pool, optional (name), optional status change, message.
EVENT_LINE = re.compile(
    r"^(?P<at>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) (?P<severity>emerg|alert|crit|err|warning|notice|info|debug) "
    r"(?P<pool>[\w-]+:[0-9a-f-]+)(?: \((?P<name>[^)]*)\))?(?P<rest>[ :].*)$")
STARTED_AT = re.compile(r"\(started (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\)")


def event_kind(message):
    """The event kind a stderr line reports, from its message."""
    if re.search(r"\bFAILED\b( after| \(started|:)", message) and "Bulk publish of" in message:
        return "failed"
    if "Bulk publish of" in message and " SUCCEEDED" in message:
        return "succeeded"
    if "longer than its stall limit" in message:
        return "stalled"
    if "Bulk publish of" in message and " is IN_PROGRESS" in message:
        return "started"
    if message.startswith("Unexpected report"):
        return "anomaly"
    if "which this version does not know" in message:
        return "unrecognizedStatus"
    if message.startswith("Cannot poll"):
        return "pollFailing"
    if message.startswith("Polling") and "works again" in message:
        return "pollRecovered"
    return None


def parse_event(line):
    """(pool, kind, run start 'YYYY-MM-DDTHH:MM:SSZ' or None) for an event line, else None."""
    match = EVENT_LINE.match(line)
    if not match:
        return None
    rest = match.group("rest")
    message = rest.split(": ", 1)[1] if ": " in rest else rest
    kind = event_kind(message)
    if kind is None:
        return None
    started = STARTED_AT.search(message)
    return match.group("pool"), kind, started.group(1) if started else None
