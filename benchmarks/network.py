"""Network service figures (prints; asserts nothing).

    python -m benchmarks.network [--ports 1000] [--clients 8] [--listed 10000] [--quick]

1. A `novalite serve` process (SQLite, real tokens), its network API on a free port:
   - ports created per second, --ports of them one after another from one client, then
     --ports more from --clients concurrent clients (a keep-alive connection each), with
     the median and p95 ms of a create as the client sees it;
   - GET /v2.0/ports with --listed ports on the network (made by bulk creates): ms, median
     of 5.
2. In-process (same code, SQLite): SQL statements of one port create, and of a port list
   of 10 ports and of 1,000 (constant in N: fixed IPs, security groups and tags are read
   once per page, not per port).
3. Boot of --servers servers to ACTIVE on 4 fake hosts (8 clients, `networks: auto` on
   the demo project's `private`), once with ports from the network service (each server's
   port made, bound, and its network-vif-plugged awaited) and once on the built-in
   fixed-IP network ([network] backend = builtin), in the same run.
The issue's aims are printed beside the figures: a port create under 3 ms (real Neutron
answers in tens of milliseconds); the boot with ports within 25% of the built-in one.
"""

import argparse
import concurrent.futures
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import httpx

from benchmarks import core
from benchmarks.core import _demo_token, _free_port, _percentile, _wait_api

CREATE_MS_AIM = 3.0
BOOT_RATIO_AIM = 1.25
CONFIG = """[DEFAULT]
report_interval = 5
[api]
port = %(compute)d
[image]
port = %(image)d
[identity]
port = %(identity)d
[ec2]
port = %(ec2)d
[network_api]
port = %(network)d
[vnc]
novncproxy_port = %(vnc)d
[serial_console]
serialproxy_port = %(serial)d
[network_quotas]
network = -1
subnet = -1
port = -1
"""
BOOT_CONFIG = core.BIG_HOSTS + """[network]
backend = %(backend)s
"""


def _serve(config_text: str, computes: int):
    """(state dir, process, log) of a `novalite serve` on the given config."""
    state = tempfile.mkdtemp(prefix="novalite-bench-")
    config = os.path.join(state, "novalite.conf")
    with open(config, "w") as f:
        f.write(config_text)
    log = open(os.path.join(state, "serve.log"), "w")
    proc = subprocess.Popen([sys.executable, "-m", "novalite.cmd.main", "serve", "--computes",
                             str(computes), "--state-dir", state, "--config-file", config],
                            stdout=log, stderr=subprocess.STDOUT)
    return state, proc, log


def bench_boot(backend: str, servers: int) -> float:
    """Seconds for `servers` boots (8 clients) to all be ACTIVE on 4 fake hosts."""
    ports = {name: _free_port() for name in ("compute", "image", "identity", "ec2",
                                              "network", "vnc", "serial")}
    state, proc, log = _serve(CONFIG % ports + BOOT_CONFIG % {"backend": backend}, 4)
    base = "http://127.0.0.1:%d/v2.1" % ports["compute"]
    try:
        _wait_api(base, proc)
        headers = {"X-Auth-Token": _demo_token(state, ports["identity"]),
                   "OpenStack-API-Version": "compute 2.96"}
        client = httpx.Client(base_url=base, headers=headers, timeout=60)
        image = core._image(client)
        local = threading.local()

        def boot(i):
            c = getattr(local, "client", None)
            if c is None:
                c = local.client = httpx.Client(base_url=base, headers=headers, timeout=60)
            resp = c.post("/servers", json={"server": {
                "name": "bench-%d" % i, "imageRef": image, "flavorRef": "1",
                "networks": "auto"}})
            resp.raise_for_status()

        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(boot, range(servers)))
        core._wait_active(client, servers)
        return time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _create_ports(base, token, network_id, count, clients) -> list[float]:
    local = threading.local()
    made = []

    def client():
        if not hasattr(local, "http"):
            local.http = httpx.Client(base_url=base, headers={"X-Auth-Token": token},
                                      timeout=60)
            made.append(local.http)
        return local.http

    def create(_):
        t = time.perf_counter()
        resp = client().post("/v2.0/ports", json={"port": {"network_id": network_id}})
        elapsed = (time.perf_counter() - t) * 1000
        if resp.status_code != 201:
            raise SystemExit("port create: %d %s" % (resp.status_code, resp.text[:300]))
        return elapsed

    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        times = list(pool.map(create, range(count)))
    for http in made:
        http.close()
    return times


