"""Image data figures through the image API on this machine (prints; asserts nothing).

    python -m benchmarks.images [--size-mb 1024] [--fetch-mb 256]

A `novalite serve` process is started on a scratch state directory, then:
- hashlib alone: MD5 and SHA-512 MB/s, and both at once on two threads (what the image
  API computes while an upload streams: the ceiling for uploads on this machine);
- uploads of a --size-mb image (PUT /v2/images/{id}/file), --repeat times each with Python
  (httpx, chunked) and with `curl -T` (a file, Content-Length), so the client's own cost
  shows (median and best: the machine may be shared); each uploaded image is checked and
  deleted before the next, so every upload writes into a store holding only itself (left
  in place, the earlier gigabytes slowed later uploads by a third on this machine's disk);
  then one download;
- a compute host's cache miss: novalite.compute.image_cache.ImageCache with
  novalite.image.client fetching a --fetch-mb image from the running API into `_base/`
  (image show, download, hash check, rename), as a host does before its first build;
- the API process's peak RSS (VmHWM), which stays far below the image sizes because data
  streams in chunks.
The machine's load average is printed too: other work on it lowers every figure.
"""

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import httpx
from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint

from benchmarks.core import _demo_token, _free_port, _wait_api, side_ports
from novalite.compute.image_cache import ImageCache
from novalite.image.client import ImageClient

_BLOCK = os.urandom(1024 * 1024)


def _peak_rss_mb(pid: int) -> float:
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _hash_figures(size_mb: int = 256) -> dict:
    def run(name):
        h = hashlib.new(name)
        for _ in range(size_mb):
            h.update(_BLOCK)

    figures = {}
    for name in ("md5", "sha512"):
        start = time.perf_counter()
        run(name)
        figures["hashlib %s MB/s" % name] = size_mb / (time.perf_counter() - start)
    threads = [threading.Thread(target=run, args=(name,)) for name in ("md5", "sha512")]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    figures["hashlib md5+sha512, 2 threads, MB/s"] = size_mb / (time.perf_counter() - start)
    return figures


def _expected_md5(size_mb: int) -> str:
    """The MD5 of size_mb copies of _BLOCK, computed before any timing (so the client's
    hashing does not take CPU from the server it measures)."""
    h = hashlib.md5(usedforsecurity=False)
    for _ in range(size_mb):
        h.update(_BLOCK)
    return h.hexdigest()


def _create(client, name) -> dict:
    return client.post("/v2/images", json={
        "name": name, "disk_format": "raw", "container_format": "bare"}).json()


def _upload_httpx(client, size_mb) -> tuple[float, dict]:
    image = _create(client, "bench-httpx")
    start = time.perf_counter()
    resp = client.put(image["file"], content=(_BLOCK for _ in range(size_mb)),
                      headers={"Content-Type": "application/octet-stream"})
    elapsed = time.perf_counter() - start
    if resp.status_code != 204:
        raise SystemExit("upload failed: %d %s" % (resp.status_code, resp.text[:200]))
    return size_mb / elapsed, client.get(image["self"]).json()


def _upload_curl(client, base_url, token, path, size_mb) -> tuple[float, dict]:
    image = _create(client, "bench-curl")
    start = time.perf_counter()
    subprocess.run(["curl", "-sSf", "-T", path, "-H", "X-Auth-Token: " + token,
                    "-H", "Content-Type: application/octet-stream",
                    base_url + image["file"]], check=True)
    elapsed = time.perf_counter() - start
    return size_mb / elapsed, client.get(image["self"]).json()


def _download(client, image) -> tuple[float, str]:
    received = hashlib.md5(usedforsecurity=False)
    start = time.perf_counter()
    size = 0
    with client.stream("GET", image["file"]) as resp:
        for chunk in resp.iter_bytes(1024 * 1024):
            size += len(chunk)
            received.update(chunk)
    elapsed = time.perf_counter() - start
    return size / 1024 / 1024 / elapsed, received.hexdigest()


