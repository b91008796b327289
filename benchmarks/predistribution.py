"""Image pre-distribution figures (prints; asserts nothing).

    python -m benchmarks.predistribution [--hosts 4] [--servers 20] [--image-mib 256]
                                          [--rate-mb 50]

A `novalite serve --computes 4` process whose hosts download images at most 50 MB/s each
([image_cache] download_rate_limit, standing in for a real network link; the bytes are real
HTTP). A wave of 20 servers is booted from a fresh 256 MiB image cold (each host fetches it
during the wave), then from another fresh image after pre-distributing it to every host.
Each wave is timed from its first POST to all ACTIVE; the pre-distribution job is timed too.
Instance disks are qcow2 overlays when qemu-img is installed (else full copies, which the
warm wave then pays for).
"""

import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
import time

import httpx

from benchmarks.core import _demo_token, _free_port, _wait_api, side_ports

CONFIG = """[DEFAULT]
report_interval = 5
[image]
port = %(image_port)d
[identity]
port = %(identity_port)d
[ec2]
port = %(ec2_port)d
[image_cache]
download_rate_limit = %(rate)d
precache_concurrency = %(hosts)d
[quota]
instances = -1
cores = -1
ram = -1
"""


def _upload(glance, mib) -> str:
    image = glance.post("/v2/images", json={"name": "wave", "disk_format": "raw",
                                            "container_format": "bare"}).json()["id"]
    block = os.urandom(1 << 20)
    glance.put("/v2/images/%s/file" % image, content=(block for _ in range(mib)),
               headers={"Content-Type": "application/octet-stream"}).raise_for_status()
    return image


def _wave(base, headers, image, count) -> float:
    def boot(i):
        with httpx.Client(base_url=base, headers=headers, timeout=120) as c:
            resp = c.post("/servers", json={"server": {
                "name": "wave-%d" % i, "imageRef": image, "flavorRef": "1",
                "networks": "none"}})
            resp.raise_for_status()
            return resp.json()["server"]["id"]

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        ids = set(pool.map(boot, range(count)))
    with httpx.Client(base_url=base, headers=headers, timeout=120) as c:
        while True:
            servers = [s for s in c.get("/servers/detail").json()["servers"] if s["id"] in ids]
            if any(s["status"] == "ERROR" for s in servers):
                raise SystemExit("a server went to ERROR: %s" % servers)
            if sum(s["status"] == "ACTIVE" for s in servers) == count:
                return time.perf_counter() - start
            time.sleep(0.1)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", type=int, default=4)
    parser.add_argument("--servers", type=int, default=20)
    parser.add_argument("--image-mib", type=int, default=256)
    parser.add_argument("--rate-mb", type=float, default=50)
    args = parser.parse_args(argv)
    state = tempfile.mkdtemp(prefix="novalite-bench-")
    identity_port, image_port, port = _free_port(), _free_port(), _free_port()
    config = os.path.join(state, "novalite.conf")
    with open(config, "w") as f:
        f.write(CONFIG % {"ec2_port": _free_port(),
                          "image_port": image_port, "identity_port": identity_port,
                          "rate": int(args.rate_mb * 1e6), "hosts": args.hosts}
                + side_ports())
    log = open(os.path.join(state, "serve.log"), "w")
    proc = subprocess.Popen([sys.executable, "-m", "novalite.cmd.main", "serve", "--computes",
                             str(args.hosts), "--state-dir", state, "--port", str(port),
                             "--config-file", config], stdout=log, stderr=subprocess.STDOUT)
    base = "http://127.0.0.1:%d/v2.1" % port
    try:
        _wait_api(base, proc)
        user = {"X-Auth-Token": _demo_token(state, identity_port)}
        headers = dict(user, **{"OpenStack-API-Version": "compute 2.96"})
        admin_token = _demo_token(state, identity_port, "novalite-admin")
        admin = httpx.Client(base_url=base, timeout=120, headers={
            "X-Auth-Token": admin_token, "OpenStack-API-Version": "compute 2.96"})
        glance = httpx.Client(base_url="http://127.0.0.1:%d" % image_port, headers=user,
                              timeout=600)
        cold_image, warm_image = _upload(glance, args.image_mib), _upload(glance, args.image_mib)
        cold = _wave(base, headers, cold_image, args.servers)

        start = time.perf_counter()
        job = admin.post("/os-image-predistribution", json={"image_id": warm_image}).json()
        job_id = job["job"]["id"]
        while True:
            job = admin.get("/os-image-predistribution/" + job_id).json()["job"]
            if job["status"] in ("done", "error", "cancelled"):
                break
            time.sleep(0.1)
        predistribution = time.perf_counter() - start
        if job["status"] != "done":
            raise SystemExit("pre-distribution ended %s: %s" % (job["status"], job["hosts"]))
        warm = _wave(base, headers, warm_image, args.servers)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()
    one_download = args.image_mib * 1048576 / (args.rate_mb * 1e6)
    print("novalite image pre-distribution benchmark (%d fake hosts, %d MiB image, %.0f MB/s "
          "per host, disks: %s)" % (args.hosts, args.image_mib, args.rate_mb,
                                    "qcow2 overlays" if shutil.which("qemu-img")
                                    else "full copies (no qemu-img)"))
    print("  one download at the rate limit: %.1f s" % one_download)
    print("  cold wave of %d servers: %.2f s" % (args.servers, cold))
    print("  pre-distribution to %d hosts: %.2f s" % (args.hosts, predistribution))
    print("  wave after pre-distribution: %.2f s: %.1fx faster than cold"
          % (warm, cold / warm))


if __name__ == "__main__":
    main()
