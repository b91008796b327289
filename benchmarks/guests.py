"""Real-guest figures with the libvirt driver (prints; asserts nothing).

    python -m benchmarks.guests [--waves 1,4]

Needs what tests/guests needs: libvirt-python, QEMU and libvirtd on qemu:///system
(`.ci/libvirt-host` as root sets them up). A `novalite serve --computes 1` process with
`compute_driver = libvirt` (software emulation) boots the tiny guest of
tests/guests/tiny_guest.py (a Debian cloud kernel and a busybox initramfs, 128 MiB RAM).
For each wave size, that many servers are POSTed at once; each guest's time runs from its
POST to its marker line in the console output read through os-getConsoleOutput. The memory
per guest is the resident set of its QEMU process once all guests of the wave are up.
"""

import argparse
import concurrent.futures
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

from benchmarks.core import _free_port, _wait_api, side_ports
from tests.guests import tiny_guest

CONFIG = """[DEFAULT]
report_interval = 5
compute_driver = libvirt
[libvirt]
connection_uri = qemu:///system
virt_type = qemu
[api]
port = %(compute)d
[image]
port = %(image)d
[identity]
port = %(identity)d
[ec2]
port = %(ec2)d
"""


def _connect(state, cloud):
    import openstack

    config = openstack.config.OpenStackConfig(
        config_files=[os.path.join(state, "clouds.yaml")])
    return openstack.connection.Connection(config=config.get_one(cloud),
                                           compute_api_version="2.96")


def _images(conn, files) -> str:
    kernel = conn.image.create_image(name="bench-kernel", filename=files.kernel,
                                     disk_format="aki", container_format="aki", wait=True)
    ramdisk = conn.image.create_image(name="bench-ramdisk", filename=files.initramfs,
                                      disk_format="ari", container_format="ari", wait=True)
    machine = conn.image.create_image(
        name="bench-tiny", filename=files.disk, disk_format="ami", container_format="ami",
        wait=True, kernel_id=kernel.id, ramdisk_id=ramdisk.id,
        os_command_line=tiny_guest.CMDLINE)
    return machine.id


def _guest_seconds(conn, image_id, flavor_id) -> tuple[str, float]:
    """(server id, seconds from POST to the marker on its console)."""
    start = time.perf_counter()
    server = conn.compute.create_server(name="bench-" + uuid.uuid4().hex[:6],
                                        image_id=image_id, flavor_id=flavor_id,
                                        networks="none")
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        shown = conn.compute.get_server(server.id)
        if shown.status == "ERROR":
            raise SystemExit("server %s went to ERROR: %s" % (server.id, shown.fault))
        if shown.status == "ACTIVE":
            output = conn.compute.get_server_console_output(server)["output"]
            if tiny_guest.MARKER in output:
                return server.id, time.perf_counter() - start
        time.sleep(0.25)
    raise SystemExit("no marker from %s in 600 s" % server.id)


def _qemu_rss_mb(server_ids) -> list[float]:
    """Resident MiB of each server's QEMU process (its command line names the uuid)."""
    sizes = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmdline = f.read().decode(errors="replace")
            if "qemu-system" not in cmdline or not any(s in cmdline for s in server_ids):
                continue
            with open("/proc/%s/status" % pid) as f:
                rss = next(line for line in f if line.startswith("VmRSS:"))
            sizes.append(int(rss.split()[1]) / 1024)
        except (OSError, StopIteration):
            continue
    return sizes


def bench(waves) -> dict:
    files = tiny_guest.build()
    state = tempfile.mkdtemp(prefix="novalite-bench-guests-")
    os.chmod(state, 0o755)  # QEMU runs as libvirt's user and opens the disks in here
    ports = {"compute": _free_port(), "image": _free_port(), "identity": _free_port(),
             "ec2": _free_port()}
    config = os.path.join(state, "novalite.conf")
    with open(config, "w") as f:
        f.write(CONFIG % ports + side_ports())
    log = open(os.path.join(state, "serve.log"), "w")
    proc = subprocess.Popen([sys.executable, "-m", "novalite.cmd.main", "serve", "--computes",
                             "1", "--state-dir", state, "--config-file", config],
                            stdout=log, stderr=subprocess.STDOUT)
    figures = {"load average before": os.getloadavg()[0]}
    try:
        _wait_api("http://127.0.0.1:%d/v2.1" % ports["compute"], proc, timeout=60)
        while not os.path.exists(os.path.join(state, "clouds.yaml")):
            time.sleep(0.1)
        conn = _connect(state, "novalite")
        admin = _connect(state, "novalite-admin")
        flavor = admin.compute.create_flavor(name="bench-guest", ram=128, vcpus=1, disk=1)
        image_id = _images(conn, files)
        for count in waves:
            start = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(count) as pool:
                results = list(pool.map(lambda _: _guest_seconds(conn, image_id, flavor.id),
                                        range(count)))
            ids = [server_id for server_id, _ in results]
            seconds = [s for _, s in results]
            figures["%d guest(s): wave, s" % count] = time.perf_counter() - start
            figures["%d guest(s): POST to marker, median s" % count] = \
                statistics.median(seconds)
            figures["%d guest(s): POST to marker, slowest s" % count] = max(seconds)
            rss = _qemu_rss_mb(ids)
            if rss:
                figures["%d guest(s): QEMU RSS per guest, MiB" % count] = \
                    statistics.mean(rss)
            servers = [conn.compute.get_server(server_id) for server_id in ids]
            for server in servers:
                conn.compute.delete_server(server)
            for server in servers:
                conn.compute.wait_for_delete(server, wait=120)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        shutil.rmtree(state, ignore_errors=True)
    figures["load average after"] = os.getloadavg()[0]
    return figures


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waves", default="1,4",
                        help="comma-separated numbers of guests booted at once")
    args = parser.parse_args(argv)
    waves = [int(n) for n in args.waves.split(",")]
    print("tiny guest, 128 MiB, software emulation; %d CPUs" % os.cpu_count())
    for name, value in bench(waves).items():
        print("  %-46s %s" % (name, "%.1f" % value if isinstance(value, float) else value))


if __name__ == "__main__":
    main()
