#!/usr/bin/env python3
"""Measures the watcher against the simulator with 10 to 10,000 pools, side by side with a
boto3 polling loop and a curl keep-alive loop over the same pools and the same number of polls.

For each pool count:

1. Load phase (cadence 1 s for every status, 1,000 requests/s allowed): time to READY=1,
   CPU time per poll (utime+stime from /proc/PID/stat over a window after the first round,
   polls counted by the simulator's request log), peak RSS (VmHWM).
2. The same number of requests from boto3 (one client per region) and from one curl process
   with one URL per request (`-K` config, `next` between them) so its connection is reused:
   signed with `--aws-sigv4` against the same simulator (which rejects curl's signature for
   ids with ':'), and against a second simulator with `"verifySignatures": false`.
3. Realistic phase (in progress 10 s, idle 600 s, finished 300 s): time to READY=1, delay from
   each scripted FAILED to its line on stderr, then wake-ups while idle: context switches of
   all the watcher's threads (/proc/PID/task/*/status, and `perf stat -e context-switches` when
   it works) over an idle window in which no poll is due.

With --compare OLD_BINARY, two builds are measured side by side in one run, each against the same
simulator (the one of --binary): for each pool count the load phase of the old watcher, then of the
new one (CPU and context switches per poll, peak RSS), then curl on the same pools; and once,
both watchers at the same time, each against a simulator of its own, the idle phase: 1 pool at a
60 s cadence for every status, wake-ups (context switches) and CPU per minute over --idle-seconds.

With --tls, the simulators serve HTTPS with a CA made for the run, every client trusts that CA
(the watcher through aws.caBundle, curl with --cacert, boto3 with verify=), only the load phase
runs, and each client's new connections (each one a TLS handshake) are counted per 1,000
requests: the simulator's own count for the watcher and boto3, curl's num_connects for curl.

Only loopback traffic; every phase is bounded in requests and time.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import re
import threading
import time
import urllib.request

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as lib  # noqa: E402

FAILURE_MESSAGE = "Unable to write to Kinesis stream 'exports': the stream does not exist."
FAILING_POOLS = 3
FAILURE_SPACING = 3.3


def assign_roles(ids, seed):
    """Mostly finished or idle pools, a few running, and FAILING_POOLS that will fail."""
    rng = random.Random(seed)
    running = max(1, min(20, len(ids) // 100))
    roles = {}
    for index, pool in enumerate(ids):
        if index < FAILING_POOLS:
            roles[pool] = ("failing", index)
        elif index < FAILING_POOLS + running:
            roles[pool] = ("running", None)
        else:
            roles[pool] = ("finished" if rng.random() < 0.7 else "idle", None)
    return roles


def scenario(ids, roles, outcome_at, verify=True):
    pools = []
    for pool in ids:
        role, index = roles[pool]
        if role == "failing":
            timeline = [{"at": -60, "status": "IN_PROGRESS"},
                        {"at": outcome_at + index * FAILURE_SPACING, "status": "FAILED", "failureMessage": FAILURE_MESSAGE}]
        elif role == "running":
            timeline = [{"at": -120, "status": "IN_PROGRESS"}, {"at": outcome_at, "status": "SUCCEEDED"}]
        elif role == "finished":
            timeline = [{"at": -3600, "status": "SUCCEEDED", "startedAt": -7200}]
        else:
            timeline = []
        pools.append({"id": pool, "timeline": timeline})
    return {"description": f"benchmark: {len(ids)} pools", "verifySignatures": verify, "pools": pools}


def defaults(in_progress, idle, finished):
    return {
        "inProgressIntervalSeconds": in_progress, "idleIntervalSeconds": idle, "finishedIntervalSeconds": finished,
        "stallAfterSeconds": 86400, "reportErrorsAfter": 3, "jitter": 0.1,
        "errorBackoffBaseSeconds": 5, "errorBackoffMaxSeconds": 300,
    }


LIMITS = {"maxRequestsPerSecond": 1000, "maxConcurrentPolls": 64, "requestTimeoutSeconds": 10}


def run_with_rusage(command, env=None, stdin=None):
    """Runs `command` to the end; returns (stdout, exit status, CPU seconds, wall seconds)."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    errors = []
    reader = threading.Thread(target=lambda: errors.append(process.stderr.read()), daemon=True)
    reader.start()
    out = process.stdout.read()
    reader.join()
    err = errors[0] if errors else ""
    # wait4 rather than wait: it returns the child's own CPU time.
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    if process.returncode != 0 and err:
        lib.log(f"{command[0]} exited {process.returncode}: {err.strip()[:300]}")
    return out, process.returncode, usage.ru_utime + usage.ru_stime, wall


