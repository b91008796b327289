"""A novalite cloud as separate OS processes: `novalite api`, `conductor`, `scheduler` and
one `novalite compute --host NAME` per compute host, sharing one config file, each writing
its stdout and stderr to files in a work directory. Every wait is bounded."""

import os
import shutil
import signal
import subprocess
import sys
import time

import httpx

from tests.cloud import Client, free_port

REPORT_INTERVAL = 1
SERVICE_DOWN_TIME = 4
START_TIMEOUT = 60
STOP_TIMEOUT = 20


class ClusterError(AssertionError):
    pass


def novalite_command() -> list[str]:
    """The `novalite` console script of this interpreter's environment."""
    script = os.path.join(os.path.dirname(sys.executable), "novalite")
    if os.path.exists(script):
        return [script]
    found = shutil.which("novalite")
    return [found] if found else [sys.executable, "-m", "novalite.cmd.main"]


class Process:
    def __init__(self, name: str, args: list[str], workdir: str, ready_line: str | None):
        self.name = name
        self.args = args
        self.out_path = os.path.join(workdir, name + ".out")
        self.err_path = os.path.join(workdir, name + ".err")
        self.ready_line = ready_line
        self.popen: subprocess.Popen | None = None
        self.killed = False  # on purpose, by the test

    def start(self) -> None:
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.popen = subprocess.Popen(novalite_command() + self.args, stdout=out,
                                          stderr=err, stdin=subprocess.DEVNULL,
                                          env={**os.environ, "PYTHONUNBUFFERED": "1"})

    @property
    def exited(self) -> bool:
        return self.popen is not None and self.popen.poll() is not None

    def ready(self) -> bool:
        with open(self.out_path, errors="replace") as f:
            return self.ready_line in f.read()

    def tail(self, lines: int = 25) -> str:
        out = []
        for path in (self.out_path, self.err_path):
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    text = f.read().splitlines()[-lines:]
                out.append("--- %s (last %d lines)\n%s" % (os.path.basename(path), len(text),
                                                           "\n".join(text)))
        return "\n".join(out)

    def log_text(self) -> str:
        with open(self.err_path, errors="replace") as f:
            return f.read()