def bench_http(args) -> dict:
    figures = {}
    ports = {name: _free_port() for name in ("compute", "image", "identity", "ec2",
                                              "network", "vnc", "serial")}
    state, proc, log = _serve(CONFIG % ports, 1)
    base = "http://127.0.0.1:%d" % ports["network"]
    try:
        _wait_api(base + "/", proc)
        token = _demo_token(state, ports["identity"])
        http = httpx.Client(base_url=base, headers={"X-Auth-Token": token}, timeout=600)
        network = http.post("/v2.0/networks", json={"network": {"name": "bench"}}
                            ).json()["network"]["id"]
        http.post("/v2.0/subnets", json={"subnet": {
            "network_id": network, "ip_version": 4, "cidr": "10.128.0.0/16"}}
        ).raise_for_status()
        _create_ports(base, token, network, 20, 1)  # warm up
        for clients in (1, args.clients):
            start = time.perf_counter()
            times = _create_ports(base, token, network, args.ports, clients)
            seconds = time.perf_counter() - start
            figures["create_%d" % clients] = (args.ports / seconds,
                                              statistics.median(times),
                                              _percentile(times, 0.95))
        have = 20 + 2 * args.ports
        while have < args.listed:
            batch = min(200, args.listed - have)
            http.post("/v2.0/ports", json={"ports": [{"network_id": network}] * batch}
                      ).raise_for_status()
            have += batch
        listed = []
        for _ in range(5):
            t = time.perf_counter()
            resp = http.get("/v2.0/ports", params={"network_id": network})
            listed.append((time.perf_counter() - t) * 1000)
            count = len(resp.json()["ports"])
        figures["list"] = (count, statistics.median(listed))
        http.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    return figures


def bench_sql() -> dict:
    """Statements of one create and of lists of 10 and 1,000 ports, in-process."""
    from sqlalchemy import event

    from novalite import conf as nl_conf
    from novalite.context import RequestContext
    from novalite.db.database import Database, default_url
    from novalite.networking.db import migration
    from novalite.networking.service import NetworkService

    with tempfile.TemporaryDirectory(prefix="novalite-bench-") as state:
        database = Database(default_url(state))
        migration.upgrade(database)
        conf = nl_conf.new_conf()
        conf.set_override("port", -1, group="network_quotas")
        service = NetworkService(database, conf)
        ctxt = RequestContext(user_id="demo", project_id="demo", roles=["member", "reader"])
        network = service.networks.create(ctxt, {"name": "counted"})
        service.subnets.create(ctxt, {"network_id": network["id"], "ip_version": 4,
                                      "cidr": "10.129.0.0/16"})
        service.ports.create(ctxt, {"network_id": network["id"]})  # the default group
        statements = []
        for engine in database.engines():
            event.listen(engine, "before_cursor_execute",
                         lambda *a, **k: statements.append(1))
        service.ports.create(ctxt, {"network_id": network["id"]})
        figures = {"create": len(statements)}
        for _ in range(8):
            service.ports.create(ctxt, {"network_id": network["id"]})
        for size in (10, 1000):
            while len(service.ports.list(ctxt, {}, [], None, None)) < size:
                service.ports.create(ctxt, {"network_id": network["id"]})
            statements.clear()
            service.ports.list(ctxt, {}, [], size, None)
            figures["list_%d" % size] = len(statements)
        database.dispose()
    return figures


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ports", type=int, default=None, help="ports per create run (1000)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--listed", type=int, default=None,
                        help="ports on the network when it is listed (10000)")
    parser.add_argument("--servers", type=int, default=None, help="servers booted (200)")
    parser.add_argument("--quick", action="store_true", help="a smaller smoke run")
    args = parser.parse_args(argv)
    args.ports = args.ports or (100 if args.quick else 1000)
    args.listed = args.listed or (1000 if args.quick else 10000)
    args.servers = args.servers or (40 if args.quick else 200)
    load = os.getloadavg()[0]
    sql = bench_sql()
    figures = bench_http(args)
    boot = {backend: bench_boot(backend, args.servers) for backend in ("builtin", "service")}
    print("novalite network benchmark (all-in-one, SQLite, %d cores, load average %.2f "
          "before)" % (os.cpu_count(), load))
    for clients in (1, args.clients):
        rate, median, p95 = figures["create_%d" % clients]
        print("  port create, %d client%s: %.0f ports/s, %.2f ms median, %.2f ms p95   "
              "(aim: under %.0f ms: %s)" % (clients, "" if clients == 1 else "s", rate,
                                            median, p95, CREATE_MS_AIM,
                                            "ok" if median < CREATE_MS_AIM else "OVER"))
    count, ms = figures["list"]
    print("  GET /v2.0/ports with %d ports: %.0f ms median of 5" % (count, ms))
    print("  SQL statements, BEGINs included: a port create %d; a list of 10 ports %d, of "
          "1,000 ports %d" % (sql["create"], sql["list_10"], sql["list_1000"]))
    ratio = boot["service"] / boot["builtin"]
    print("  boot of %d servers to ACTIVE on 4 fake hosts: %.1f s with ports from the network "
          "service, %.1f s on the built-in network: %.2fx   (aim: within %.2fx: %s)" % (
              args.servers, boot["service"], boot["builtin"], ratio, BOOT_RATIO_AIM,
              "ok" if ratio <= BOOT_RATIO_AIM else "OVER"))


if __name__ == "__main__":
    main()