def curl_config(path, endpoint, ids, count, sign, ca_file=None):
    """One block per request, `next` between them: one curl process, one reused connection."""
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as handle:
        for index in range(count):
            pool = ids[index % len(ids)]
            region = pool.split(":")[0]
            if index:
                handle.write("next\n")
            handle.write(f'url = "{endpoint}/identitypools/{pool.replace(":", "%3A")}/getBulkPublishDetails"\n')
            handle.write('request = "POST"\ndata = ""\noutput = "/dev/null"\n')
            handle.write('write-out = "%{http_code} %{num_connects}\\n"\n')
            if ca_file:
                # Per URL: options before a `next` do not carry over to the URLs after it.
                handle.write(f'cacert = "{ca_file}"\n')
            if sign:
                handle.write(f'aws-sigv4 = "aws:amz:{region}:cognito-sync"\n')
                handle.write(f'user = "{lib.DEMO_ACCESS_KEY}:{lib.DEMO_SECRET_KEY}"\n')
    return path


def measure_curl(workdir, label, endpoint, ids, count, sign=True, ca_file=None):
    config = curl_config(os.path.join(workdir, f"curl-{label}.conf"), endpoint, ids, count, sign, ca_file)
    out, code, cpu, wall = run_with_rusage(["curl", "-s", "-K", config])
    statuses, connects = {}, 0
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2:
            statuses[parts[0]] = statuses.get(parts[0], 0) + 1
            connects += int(parts[1])
    return {"requests": count, "cpu_seconds": cpu, "wall_seconds": wall, "exit": code,
            "cpu_per_request_us": cpu / count * 1e6, "statuses": statuses, "connections": connects,
            "connections_per_1000": connects / count * 1000}


def measure_boto3(workdir, endpoint, ids, count, ca_file=None, simulator=None):
    pools_file = os.path.join(workdir, "pools.txt")
    with open(pools_file, "w") as handle:
        handle.write("\n".join(ids) + "\n")
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "boto3_loop.py")
    connections0 = simulator.connections_total() if simulator else 0
    out, code, cpu, wall = run_with_rusage(
        [sys.executable, script, "--endpoint", endpoint, "--pools", pools_file, "--count", str(count)]
        + (["--ca-bundle", ca_file] if ca_file else []),
        env=lib.watcher_environment())
    result = json.loads(out.strip().splitlines()[-1]) if code == 0 else {}
    result.update({"process_cpu_seconds_rusage": cpu, "wall_seconds": wall, "exit": code})
    if simulator:
        result["connections_per_1000"] = (simulator.connections_total() - connections0) / count * 1000
    if code == 0:
        result["cpu_per_request_us"] = result["loop_cpu_seconds"] / count * 1e6
    return result