def _host_fetch(base_url, token, image_id, state) -> tuple[str, float]:
    """(what was timed, seconds) for a compute host's cache miss: image show, download
    with the hash check, rename into _base/ (ImageCache.precache, the pre-distribution
    path; without it, prepare(), which also copies the instance disk)."""
    session = ks_session.Session(auth=token_endpoint.Token(base_url, token))
    cache = ImageCache(os.path.join(state, "bench-host"), ImageClient(base_url, session),
                       qemu_img=None)
    start = time.perf_counter()
    if hasattr(cache, "precache"):
        what = "host cache fetch (precache)"
        cache.precache(image_id)
    else:
        what = "host cache fetch + disk copy (prepare)"
        cache.prepare(str(uuid.uuid4()), image_id)
    elapsed = time.perf_counter() - start
    if not os.path.exists(cache.base_path(image_id)):
        raise SystemExit("the image did not reach the host's cache")
    return what, elapsed


def bench(size_mb: int, fetch_mb: int, repeat: int) -> dict:
    state = tempfile.mkdtemp(prefix="novalite-bench-images-")
    ports = {"image": _free_port(), "identity": _free_port(), "compute": _free_port(),
             "ec2": _free_port()}
    config = os.path.join(state, "novalite.conf")
    with open(config, "w") as f:
        f.write("[image]\nport = %(image)d\n[identity]\nport = %(identity)d\n"
                "[ec2]\nport = %(ec2)d\n" % ports + side_ports())
    log = open(os.path.join(state, "serve.log"), "w")
    proc = subprocess.Popen([sys.executable, "-m", "novalite.cmd.main", "serve", "--computes",
                             "1", "--state-dir", state, "--port", str(ports["compute"]),
                             "--config-file", config], stdout=log, stderr=subprocess.STDOUT)
    figures = {"load average before": os.getloadavg()[0]}
    figures.update(_hash_figures())
    data_path = os.path.join(state, "upload.bin")
    with open(data_path, "wb") as f:
        for _ in range(size_mb):
            f.write(_BLOCK)
    expected = _expected_md5(size_mb)
    try:
        _wait_api("http://127.0.0.1:%d/v2.1" % ports["compute"], proc)
        token = _demo_token(state, ports["identity"])
        base_url = "http://127.0.0.1:%d" % ports["image"]
        client = httpx.Client(base_url=base_url, headers={"X-Auth-Token": token},
                              timeout=600)
        figures["peak RSS before, MB"] = _peak_rss_mb(proc.pid)
        ok, rates = True, {"httpx": [], "curl": []}
        for i in range(repeat):  # the median and the best of a few: the machine is shared
            rate, shown = _upload_httpx(client, size_mb)
            rates["httpx"].append(rate)
            ok = ok and shown["checksum"] == expected
            client.delete(shown["self"])
            rate, shown = _upload_curl(client, base_url, token, data_path, size_mb)
            rates["curl"].append(rate)
            ok = ok and shown["checksum"] == expected
            if i < repeat - 1:  # the last one stays for the download
                client.delete(shown["self"])
        for name, label in (("httpx", "httpx client"), ("curl", "curl -T")):
            figures["upload MB/s, %s, median" % label] = statistics.median(rates[name])
            figures["upload MB/s, %s, best" % label] = max(rates[name])
        figures["download MB/s, httpx client"], received = _download(client, shown)
        figures["checksums agree"] = ok and received == expected
        fetch_image = _create(client, "bench-fetch")
        client.put(fetch_image["file"], content=(_BLOCK for _ in range(fetch_mb)),
                   headers={"Content-Type": "application/octet-stream"})
        what, seconds = _host_fetch(base_url, token, fetch_image["id"], state)
        figures["%s of %d MiB, s" % (what, fetch_mb)] = seconds
        figures["%s MB/s" % what] = fetch_mb / seconds
        figures["peak RSS after, MB"] = _peak_rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(state, ignore_errors=True)
    figures["load average after"] = os.getloadavg()[0]
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--fetch-mb", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=5, help="uploads per client")
    args = parser.parse_args()
    print("image of %d MB; host fetch of %d MB; %d CPUs" % (
        args.size_mb, args.fetch_mb, os.cpu_count()))
    for name, value in bench(args.size_mb, args.fetch_mb, args.repeat).items():
        print("  %-45s %s" % (name, "%.1f" % value if isinstance(value, float) else value))


if __name__ == "__main__":
    main()
