"""Core figures for the all-in-one service on this machine (prints; asserts nothing).

    python -m benchmarks.core [--servers 200] [--detail 1000] [--shows 2000]

1. A `novalite serve --computes 4` process is started on a scratch state directory.
   - boot N servers (concurrent POSTs) and time until all are ACTIVE;
   - GET /servers/{id}: median / p95 ms and requests/s over one keep-alive connection;
   - GET /servers/detail with 1,000 servers: median ms.
2. In-process (same code, no HTTP server): SQL statements per request, and the RPC call
   round trip to a compute host over the in-process transport.
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import httpx

# The demo user's token (from the cloud's identity service) is filled in at start.
HEADERS = {"OpenStack-API-Version": "compute 2.96"}
CONFIG = """[DEFAULT]
report_interval = 5
[image]
port = %(image_port)d
[identity]
port = %(identity_port)d
[ec2]
port = %(ec2_port)d
"""
# Hosts big enough for every server a benchmark boots, and one project owning them all: far
# past the default quotas (shared by the benchmarks that boot many servers).
BIG_HOSTS = """[fake]
vcpus = 1024
memory_mb = 4194304
disk_gb = 100000
[compute]
max_concurrent_builds = 20
[quota]
instances = -1
cores = -1
ram = -1
"""


def side_ports() -> str:
    """Config sections giving free ports to the services a benchmark does not talk to (the
    network API, the console proxies): another cloud on this machine may hold the
    defaults."""
    from tests.cloud import ports_config

    return ports_config({"network": _free_port(), "vnc": _free_port(),
                         "serial": _free_port()})


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_api(url, proc, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("novalite serve exited early")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("novalite serve did not answer")


def _demo_token(state, identity_port, cloud="novalite") -> str:
    """A project-scoped token of a clouds.yaml user (the demo user unless told), whose
    password bootstrap wrote."""
    import yaml

    with open(os.path.join(state, "clouds.yaml")) as f:
        auth = yaml.safe_load(f)["clouds"][cloud]["auth"]
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": auth["username"], "password": auth["password"],
        "domain": {"name": "Default"}}}}, "scope": {"project": {
            "name": auth["project_name"], "domain": {"name": "Default"}}}}}
    resp = httpx.post("http://127.0.0.1:%d/v3/auth/tokens" % identity_port, json=body)
    resp.raise_for_status()
    return resp.headers["x-subject-token"]


def _get(conn, path) -> bytes:
    conn.request("GET", path, headers=HEADERS)
    resp = conn.getresponse()
    body = resp.read()
    if resp.status != 200:
        raise SystemExit("GET %s: %d %s" % (path, resp.status, body[:200]))
    return body


def _percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct))]


def _image(client):
    return client.get("/images", headers={"OpenStack-API-Version": "compute 2.1"}
                      ).json()["images"][0]["id"]


def _wait_active(client, expected, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        servers = client.get("/servers/detail").json()["servers"]
        statuses = [s["status"] for s in servers]
        if statuses.count("ACTIVE") >= expected:
            return
        if "ERROR" in statuses:
            raise SystemExit("a server went to ERROR")
        time.sleep(0.25)  # a client polling often would slow the cloud it measures
    raise SystemExit("servers did not reach ACTIVE")


def bench_http(args) -> dict:
    figures = {}
    state = tempfile.mkdtemp(prefix="novalite-bench-")
    config = os.path.join(state, "novalite.conf")
    identity_port = _free_port()
    with open(config, "w") as f:
        f.write((CONFIG + BIG_HOSTS) % {"ec2_port": _free_port(),
                          "image_port": _free_port(), "identity_port": identity_port}
                + side_ports())
    port = _free_port()
    log = open(os.path.join(state, "serve.log"), "w")
    proc = subprocess.Popen([sys.executable, "-m", "novalite.cmd.main", "serve", "--computes",
                             "4", "--state-dir", state, "--port", str(port),
                             "--config-file", config], stdout=log, stderr=subprocess.STDOUT)
    base = "http://127.0.0.1:%d/v2.1" % port
    try:
        _wait_api(base, proc)
        HEADERS["X-Auth-Token"] = _demo_token(state, identity_port)
        client = httpx.Client(base_url=base, headers=HEADERS, timeout=60)
        image = _image(client)

        local = threading.local()

        def boot(i):
            # One client (one keep-alive connection) per thread, as a real tool keeps its
            # session: a new httpx.Client per request costs the client more than the cloud.
            c = getattr(local, "client", None)
            if c is None:
                c = local.client = httpx.Client(base_url=base, headers=HEADERS, timeout=60)
            body = {"server": {"name": "bench-%d" % i, "imageRef": image,
                               "flavorRef": "1", "networks": "auto"}}
            resp = c.post("/servers", json=body)
            resp.raise_for_status()
            return resp.json()["server"]["id"]

        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            ids = list(pool.map(boot, range(args.servers)))
        _wait_active(client, args.servers)
        elapsed = time.perf_counter() - start
        figures["boot_seconds"] = elapsed
        figures["boot_per_second"] = args.servers / elapsed

        # The server's latency, measured with a lean client (the stdlib's http.client on one
        # keep-alive connection): httpx alone adds about 0.8 ms a request here.
        conn = http.client.HTTPConnection("127.0.0.1", port)
        show = "/v2.1/servers/" + ids[len(ids) // 2]
        for _ in range(200):  # warm up
            _get(conn, show)
        times = []
        start = time.perf_counter()
        for _ in range(args.shows):
            t = time.perf_counter()
            _get(conn, show)
            times.append((time.perf_counter() - t) * 1000)
        total = time.perf_counter() - start
        figures["show_median_ms"] = statistics.median(times)
        figures["show_p95_ms"] = _percentile(times, 0.95)
        figures["show_per_second"] = args.shows / total

        remaining = args.detail - args.servers
        while remaining > 0:
            count = min(remaining, 200)
            body = {"server": {"name": "fill", "imageRef": image, "flavorRef": "1",
                               "networks": "none", "min_count": count, "max_count": count}}
            client.post("/servers", json=body).raise_for_status()
            remaining -= count
        _wait_active(client, args.detail)
        conn = http.client.HTTPConnection("127.0.0.1", port)  # the idle one was closed
        times = []
        for _ in range(15):
            t = time.perf_counter()
            body = _get(conn, "/v2.1/servers/detail")
            times.append((time.perf_counter() - t) * 1000)
            assert len(json.loads(body)["servers"]) == args.detail
        figures["detail_servers"] = args.detail
        figures["detail_median_ms"] = statistics.median(times)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    return figures


def bench_in_process(args) -> dict:
    """SQL statements per request and RPC latency, measured inside one process."""
    from sqlalchemy import event

    from novalite.cmd.serve import AllInOne
    from tests.cloud import Client, make_conf

    figures = {}
    state = tempfile.mkdtemp(prefix="novalite-bench-")
    aio = AllInOne(make_conf(state, **{"api.auth_strategy": "embedded"}), computes=2)
    aio.start_in_thread()
    try:
        client = Client(aio.compute_url)
        # Real tokens, so the counts include what authentication reads.
        client.http.headers["X-Auth-Token"] = _demo_token(state, aio.conf.identity.port)
        server_id = client.boot("counted")["server"]["id"]
        client.wait_for(server_id, "ACTIVE")
        statements = []
        for engine in aio.database.engines():
            event.listen(engine, "before_cursor_execute",
                         lambda *a, **k: statements.append(1))
        for name, path in (("show", "/servers/" + server_id), ("detail", "/servers/detail"),
                           ("flavors_detail", "/flavors/detail")):
            statements.clear()
            client.get(path).raise_for_status()
            figures["sql_per_%s" % name] = len(statements)
        rpc = aio.compute_api.compute_rpc
        for _ in range(50):
            rpc.ping({}, "compute1", 1)
        times = []
        for _ in range(1000):
            t = time.perf_counter()
            rpc.ping({}, "compute1", 1)
            times.append((time.perf_counter() - t) * 1000)
        figures["rpc_call_median_ms"] = statistics.median(times)
    finally:
        aio.stop()
    return figures


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--servers", type=int, default=200)
    parser.add_argument("--detail", type=int, default=1000)
    parser.add_argument("--shows", type=int, default=2000)
    args = parser.parse_args(argv)
    figures = bench_http(args)
    figures.update(bench_in_process(args))
    print("novalite core benchmark (all-in-one, %d cores)" % os.cpu_count())
    print("  boot %d servers to ACTIVE (4 fake hosts): %.2f s, %.1f servers/s"
          % (args.servers, figures["boot_seconds"], figures["boot_per_second"]))
    print("  GET /servers/{id}: median %.2f ms, p95 %.2f ms, %.0f requests/s (keep-alive)"
          % (figures["show_median_ms"], figures["show_p95_ms"], figures["show_per_second"]))
    print("  GET /servers/detail with %d servers: median %.1f ms"
          % (figures["detail_servers"], figures["detail_median_ms"]))
    print("  SQL statements: show %d, detail %d, flavors/detail %d (each request also reads"
          " the identity epoch once to validate its cached token)"
          % (figures["sql_per_show"], figures["sql_per_detail"],
             figures["sql_per_flavors_detail"]))
    print("  RPC call round trip (in-process transport): median %.3f ms"
          % figures["rpc_call_median_ms"])


if __name__ == "__main__":
    main()