def perf_context_switches(pid, seconds):
    """Starts `perf stat -e context-switches` on every thread of `pid` for `seconds`; returns
    the process (read it with finish_perf), or None when perf is not usable."""
    if not shutil.which("perf"):
        return None
    return subprocess.Popen(["perf", "stat", "-x", ",", "-e", "context-switches", "-p", str(pid), "--", "sleep", str(seconds)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def finish_perf(process):
    if process is None:
        return None
    _, err = process.communicate(timeout=120)
    for line in err.splitlines():
        fields = line.split(",")
        if len(fields) > 2 and fields[2] == "context-switches" and fields[0].strip().isdigit():
            return int(fields[0])
    return None


def start_watcher(binary, workdir, label, config):
    notify = lib.NotifySocket(tempfile.mkdtemp(prefix="notify-", dir=workdir))
    watcher = lib.Watcher(binary, config, os.path.join(workdir, f"watcher-{label}.log"), notify.path)
    return watcher, notify


def wait_ready(watcher, notify, timeout=300):
    if not notify.ready.wait(timeout):
        raise RuntimeError(f"no READY=1 within {timeout} s")
    return notify.first_ready_at() - watcher.started_at


def measure_scrape(watcher):
    """One scrape of /metrics: its size, its wall time and the watcher's CPU for it."""
    port = None
    for line in list(watcher.lines):
        text = line[-1] if isinstance(line, tuple) else line
        match = re.search(r"127\.0\.0\.1:([0-9]+)", text) if "serving metrics" in text else None
        if match:
            port = int(match.group(1))
    if port is None:
        raise RuntimeError("the watcher logged no 'serving metrics' line")
    cpu0, at0 = lib.cpu_seconds(watcher.pid), time.monotonic()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=60) as response:
        body = response.read()
    at1, cpu1 = time.monotonic(), lib.cpu_seconds(watcher.pid)
    return {"scrape_bytes": len(body), "scrape_series": sum(1 for line in body.splitlines() if line and not line.startswith(b"#")),
            "scrape_seconds": at1 - at0, "scrape_cpu_seconds": cpu1 - cpu0,
            "rss_after_scrape_kib": lib.status_field(watcher.pid, "VmRSS")}


def measure_window(watcher, simulator, args):
    """CPU time per poll over a window of at most args.window_polls polls or args.window_seconds."""
    split0, switches0 = lib.cpu_split(watcher.pid), lib.context_switches(watcher.pid)
    cpu0, polls0, at0 = lib.cpu_seconds(watcher.pid), simulator.requests_total(), time.monotonic()
    connections0 = simulator.connections_total()
    lib.wait_until(lambda: simulator.requests_total() >= polls0 + args.window_polls, timeout=args.window_seconds, interval=0.1)
    cpu1, polls1, at1 = lib.cpu_seconds(watcher.pid), simulator.requests_total(), time.monotonic()
    split1, switches1 = lib.cpu_split(watcher.pid), lib.context_switches(watcher.pid)
    connections1 = simulator.connections_total()
    polls = polls1 - polls0
    voluntary, involuntary = lib.context_switch_delta(switches0, switches1)
    return {
        "window_user_seconds": split1[0] - split0[0], "window_system_seconds": split1[1] - split0[1],
        "context_switches_per_poll": (voluntary + involuntary) / polls if polls else None,
        "connections_per_1000": (connections1 - connections0) / polls * 1000 if polls else None,
        "window_polls": polls, "window_seconds": at1 - at0, "window_cpu_seconds": cpu1 - cpu0,
        "polls_per_second": polls / (at1 - at0),
        "cpu_per_poll_us": (cpu1 - cpu0) / polls * 1e6 if polls else None,
        "peak_rss_kib": lib.status_field(watcher.pid, "VmHWM"),
        "rss_kib": lib.status_field(watcher.pid, "VmRSS"),
        "threads": lib.thread_count(watcher.pid),
        "total_cpu_seconds": cpu1,
    }


def load_phase(binary, workdir, ids, roles, args):
    """CPU per poll and peak RSS at cadence 1 s; boto3 and curl on the same simulator."""
    count = len(ids)
    result = {}
    scenario_path = lib.write_json(os.path.join(workdir, "scenario-load.json"), scenario(ids, roles, outcome_at=3600))
    simulator = lib.Simulator(binary, scenario_path, os.path.join(workdir, "simulator-load.log"), tls=args.tls)
    try:
        state = os.path.join(workdir, "state-load")
        metrics = {"listen": "127.0.0.1:0"} if args.metrics else None
        config = lib.watcher_config(os.path.join(workdir, "config-load.json"), simulator.endpoint, state, ids,
                                    defaults(1, 1, 1), LIMITS, ca_bundle=simulator.ca_file, metrics=metrics)
        watcher, notify = start_watcher(binary, workdir, "load", config)
        try:
            result["ready_seconds"] = wait_ready(watcher, notify)
            first_round_started = time.monotonic()
            if not lib.wait_until(lambda: simulator.requests_total() >= count, timeout=args.first_round_timeout, interval=0.2):
                raise RuntimeError(f"the first round of {count} polls did not finish in {args.first_round_timeout} s")
            result["first_round_seconds"] = time.monotonic() - first_round_started + result["ready_seconds"]
            if args.max_rate:
                # Same pools, same saved state, a lower rate: every pool is due at start-up, so the
                # loop runs at exactly that rate whatever the pool count.
                result["primed_exit_status"] = watcher.stop()
                notify.close()
                limited = dict(LIMITS, maxRequestsPerSecond=args.max_rate)
                config = lib.watcher_config(os.path.join(workdir, "config-rate.json"), simulator.endpoint, state, ids,
                                            defaults(1, 1, 1), limited, ca_bundle=simulator.ca_file)
                watcher, notify = start_watcher(binary, workdir, "rate", config)
                wait_ready(watcher, notify)
                time.sleep(3)
            result.update(measure_window(watcher, simulator, args))
            if args.metrics:
                result.update(measure_scrape(watcher))
        finally:
            result["exit_status"] = watcher.stop()
            notify.close()
        log = simulator.request_log()
        result["outcomes"] = log["byOutcome"]
        requests = max(1, result.get("window_polls") or 1)
        if args.watcher_only:
            return result
        lib.log(f"{count} pools: watcher {result.get('cpu_per_poll_us', 0):.0f} us/poll over {requests} polls; boto3 and curl next")
        result["boto3"] = measure_boto3(workdir, simulator.endpoint, ids, requests, ca_file=simulator.ca_file, simulator=simulator)
        result["curl_signed_403"] = measure_curl(workdir, "signed-403", simulator.endpoint, ids, requests, ca_file=simulator.ca_file)
    finally:
        simulator.stop()
    # curl's signature is rejected for ids with ':'; against a simulator that checks no
    # signature it gets the same 200 answers the watcher and boto3 got.
    open_path = lib.write_json(os.path.join(workdir, "scenario-open.json"), scenario(ids, roles, outcome_at=3600, verify=False))
    simulator = lib.Simulator(binary, open_path, os.path.join(workdir, "simulator-open.log"), tls=args.tls)
    try:
        result["curl_signed_200"] = measure_curl(workdir, "signed-200", simulator.endpoint, ids, requests, ca_file=simulator.ca_file)
        result["curl_unsigned_200"] = measure_curl(workdir, "unsigned-200", simulator.endpoint, ids, requests, sign=False,
                                                   ca_file=simulator.ca_file)
    finally:
        simulator.stop()
    return result


def realistic_phase(binary, workdir, ids, roles, args, outcome_at):
    """READY time, FAILED delay and idle wake-ups at realistic cadences."""
    count = len(ids)
    in_progress = 10
    result = {"in_progress_interval": in_progress, "outcome_at": outcome_at}
    scenario_path = lib.write_json(os.path.join(workdir, "scenario-real.json"), scenario(ids, roles, outcome_at=outcome_at))
    simulator = lib.Simulator(binary, scenario_path, os.path.join(workdir, "simulator-real.log"), tls=args.tls)
    try:
        start_epoch = simulator.start_epoch()
        state = os.path.join(workdir, "state-real")
        config = lib.watcher_config(os.path.join(workdir, "config-real.json"), simulator.endpoint, state, ids,
                                    defaults(in_progress, 600, 300), LIMITS, ca_bundle=simulator.ca_file)
        watcher, notify = start_watcher(binary, workdir, "real", config)
        try:
            result["ready_seconds"] = wait_ready(watcher, notify)
            lib.wait_until(lambda: simulator.requests_total() >= count, timeout=args.first_round_timeout, interval=0.2)
            result["first_round_done_at"] = time.time() - start_epoch
            failing = {pool: index for pool, (role, index) in roles.items() if role == "failing"}
            last_failure = outcome_at + (FAILING_POOLS - 1) * FAILURE_SPACING
            deadline = last_failure + in_progress + 30
            reported = {}

            def all_reported():
                for _, wall, line in list(watcher.lines):
                    event = lib.parse_event(line)
                    if event and event[1] == "failed" and event[0] in failing and event[0] not in reported:
                        reported[event[0]] = wall
                return len(reported) == len(failing)

            lib.wait_until(all_reported, timeout=max(1, start_epoch + deadline - time.time()), interval=0.05)
            delays = []
            for pool, index in sorted(failing.items(), key=lambda item: item[1]):
                failed_at = start_epoch + outcome_at + index * FAILURE_SPACING
                delays.append(reported[pool] - failed_at if pool in reported else None)
            result["failed_delays_seconds"] = delays
            # Idle: every run has ended; no poll is due for minutes (finished 300 s, idle 600 s).
            settle_until = start_epoch + last_failure + in_progress + 2
            time.sleep(max(0, settle_until - time.time()))
            if args.idle_seconds > 0:
                perf = perf_context_switches(watcher.pid, args.idle_seconds)
                polls0, switches0, cpu0 = simulator.requests_total(), lib.context_switches(watcher.pid), lib.cpu_seconds(watcher.pid)
                threads0 = lib.thread_count(watcher.pid)
                time.sleep(args.idle_seconds)
                polls1, switches1, cpu1 = simulator.requests_total(), lib.context_switches(watcher.pid), lib.cpu_seconds(watcher.pid)
                per_minute = 60 / args.idle_seconds
                result["idle"] = {
                    "seconds": args.idle_seconds, "polls": polls1 - polls0,
                    "threads": [threads0, lib.thread_count(watcher.pid)],
                    "voluntary_per_minute": lib.context_switch_delta(switches0, switches1)[0] * per_minute,
                    "involuntary_per_minute": lib.context_switch_delta(switches0, switches1)[1] * per_minute,
                    "perf_context_switches_per_minute": (lambda n: n * per_minute if n is not None else None)(finish_perf(perf)),
                    "cpu_ms_per_minute": (cpu1 - cpu0) * 1000 * per_minute,
                }
            result["peak_rss_kib"] = lib.status_field(watcher.pid, "VmHWM")
        finally:
            result["exit_status"] = watcher.stop()
            notify.close()
        events = [lib.parse_event(line) for _, _, line in watcher.lines]
        failed = [event for event in events if event and event[1] == "failed"]
        result["failed_lines"] = len(failed)
        result["failed_distinct"] = len(set(failed))
    finally:
        simulator.stop()
    return result


def compare_load(binaries, simulator_binary, workdir, ids, roles, args):
    """The load phase of each watcher in turn against one simulator (the same answers, the same
    server-side cost), then curl's signed requests for as many polls as the new watcher made."""
    count = len(ids)
    result = {}
    scenario_path = lib.write_json(os.path.join(workdir, "scenario-load.json"), scenario(ids, roles, outcome_at=3600))
    simulator = lib.Simulator(simulator_binary, scenario_path, os.path.join(workdir, "simulator-load.log"))
    try:
        for label, binary in binaries:
            figures = {}
            config = lib.watcher_config(os.path.join(workdir, f"config-{label}.json"), simulator.endpoint,
                                        os.path.join(workdir, f"state-{label}"), ids, defaults(1, 1, 1), LIMITS)
            watcher, notify = start_watcher(binary, workdir, label, config)
            try:
                figures["ready_seconds"] = wait_ready(watcher, notify)
                polls0 = simulator.requests_total()
                if not lib.wait_until(lambda: simulator.requests_total() >= polls0 + count, timeout=args.first_round_timeout, interval=0.2):
                    raise RuntimeError(f"{label}: the first round of {count} polls did not finish in {args.first_round_timeout} s")
                figures.update(measure_window(watcher, simulator, args))
            finally:
                figures["exit_status"] = watcher.stop()
                notify.close()
            result[label] = figures
            lib.log(f"{count} pools, {label}: {figures['cpu_per_poll_us']:.0f} us/poll, "
                    f"{figures['context_switches_per_poll']:.2f} context switches/poll over {figures['window_polls']} polls")
    finally:
        simulator.stop()
    requests = max(1, result["new"].get("window_polls") or 1)
    open_path = lib.write_json(os.path.join(workdir, "scenario-open.json"), scenario(ids, roles, outcome_at=3600, verify=False))
    simulator = lib.Simulator(simulator_binary, open_path, os.path.join(workdir, "simulator-open.log"))
    try:
        result["curl_signed_200"] = measure_curl(workdir, "signed-200", simulator.endpoint, ids, requests)
    finally:
        simulator.stop()
    return result


class ThreadSampler:
    """Context switches of every thread of a process, read from /proc/PID/task every `interval`
    seconds: a thread that ends takes its counts with it, so each thread's last reading is kept
    (what it did after that reading, at most `interval` before it ended, is lost; perf is exact)."""

    def __init__(self, pid, interval=0.25):
        self.pid, self.interval = pid, interval
        self.first, self.last, self.seen = lib.context_switches(pid), {}, set()
        self.seen.update(self.first)
        self.last.update(self.first)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopped.wait(self.interval):
            try:
                reading = lib.context_switches(self.pid)
            except FileNotFoundError:
                return
            self.seen.update(reading)
            self.last.update(reading)

    def stop(self):
        self.stopped.set()
        self.thread.join()
        self.last.update(lib.context_switches(self.pid))
        voluntary, involuntary = lib.context_switch_delta(self.first, self.last)
        return {"voluntary": voluntary, "involuntary": involuntary, "threads_started": len(self.seen - set(self.first))}


def idle_one(label, binary, simulator_binary, workdir, args, results):
    """One pool at a 60 s cadence: wake-ups per minute once the first poll is done."""
    ids = lib.pool_ids(1, seed=60)
    finished = {ids[0]: ("finished", None)}
    scenario_path = lib.write_json(os.path.join(workdir, f"scenario-idle-{label}.json"), scenario(ids, finished, outcome_at=3600))
    simulator = lib.Simulator(simulator_binary, scenario_path, os.path.join(workdir, f"simulator-idle-{label}.log"))
    try:
        config = lib.watcher_config(os.path.join(workdir, f"config-idle-{label}.json"), simulator.endpoint,
                                    os.path.join(workdir, f"state-idle-{label}"), ids, defaults(60, 60, 60), LIMITS)
        watcher, notify = start_watcher(binary, workdir, f"idle-{label}", config)
        try:
            wait_ready(watcher, notify)
            lib.wait_until(lambda: simulator.requests_total() >= 1, timeout=60, interval=0.1)
            # Start-up's own threads end within libdispatch's 5 s idle timeout.
            time.sleep(args.idle_settle_seconds)
            perf = perf_context_switches(watcher.pid, args.idle_seconds)
            sampler = ThreadSampler(watcher.pid)
            polls0, cpu0, threads0 = simulator.requests_total(), lib.cpu_seconds(watcher.pid), lib.thread_count(watcher.pid)
            time.sleep(args.idle_seconds)
            switches = sampler.stop()
            polls1, cpu1 = simulator.requests_total(), lib.cpu_seconds(watcher.pid)
            per_minute = 60 / args.idle_seconds
            perf_switches = finish_perf(perf)
            results[label] = {
                "seconds": args.idle_seconds, "polls": polls1 - polls0,
                "threads": [threads0, lib.thread_count(watcher.pid)], "threads_started": switches["threads_started"],
                "voluntary_per_minute": switches["voluntary"] * per_minute,
                "involuntary_per_minute": switches["involuntary"] * per_minute,
                "perf_context_switches_per_minute": perf_switches * per_minute if perf_switches is not None else None,
                "cpu_ms_per_minute": (cpu1 - cpu0) * 1000 * per_minute,
                "peak_rss_kib": lib.status_field(watcher.pid, "VmHWM"),
            }
        finally:
            watcher.stop()
            notify.close()
    finally:
        simulator.stop()


def compare_idle(binaries, simulator_binary, workdir, args):
    """Both watchers idle at the same time (each wakes the other no more than it wakes itself)."""
    results = {}
    threads = [threading.Thread(target=idle_one, args=(label, binary, simulator_binary, workdir, args, results))
               for label, binary in binaries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def compare_markdown(results):
    rows = ["| pools | µs/poll, old | µs/poll, new | new / old | curl µs/req (200) | new / curl "
            "| context switches/poll (old / new) | polls in window (old / new) | peak RSS MiB (old / new) |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for count, figures in results["sizes"].items():
        old, new, curl = figures["old"], figures["new"], figures["curl_signed_200"]["cpu_per_request_us"]
        rows.append(
            f"| {count:,} | {old['cpu_per_poll_us']:.0f} | {new['cpu_per_poll_us']:.0f} "
            f"| {new['cpu_per_poll_us'] / old['cpu_per_poll_us']:.2f} | {curl:.0f} | {new['cpu_per_poll_us'] / curl:.2f} "
            f"| {old['context_switches_per_poll']:.2f} / {new['context_switches_per_poll']:.2f} "
            f"| {old['window_polls']:,} / {new['window_polls']:,} "
            f"| {old['peak_rss_kib'] / 1024:.1f} / {new['peak_rss_kib'] / 1024:.1f} |")
    idle = results.get("idle") or {}
    if idle:
        rows += ["", "| idle, 1 pool at 60 s | polls in window | wake-ups/min (/proc: voluntary + involuntary) "
                 "| wake-ups/min (perf) | threads started | idle CPU ms/min | threads |",
                 "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for label in ("old", "new"):
            figures = idle.get(label)
            if not figures:
                continue
            perf = figures["perf_context_switches_per_minute"]
            rows.append(
                f"| {label} | {figures['polls']} "
                f"| {figures['voluntary_per_minute'] + figures['involuntary_per_minute']:.0f} "
                f"({figures['voluntary_per_minute']:.0f} + {figures['involuntary_per_minute']:.0f}) "
                f"| {f'{perf:.0f}' if perf is not None else 'n/a'} | {figures['threads_started']} "
                f"| {figures['cpu_ms_per_minute']:.1f} | {figures['threads'][0]}, {figures['threads'][1]} |")
    return "\n".join(rows)


def compare(args, new_binary):
    old_binary = os.path.abspath(args.compare)
    binaries = [("old", old_binary), ("new", new_binary)]
    results = {"old": old_binary, "new": new_binary, "cpus": os.cpu_count(),
               "load_average_at_start": os.getloadavg(), "sizes": {}}
    workdir = tempfile.mkdtemp(prefix="csw-compare-")
    lib.log(f"old {old_binary}, new {new_binary}, in {workdir}")
    try:
        for count in [int(size) for size in args.sizes.split(",")]:
            ids = lib.pool_ids(count, seed=count)
            sized = os.path.join(workdir, str(count))
            os.makedirs(sized)
            results["sizes"][count] = compare_load(binaries, new_binary, sized, ids, assign_roles(ids, seed=count), args)
        if args.idle_seconds > 0:
            results["idle"] = compare_idle(binaries, new_binary, workdir, args)
            lib.log("idle: " + json.dumps(results["idle"]))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    results["load_average_at_end"] = os.getloadavg()
    if args.output:
        lib.write_json(args.output, results)
    print(compare_markdown(results))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", help="a built cognito-sync-watcher (default: build one in release mode)")
    parser.add_argument("--sizes", default="10,100,1000,10000", help="pool counts, comma-separated")
    parser.add_argument("--window-polls", type=int, default=3000, help="polls in the CPU window (at most)")
    parser.add_argument("--window-seconds", type=float, default=20, help="length of the CPU window (at most)")
    parser.add_argument("--idle-seconds", type=float, default=60, help="length of the idle window (0: skip)")
    parser.add_argument("--first-round-timeout", type=float, default=300)
    parser.add_argument("--max-rate", type=float, help="measure the watcher alone at this request rate "
                        "(state saved by a first round at 1,000/s), to compare pool counts at equal rates")
    parser.add_argument("--watcher-only", action="store_true", help="only the load phase, without boto3, curl "
                        "and the realistic phase")
    parser.add_argument("--tls", action="store_true", help="HTTPS with a private CA for every client; the load "
                        "phase only, with TLS handshakes (new connections) per 1,000 requests")
    parser.add_argument("--metrics", action="store_true", help="the load phase with the Prometheus endpoint on "
                        "(metrics.listen), and one scrape timed after the window")
    parser.add_argument("--compare", metavar="OLD_BINARY", help="measure this build and --binary side by side: "
                        "the load phase of each, curl, and the idle phase with 1 pool at a 60 s cadence")
    parser.add_argument("--idle-settle-seconds", type=float, default=10, help="with --compare: wait this long "
                        "after the first idle poll before the idle window")
    parser.add_argument("--output", help="write every figure as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the work directories (logs, configs)")
    args = parser.parse_args()

    binary = lib.release_binary(args.binary)
    if args.compare:
        compare(args, binary)
        return
    results = {"binary": binary, "cpus": os.cpu_count(), "load_average_at_start": os.getloadavg(), "sizes": {}}
    for count in [int(size) for size in args.sizes.split(",")]:
        workdir = tempfile.mkdtemp(prefix=f"csw-bench-{count}-")
        lib.log(f"{count} pools in {workdir}")
        ids = lib.pool_ids(count, seed=count)
        roles = assign_roles(ids, seed=count)
        load = load_phase(binary, workdir, ids, roles, args)
        if args.tls and not args.watcher_only:
            results["sizes"][count] = {"load": load}
            lib.log(f"{count} pools over TLS: " + json.dumps(tls_row(count, load)))
            if not args.keep:
                shutil.rmtree(workdir, ignore_errors=True)
            continue
        if args.watcher_only:
            results["sizes"][count] = {"load": load}
            lib.log(f"{count} pools: {load['cpu_per_poll_us']:.0f} us/poll at {load['polls_per_second']:.0f} polls/s "
                    f"({load['window_polls']} polls; user {load['window_user_seconds']:.2f} s, system "
                    f"{load['window_system_seconds']:.2f} s; {load['context_switches_per_poll']:.1f} context switches/poll)")
            if not args.keep:
                shutil.rmtree(workdir, ignore_errors=True)
            continue
        # The scripted failures come once the first round (which persists every pool's state)
        # is surely over.
        outcome_at = round(load["first_round_seconds"] * 1.5 + 15, 1)
        real = realistic_phase(binary, workdir, ids, roles, args, outcome_at)
        results["sizes"][count] = {"load": load, "realistic": real}
        lib.log(f"{count} pools: " + json.dumps(summary_row(count, load, real)))
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    results["load_average_at_end"] = os.getloadavg()
    if args.output:
        lib.write_json(args.output, results)
    if args.tls and not args.watcher_only:
        print(tls_markdown(results))
    elif not args.watcher_only:
        print(markdown(results))


def summary_row(count, load, real):
    curl = load["curl_signed_200"]["cpu_per_request_us"]
    boto3 = load["boto3"].get("cpu_per_request_us")
    watcher = load.get("cpu_per_poll_us")
    return {
        "pools": count, "watcher_us_per_poll": watcher, "curl_us": curl, "boto3_us": boto3,
        "watcher/curl": watcher / curl if watcher and curl else None,
        "boto3/watcher": boto3 / watcher if watcher and boto3 else None,
        "peak_rss_mib": load["peak_rss_kib"] / 1024, "ready_s": real["ready_seconds"],
        "failed_delays_s": real.get("failed_delays_seconds"), "idle": real.get("idle"),
    }


def tls_row(count, load):
    watcher, curl, boto3 = load.get("cpu_per_poll_us"), load["curl_signed_200"], load["boto3"]
    return {
        "pools": count, "watcher_us_per_poll": watcher, "curl_us": curl["cpu_per_request_us"],
        "boto3_us": boto3.get("cpu_per_request_us"),
        "watcher/curl": watcher / curl["cpu_per_request_us"] if watcher else None,
        "handshakes_per_1000": {"watcher": load.get("connections_per_1000"), "curl": curl.get("connections_per_1000"),
                                "boto3": boto3.get("connections_per_1000")},
        "peak_rss_mib": load["peak_rss_kib"] / 1024,
    }


def tls_markdown(results):
    rows = ["| pools | watcher µs/poll | polls (window) | curl µs/req (200 / 403) | boto3 µs/req | watcher/curl "
            "| TLS handshakes per 1,000 requests (watcher / curl / boto3) | peak RSS MiB |",
            "|" + "---|" * 8]
    for count, figures in results["sizes"].items():
        load = figures["load"]
        row = tls_row(count, load)
        handshakes = row["handshakes_per_1000"]

        def figure(value):
            return f"{value:.1f}" if value is not None else "n/a"

        rows.append(
            f"| {count} | {row['watcher_us_per_poll']:.0f} | {load['window_polls']} "
            f"| {row['curl_us']:.0f} / {load['curl_signed_403']['cpu_per_request_us']:.0f} | {figure(row['boto3_us'])} "
            f"| {row['watcher/curl']:.2f} | {figure(handshakes['watcher'])} / {figure(handshakes['curl'])} / {figure(handshakes['boto3'])} "
            f"| {row['peak_rss_mib']:.1f} |")
    return "\n".join(rows)


def markdown(results):
    rows = ["| pools | watcher µs/poll | polls (window) | curl µs/req (200 / 403) | boto3 µs/req | watcher/curl | boto3/watcher "
            "| peak RSS MiB (load / realistic) | READY s | FAILED delay s | idle wake-ups/min (ctxsw: /proc, perf) | idle CPU ms/min |",
            "|" + "---|" * 12]
    for count, figures in results["sizes"].items():
        load, real = figures["load"], figures["realistic"]
        row = summary_row(count, load, real)
        idle = real.get("idle") or {}
        delays = ", ".join(f"{d:.1f}" if d is not None else "missed" for d in real.get("failed_delays_seconds") or [])
        perf = idle.get("perf_context_switches_per_minute")
        rows.append(
            f"| {count} | {row['watcher_us_per_poll']:.0f} | {load['window_polls']} "
            f"| {load['curl_signed_200']['cpu_per_request_us']:.0f} / {load['curl_signed_403']['cpu_per_request_us']:.0f} "
            f"| {row['boto3_us']:.0f} | {row['watcher/curl']:.2f} | {row['boto3/watcher']:.1f} "
            f"| {load['peak_rss_kib'] / 1024:.1f} / {real['peak_rss_kib'] / 1024:.1f} | {real['ready_seconds']:.2f} | {delays} "
            f"| {idle.get('voluntary_per_minute', float('nan')):.0f}, {perf if perf is not None else 'n/a'} "
            f"| {idle.get('cpu_ms_per_minute', float('nan')):.1f} |")
    return "\n".join(rows)


if __name__ == "__main__":
    main()