class Cluster:
    def __init__(self, workdir: str, transport_url: str, database_url: str,
                 computes=("compute1", "compute2"), extra_config=(), ec2_api=False,
                 network_service=False):
        """extra_config: more lines for novalite.conf, e.g. ("[image_cache]", "x = 1").
        ec2_api: also run `novalite ec2-api` (on ec2_url). network_service: servers take
        ports from `novalite network-api` (on network_url), with a `novalite network-agent`
        per compute host; else the built-in fixed-IP network."""
        self.workdir = workdir
        self.port = free_port()
        self.image_port = free_port()
        self.ec2_port = free_port() if ec2_api else None
        self.network_port = free_port()
        self.computes = list(computes)
        self.config_file = os.path.join(workdir, "novalite.conf")
        with open(self.config_file, "w") as f:
            f.write("\n".join([
                "[DEFAULT]",
                "transport_url = %s" % transport_url,
                "host = controller",
                "state_path = %s" % os.path.join(workdir, "state"),
                "report_interval = %d" % REPORT_INTERVAL,
                "service_down_time = %d" % SERVICE_DOWN_TIME,
                "[database]",
                "connection = %s" % database_url,
                "[api]",
                "port = %d" % self.port,
                # This tier is about the pipeline across processes; tokens are tested with
                # the identity service in tests/functional and tests/clients.
                "auth_strategy = noauth2",
                "[image]",
                "port = %d" % self.image_port,
                "[network]",
                "backend = %s" % ("service" if network_service else "builtin"),
                "url = http://127.0.0.1:%d" % self.network_port,
                "[network_api]",
                "port = %d" % self.network_port,
                "nova_url = http://127.0.0.1:%d/v2.1" % self.port,
                *(["[ec2]", "port = %d" % self.ec2_port] if ec2_api else []),
                *extra_config,
                "",
            ]))
        conf = ["--config-file", self.config_file]
        self.processes = {
            name: Process(name, [name, *conf], workdir,
                          "novalite-%s running on host controller" % name)
            for name in ("conductor", "scheduler")}
        for host in self.computes:
            self.processes[host] = Process(host, ["compute", "--host", host, *conf], workdir,
                                           "novalite-compute running on host %s" % host)
        self.processes["api"] = Process("api", ["api", *conf], workdir, None)
        self.network_url = None
        if network_service:
            self.processes["network-api"] = Process("network-api", ["network-api", *conf],
                                                    workdir, "network API on")
            for host in self.computes:
                self.processes["agent-" + host] = Process(
                    "agent-" + host, ["network-agent", "--host", host, *conf], workdir,
                    "network agent of host %s" % host)
            self.network_url = "http://127.0.0.1:%d" % self.network_port
        self.url = "http://127.0.0.1:%d/v2.1" % self.port
        self.image_url = "http://127.0.0.1:%d" % self.image_port
        self.ec2_url = None
        if ec2_api:
            self.processes["ec2-api"] = Process("ec2-api", ["ec2-api", *conf], workdir, None)
            self.ec2_url = "http://127.0.0.1:%d" % self.ec2_port

    def client(self, user="demo", project="demo") -> Client:
        return Client(self.url, user, project)

    # -- life cycle -------------------------------------------------------------------------

    def db_upgrade(self) -> None:
        log = os.path.join(self.workdir, "db-upgrade.log")
        with open(log, "wb") as out:
            result = subprocess.run(
                novalite_command() + ["db", "upgrade", "--config-file", self.config_file],
                stdout=out, stderr=subprocess.STDOUT, timeout=START_TIMEOUT)
        if result.returncode != 0:
            with open(log, errors="replace") as f:
                raise ClusterError("novalite db upgrade failed (rc %d):\n%s"
                                   % (result.returncode, f.read()[-3000:]))

    def start(self) -> None:
        """Start every process; return when each serves RPC and the API answers."""
        for process in self.processes.values():
            process.start()
        self.wait_until(lambda: all(p.ready() for p in self.processes.values()
                                    if p.ready_line), START_TIMEOUT,
                        "every service to start")
        self.wait_until(self._api_answers, START_TIMEOUT, "the compute API to answer")
        if self.ec2_url:
            self.wait_until(self._ec2_answers, START_TIMEOUT, "the EC2 API to answer")

    def _api_answers(self) -> bool:
        try:
            return httpx.get(self.url + "/", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def _ec2_answers(self) -> bool:
        try:  # an unsigned request: any EC2 error document means it serves
            return "<Errors>" in httpx.get(self.ec2_url + "/", timeout=2).text
        except httpx.TransportError:
            return False

    def bootstrap(self) -> dict[str, str]:
        """`novalite bootstrap` (admin and demo users and projects, in the cloud's database);
        -> the exports of the ec2rc it writes (the demo user's EC2 credential)."""
        log = os.path.join(self.workdir, "bootstrap.log")  # holds passwords: tests only
        with open(log, "wb") as out:
            result = subprocess.run(
                novalite_command() + ["bootstrap", "--config-file", self.config_file],
                stdout=out, stderr=subprocess.STDOUT, timeout=START_TIMEOUT)
        if result.returncode != 0:
            with open(log, errors="replace") as f:
                raise ClusterError("novalite bootstrap failed (rc %d):\n%s"
                                   % (result.returncode, f.read()[-3000:]))
        exports = {}
        with open(os.path.join(self.workdir, "state", "ec2rc")) as f:
            for line in f:
                if line.startswith("export "):
                    name, _, value = line[len("export "):].strip().partition("=")
                    exports[name] = value
        return exports

    def kill(self, name: str) -> None:
        """SIGKILL: the process gets no chance to say goodbye."""
        process = self.processes[name]
        process.killed = True
        process.popen.kill()
        process.popen.wait(timeout=STOP_TIMEOUT)

    def stop(self) -> dict[str, int]:
        """SIGTERM everything still running (all at once), SIGKILL what does not exit in
        STOP_TIMEOUT; -> {name: exit code} of the processes the test did not kill."""
        running = [p for p in self.processes.values() if p.popen and not p.exited]
        for process in running:
            process.popen.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for process in running:
            try:
                process.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.popen.kill()
                process.popen.wait(timeout=STOP_TIMEOUT)
        return {p.name: p.popen.returncode for p in self.processes.values()
                if p.popen is not None and not p.killed}

    # -- waiting and diagnosis --------------------------------------------------------------

    def check_alive(self) -> None:
        dead = [p for p in self.processes.values() if p.exited and not p.killed]
        if dead:
            raise ClusterError("%s exited unexpectedly (rc %s)" % (
                ", ".join(p.name for p in dead), [p.popen.returncode for p in dead]))

    def wait_until(self, predicate, timeout: float, what: str, interval: float = 0.1):
        """Poll predicate until it returns something truthy (returned); fail after timeout
        or as soon as a process the test did not kill has exited."""
        deadline = time.monotonic() + timeout
        while True:
            self.check_alive()
            result = predicate()
            if result:
                return result
            if time.monotonic() > deadline:
                raise ClusterError("timed out after %ss waiting for %s" % (timeout, what))
            time.sleep(interval)

    def tails(self) -> str:
        return "\n".join("=== %s (%s)\n%s" % (
            p.name, "not started" if p.popen is None else
            "running" if not p.exited else "exit code %s" % p.popen.returncode, p.tail())
            for p in self.processes.values())

    def log_errors(self) -> list[str]:
        """ERROR lines and tracebacks the processes logged."""
        found = []
        for process in self.processes.values():
            if process.popen is None:
                continue
            for line in process.log_text().splitlines():
                if " ERROR " in line or " CRITICAL " in line or line.startswith("Traceback"):
                    found.append("%s: %s" % (process.name, line))
        return found
