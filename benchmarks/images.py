"""Image data figures through the image API on this machine (prints; asserts nothing).

    python -m benchmarks.images [--size-mb 512]

A `novalite serve` process is started on a scratch state directory; one image of
--size-mb is uploaded (PUT /v2/images/{id}/file, chunked) and downloaded again, and the
script prints upload and download MB/s and the API process's peak RSS (VmHWM), which
stays far below the image size because data streams in chunks.
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

import httpx

from benchmarks.core import _demo_token, _free_port, _wait_api

_BLOCK = os.urandom(1024 * 1024)


def _peak_rss_mb(pid: int) -> float:
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def bench(size_mb: int) -> dict:
    state = tempfile.mkdtemp(prefix="novalite-bench-images-")
    ports = {"image": _free_port(), "identity": _free_port(), "compute": _free_port()}
    config = os.path.join(state, "novalite.conf")
    with open(config, "w") as f:
        f.write("[image]\nport = %(image)d\n[identity]\nport = %(identity)d\n" % ports)
    log = open(os.path.join(state, "serve.log"), "w")
    proc = subprocess.Popen([sys.executable, "-m", "novalite.cmd.main", "serve", "--computes",
                             "1", "--state-dir", state, "--port", str(ports["compute"]),
                             "--config-file", config], stdout=log, stderr=subprocess.STDOUT)
    figures = {}
    try:
        _wait_api("http://127.0.0.1:%d/v2.1" % ports["compute"], proc)
        headers = {"X-Auth-Token": _demo_token(state, ports["identity"])}
        client = httpx.Client(base_url="http://127.0.0.1:%d" % ports["image"],
                              headers=headers, timeout=600)
        figures["peak RSS before, MB"] = _peak_rss_mb(proc.pid)
        image = client.post("/v2/images", json={
            "name": "bench", "disk_format": "raw", "container_format": "bare"}).json()
        sent = hashlib.md5(usedforsecurity=False)

        def body():
            for _ in range(size_mb):
                sent.update(_BLOCK)
                yield _BLOCK

        start = time.perf_counter()
        resp = client.put(image["file"], content=body(),
                          headers={"Content-Type": "application/octet-stream"})
        elapsed = time.perf_counter() - start
        if resp.status_code != 204:
            raise SystemExit("upload failed: %d %s" % (resp.status_code, resp.text[:200]))
        figures["upload MB/s"] = size_mb / elapsed
        received = hashlib.md5(usedforsecurity=False)
        start = time.perf_counter()
        with client.stream("GET", image["file"]) as resp:
            for chunk in resp.iter_bytes(1024 * 1024):
                received.update(chunk)
        figures["download MB/s"] = size_mb / (time.perf_counter() - start)
        figures["checksums agree"] = received.hexdigest() == sent.hexdigest() == \
            client.get(image["self"]).json()["checksum"]
        figures["peak RSS after, MB"] = _peak_rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(state, ignore_errors=True)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=512)
    args = parser.parse_args()
    print("image of %d MB" % args.size_mb)
    for name, value in bench(args.size_mb).items():
        print("  %-22s %s" % (name, "%.1f" % value if isinstance(value, float) else value))


if __name__ == "__main__":
    main()
