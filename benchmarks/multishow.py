"""multi-show and backup-instance figures on the all-in-one service (prints; asserts
nothing).

    python -m benchmarks.multishow [--users 100] [--per-user 10] [--backup-mib 256]

The original design's claim: 100 concurrent users each reading 10 servers issue 1,000 show
requests, or 100 multi-show requests, "900 fewer database requests". Measured here:
1. A `novalite serve` process with real tokens:
   - 100 concurrent users (one keep-alive connection each) reading 10 servers each, by 10
     GET /servers/{id} or by one POST /servers/multi_show: wall time and requests/s;
   - one connection: 10 sequential shows against one multi-show of the same 10 servers;
   - seconds from POST /servers/{id}/backup_instance to the image being active, for a server
     whose disk is a 256 MiB image.
2. In-process (same code): SQL statements per show and per multi-show, and the totals of
   both scenarios.
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
import time

import httpx

from benchmarks.core import _demo_token, _free_port, _wait_api, side_ports

HEADERS = {"OpenStack-API-Version": "compute 2.96", "Content-Type": "application/json"}
CONFIG = """[DEFAULT]
report_interval = 5
[image]
port = %(image_port)d
[identity]
port = %(identity_port)d
[ec2]
port = %(ec2_port)d
[api]
max_request_threads = 64
[quota]
instances = -1
cores = -1
ram = -1
"""


def _request(conn, method, path, body=None) -> bytes:
    conn.request(method, path, body=body, headers=HEADERS)
    resp = conn.getresponse()
    data = resp.read()
    if resp.status >= 400:
        raise SystemExit("%s %s: %d %s" % (method, path, resp.status, data[:200]))
    return data


def _boot_all(client, image, count) -> list[str]:
    body = {"server": {"name": "ms", "imageRef": image, "flavorRef": "1", "networks": "none",
                       "min_count": count, "max_count": count,
                       "return_reservation_id": True}}
    resv = client.post("/servers", json=body).json()["reservation_id"]
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        servers = client.get("/servers/detail", params={"reservation_id": resv}
                             ).json()["servers"]
        if sum(s["status"] == "ACTIVE" for s in servers) == count:
            return sorted(s["id"] for s in servers)
        time.sleep(0.25)
    raise SystemExit("servers did not reach ACTIVE")


def _users(port, groups, use_multi) -> float:
    """Every user (a thread with its own connection) reads its group; the wall time."""
    def user(group):
        conn = http.client.HTTPConnection("127.0.0.1", port)
        if use_multi:
            body = json.dumps({"servers": group})
            info = json.loads(_request(conn, "POST", "/v2.1/servers/multi_show", body))
            assert len(info["server_info"]) == len(group)
        else:
            for server_id in group:
                _request(conn, "GET", "/v2.1/servers/" + server_id)
        conn.close()

    with concurrent.futures.ThreadPoolExecutor(len(groups)) as pool:
        start = time.perf_counter()
        list(pool.map(user, groups))
        return time.perf_counter() - start


def _one_connection(port, group, rounds=200) -> tuple[float, float]:
    """Median ms of 10 sequential shows and of one multi-show of the same servers."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    body = json.dumps({"servers": group})
    shows, multis = [], []
    for i in range(rounds + 20):
        t = time.perf_counter()
        for server_id in group:
            _request(conn, "GET", "/v2.1/servers/" + server_id)
        t2 = time.perf_counter()
        _request(conn, "POST", "/v2.1/servers/multi_show", body)
        t3 = time.perf_counter()
        if i >= 20:  # warmed up
            shows.append((t2 - t) * 1000)
            multis.append((t3 - t2) * 1000)
    return statistics.median(shows), statistics.median(multis)


def _backup_seconds(state, image_port, client, mib) -> float:
    glance = httpx.Client(base_url="http://127.0.0.1:%d" % image_port,
                          headers={"X-Auth-Token": HEADERS["X-Auth-Token"]}, timeout=600)
    image = glance.post("/v2/images", json={"name": "big", "disk_format": "raw",
                                            "container_format": "bare"}).json()["id"]
    block = os.urandom(1 << 20)

    def data():
        for _ in range(mib):
            yield block

    glance.put("/v2/images/%s/file" % image, content=data(),
               headers={"Content-Type": "application/octet-stream"}).raise_for_status()
    server = client.post("/servers", json={"server": {
        "name": "big", "imageRef": image, "flavorRef": "1", "networks": "none"}}
    ).json()["server"]["id"]
    _wait(lambda: client.get("/servers/" + server).json()["server"]["status"] == "ACTIVE")
    start = time.perf_counter()
    backup = client.post("/servers/%s/backup_instance" % server,
                         json={"name": "big-backup"}).json()["id"]
    _wait(lambda: glance.get("/v2/images/" + backup).json()["status"] == "active", 0.05)
    elapsed = time.perf_counter() - start
    size = glance.get("/v2/images/" + backup).json()["size"]
    if size != mib << 20:
        raise SystemExit("backup has %d bytes, expected %d" % (size, mib << 20))
    glance.close()
    return elapsed


def _wait(ready, interval=0.25, timeout=600):
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        time.sleep(interval)


def bench_http(args) -> dict:
    figures = {}
    state = tempfile.mkdtemp(prefix="novalite-bench-")
    config = os.path.join(state, "novalite.conf")
    identity_port, image_port, port = _free_port(), _free_port(), _free_port()
    with open(config, "w") as f:
        f.write(CONFIG % {"ec2_port": _free_port(),
                          "image_port": image_port, "identity_port": identity_port}
                + side_ports())
    log = open(os.path.join(state, "serve.log"), "w")
    proc = subprocess.Popen([sys.executable, "-m", "novalite.cmd.main", "serve", "--computes",
                             "2", "--state-dir", state, "--port", str(port),
                             "--config-file", config], stdout=log, stderr=subprocess.STDOUT)
    base = "http://127.0.0.1:%d/v2.1" % port
    try:
        _wait_api(base, proc)
        HEADERS["X-Auth-Token"] = _demo_token(state, identity_port)
        client = httpx.Client(base_url=base, headers=HEADERS, timeout=600)
        image = client.get("/images", params={"name": "cirros-0.6.2-x86_64-disk"},
                           headers={"OpenStack-API-Version": "compute 2.1"}
                           ).json()["images"][0]["id"]
        ids = _boot_all(client, image, args.users)
        # User i reads 10 servers starting at its own: every server is read 10 times.
        groups = [[ids[(i + k) % len(ids)] for k in range(args.per_user)]
                  for i in range(args.users)]
        _users(port, groups, False)  # warm up both paths
        _users(port, groups, True)
        figures["shows_seconds"] = _users(port, groups, False)
        figures["multi_seconds"] = _users(port, groups, True)
        figures["one_conn_shows_ms"], figures["one_conn_multi_ms"] = _one_connection(
            port, groups[0])
        if args.backup_mib:
            figures["backup_seconds"] = _backup_seconds(state, image_port, client,
                                                        args.backup_mib)
        client.close()
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()
    return figures


def bench_sql(args) -> dict:
    """SQL statements per show and per multi-show (real tokens), counted in-process."""
    from sqlalchemy import event

    from novalite.cmd.serve import AllInOne
    from tests.cloud import Client, make_conf

    state = tempfile.mkdtemp(prefix="novalite-bench-")
    aio = AllInOne(make_conf(state, **{"api.auth_strategy": "embedded"}), computes=1)
    aio.start_in_thread()
    try:
        client = Client(aio.compute_url)
        client.http.headers["X-Auth-Token"] = _demo_token(state, aio.conf.identity.port)
        body = {"server": {"name": "counted", "imageRef": client.image_id(),
                           "flavorRef": "1", "networks": "none",
                           "min_count": args.per_user, "max_count": args.per_user,
                           "return_reservation_id": True}}
        client.post("/servers", json=body).raise_for_status()
        _wait(lambda: sum(s["status"] == "ACTIVE" for s in client.get(
            "/servers/detail").json()["servers"]) == args.per_user, 0.1)
        ids = [s["id"] for s in client.get("/servers").json()["servers"]]
        statements = []
        for engine in aio.database.engines():
            event.listen(engine, "before_cursor_execute",
                         lambda *a, **k: statements.append(1))
        statements.clear()
        client.get("/servers/" + ids[0]).raise_for_status()
        per_show = len(statements)
        statements.clear()
        client.post("/servers/multi_show", json={"servers": ids}).raise_for_status()
        per_multi = len(statements)
    finally:
        aio.stop()
    return {"sql_per_show": per_show, "sql_per_multi": per_multi}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--per-user", type=int, default=10)
    parser.add_argument("--backup-mib", type=int, default=256)
    args = parser.parse_args(argv)
    figures = bench_sql(args)
    figures.update(bench_http(args))
    users, per = args.users, args.per_user
    shows, multis = users * per, users
    print("novalite multi-show benchmark (all-in-one, real tokens, %d cores)" % os.cpu_count())
    print("  SQL statements: show %d, multi-show of %d servers %d (each includes the token's"
          " identity-epoch read)" % (figures["sql_per_show"], per, figures["sql_per_multi"]))
    sql_shows, sql_multi = shows * figures["sql_per_show"], multis * figures["sql_per_multi"]
    print("  %d users x %d servers: %d shows = %d SQL statements; %d multi-shows = %d; "
          "%d fewer database requests" % (users, per, shows, sql_shows, multis, sql_multi,
                                          sql_shows - sql_multi))
    print("  wall time, %d concurrent users: shows %.2f s (%.0f requests/s, %.0f servers/s);"
          " multi-show %.2f s (%.0f requests/s, %.0f servers/s); %.1fx faster"
          % (users, figures["shows_seconds"], shows / figures["shows_seconds"],
             shows / figures["shows_seconds"], figures["multi_seconds"],
             multis / figures["multi_seconds"], shows / figures["multi_seconds"],
             figures["shows_seconds"] / figures["multi_seconds"]))
    print("  one connection: %d sequential shows %.2f ms, one multi-show %.2f ms: %.1fx faster"
          % (per, figures["one_conn_shows_ms"], figures["one_conn_multi_ms"],
             figures["one_conn_shows_ms"] / figures["one_conn_multi_ms"]))
    if "backup_seconds" in figures:
        print("  backup_instance of a %d MiB disk to image active: %.2f s (%.0f MB/s)"
              % (args.backup_mib, figures["backup_seconds"],
                 args.backup_mib * 1.048576 / figures["backup_seconds"]))


if __name__ == "__main__":
    main()
