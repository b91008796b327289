"""The Tempest tier: OpenStack's conformance suite against a throwaway `novalite serve`.

    python tests/tempest/run.py                      # every selection, checked against expected/
    python tests/tempest/run.py --selection compute  # one selection
    python tests/tempest/run.py --regex 'tempest\\.api\\.compute\\.flavors'   # any tests, no check
    python tests/tempest/run.py --update             # rewrite expected/ from this run's passes

Tempest is installed into its own virtualenv ($NOVALITE_TEMPEST_VENV, default
~/.cache/novalite/tempest-venv), kept between runs. The cloud gets free ports and a fresh
state directory; the runner seeds what Tempest needs as an operator would (two public
images, two small flavors, unlimited default quotas) and writes tempest.conf from
tempest.conf.in. Results, logs and the summary go to $NOVALITE_TEMPEST_OUT (default
.tempest/ in the repository).

A selection fails when a test in its expected-pass list does not pass; tests that pass and
are not listed are printed so they can be added.
"""

import argparse
import csv
import io
import json
import os
import re
import secrets
import signal
import socket
import string
import subprocess
import sys
import time
from pathlib import Path

import httpx

from novalite.image import demo

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TEMPEST_VERSION = "47.0.0"

# What each selection runs: the API suites of the services novalite serves.
SELECTIONS = {
    "compute": r"^tempest\.api\.compute\.",
    "network": r"^tempest\.api\.network\.",
    "identity": r"^tempest\.api\.identity\.",
    "image": r"^tempest\.api\.image\.v2\.",
}

# Flavors as devstack makes them for Tempest (m1.nano and m1.micro, ids 42 and 84).
FLAVORS = [("42", "m1.nano", 128, 1, 1), ("84", "m1.micro", 192, 1, 1)]

UNLIMITED_QUOTAS = ("instances", "cores", "ram", "metadata_items", "key_pairs",
                    "server_groups", "server_group_members")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tempest_venv() -> Path:
    """The virtualenv with tempest==TEMPEST_VERSION, made on first use."""
    venv = Path(os.environ.get("NOVALITE_TEMPEST_VENV",
                               Path.home() / ".cache" / "novalite" / "tempest-venv"))
    marker = venv / (".tempest-" + TEMPEST_VERSION)
    if not marker.exists():
        print("installing tempest %s into %s" % (TEMPEST_VERSION, venv), flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet",
                        "tempest==" + TEMPEST_VERSION], check=True)
        marker.touch()
    return venv


class Cloud:
    """`novalite serve` on free ports with its own state directory."""

    def __init__(self, out: Path):
        self.out = out
        self.password = secrets.token_urlsafe(12)
        self.ports = {group: free_port()
                      for group in ("api", "identity", "image", "ec2", "network_api")}
        self.identity_url = "http://127.0.0.1:%d/v3" % self.ports["identity"]
        self.compute_url = "http://127.0.0.1:%d/v2.1" % self.ports["api"]
        self.image_url = "http://127.0.0.1:%d" % self.ports["image"]
        self.network_url = "http://127.0.0.1:%d" % self.ports["network_api"]
        self.process = None

    def start(self) -> None:
        state = self.out / "state"
        conf = self.out / "novalite.conf"
        lines = []
        for group, port in self.ports.items():
            lines += ["[%s]" % group, "port = %d" % port, ""]
        lines += ["[vnc]", "novncproxy_port = %d" % free_port(), "",
                  "[serial_console]", "serialproxy_port = %d" % free_port(), ""]
        # A test cloud's operator lifts the quotas: Tempest boots many servers at once.
        lines += ["[quota]"] + ["%s = -1" % name for name in UNLIMITED_QUOTAS]
        conf.write_text("\n".join(lines) + "\n")
        env = dict(os.environ, NOVALITE_ADMIN_PASSWORD=self.password,
                   NOVALITE_DEMO_PASSWORD=secrets.token_urlsafe(12))
        novalite = Path(sys.executable).parent / "novalite"
        self.log = open(self.out / "serve.log", "wb")
        self.process = subprocess.Popen(
            [str(novalite), "serve", "--config-file", str(conf), "--state-dir", str(state)],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 120
        for url in (self.identity_url, self.compute_url + "/", self.image_url + "/versions",
                    self.network_url + "/"):
            while True:
                if self.process.poll() is not None:
                    raise SystemExit("novalite serve exited; see %s" % self.log.name)
                try:
                    if httpx.get(url, timeout=2).status_code < 500:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("novalite serve did not answer %s" % url)
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def admin_session(self) -> httpx.Client:
        body = {"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": "admin", "domain": {"name": "Default"}, "password": self.password}}},
            "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}}
        resp = httpx.post(self.identity_url + "/auth/tokens", json=body, timeout=30)
        resp.raise_for_status()
        return httpx.Client(headers={"X-Auth-Token": resp.headers["X-Subject-Token"]},
                            timeout=60)

    def seed(self) -> dict:
        """What Tempest needs, made through the APIs; returns the tempest.conf fields."""
        with self.admin_session() as http:
            images = [self._image(http, "tempest-image-%d" % n) for n in (1, 2)]
            for flavor_id, name, ram, vcpus, disk in FLAVORS:
                resp = http.post(self.compute_url + "/flavors", json={"flavor": {
                    "id": flavor_id, "name": name, "ram": ram, "vcpus": vcpus,
                    "disk": disk}})
                resp.raise_for_status()
            version = http.get(self.compute_url + "/").json()["version"]["version"]
            # The default topology's external network, and exactly the extensions served.
            public = http.get(self.network_url + "/v2.0/networks",
                              params={"router:external": "true", "name": "public"})
            public.raise_for_status()
            extensions = http.get(self.network_url + "/v2.0/extensions")
            extensions.raise_for_status()
        return {"public_network_id": public.json()["networks"][0]["id"],
                "network_extensions": ",".join(
                    sorted(e["alias"] for e in extensions.json()["extensions"])),
                "image_ref": images[0], "image_ref_alt": images[1],
                "flavor_ref": FLAVORS[0][0], "flavor_ref_alt": FLAVORS[1][0],
                "max_microversion": version, "identity_url": self.identity_url,
                "admin_password": self.password}

    def _image(self, http, name) -> str:
        resp = http.post(self.image_url + "/v2/images", json={
            "name": name, "disk_format": "qcow2", "container_format": "bare",
            "visibility": "public"})
        resp.raise_for_status()
        image_id = resp.json()["id"]
        http.put(self.image_url + "/v2/images/%s/file" % image_id, content=demo.qcow2_disk(),
                 headers={"Content-Type": "application/octet-stream"}).raise_for_status()
        return image_id


def test_name(test_id: str) -> str:
    """A test's id without its attributes ('[id-...,smoke]')."""
    return re.sub(r"\[[^\]]*\]$", "", test_id)


def read_list(path: Path) -> set:
    if not path.exists():
        return set()
    return {line.strip() for line in path.read_text().splitlines()
            if line.strip() and not line.startswith("#")}


def write_list(path: Path, selection: str, names) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ("# Tempest %s tests of the %s selection that pass against novalite.\n"
              "# The Tempest tier fails when one of them does not pass; add the tests it "
              "reports as newly passing.\n" % (TEMPEST_VERSION, selection))
    path.write_text(header + "".join(name + "\n" for name in sorted(names)))


class Workspace:
    """A Tempest workspace (tempest init) with tempest.conf filled in."""

    def __init__(self, venv: Path, out: Path, fields: dict):
        self.venv = venv
        self.path = out / "workspace"
        # A registry of our own: the user's ~/.tempest/workspace.yaml is left alone.
        subprocess.run([str(venv / "bin" / "tempest"), "init", "--name", "novalite",
                        "--workspace-path", str(out / "workspaces.yaml"), str(self.path)],
                       check=True, stdout=subprocess.DEVNULL)
        template = string.Template((HERE / "tempest.conf.in").read_text())
        conf = template.substitute(fields, log_file=str(out / "tempest.log"))
        (self.path / "etc" / "tempest.conf").write_text(conf)
        (out / "tempest.conf").write_text(conf)

    def run(self, regex: str, log: Path) -> dict:
        """Runs the tests matching regex; returns {test name: status}."""
        with open(log, "wb") as out:
            subprocess.run([str(self.venv / "bin" / "tempest"), "run", "--concurrency", "2",
                            "--regex", regex], cwd=self.path, stdout=out,
                           stderr=subprocess.STDOUT)
        stream = subprocess.run([str(self.venv / "bin" / "stestr"), "last", "--subunit"],
                                cwd=self.path, capture_output=True).stdout
        # subunit2csv exits 1 when the stream holds failures: its output is still whole.
        rows = subprocess.run([str(self.venv / "bin" / "subunit2csv")], input=stream,
                              capture_output=True).stdout.decode(errors="replace")
        results = {}
        for row in csv.DictReader(io.StringIO(rows)):
            results[test_name(row["test"])] = row["status"]
        return results


def check(selection: str, results: dict, update: bool) -> dict:
    passed = {name for name, status in results.items() if status == "success"}
    expected_path = HERE / "expected" / (selection + ".txt")
    expected = read_list(expected_path)
    missing = sorted(expected - passed)
    new = sorted(passed - expected)
    for name in missing:
        print("EXPECTED TO PASS, DID NOT (%s): %s" % (results.get(name, "not run"), name))
    for name in new:
        print("newly passing, add to %s: %s" % (expected_path.relative_to(REPO), name))
    if update:
        write_list(expected_path, selection, passed)
    return {"missing": len(missing) if not update else 0, "new": len(new)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--selection", action="append", choices=sorted(SELECTIONS))
    parser.add_argument("--regex", help="run these tests only, checked against no list")
    parser.add_argument("--update", action="store_true",
                        help="rewrite the expected-pass lists from this run")
    args = parser.parse_args(argv)
    out = Path(os.environ.get("NOVALITE_TEMPEST_OUT", REPO / ".tempest")).resolve()
    if out.exists():
        subprocess.run(["rm", "-rf", str(out)], check=True)
    out.mkdir(parents=True)
    venv = tempest_venv()
    runs = {"regex": args.regex} if args.regex else {
        name: SELECTIONS[name] for name in (args.selection or SELECTIONS)}

    cloud = Cloud(out)
    started = time.monotonic()
    try:
        cloud.start()
        workspace = Workspace(venv, out, cloud.seed())
        summary = []
        for name, regex in runs.items():
            began = time.monotonic()
            results = workspace.run(regex, out / (name + ".log"))
            counts = {status: list(results.values()).count(status)
                      for status in ("success", "failure", "skip")}
            row = {"selection": name, "passed": counts["success"], "failed": counts["failure"],
                   "skipped": counts["skip"], "seconds": round(time.monotonic() - began)}
            if not args.regex:
                row.update(check(name, results, args.update))
            (out / (name + ".json")).write_text(json.dumps(results, indent=1, sort_keys=True))
            summary.append(row)
    finally:
        cloud.stop()
    lines = ["Tempest %s against novalite (%d s in all; logs in %s)"
             % (TEMPEST_VERSION, time.monotonic() - started, out)]
    for row in summary:
        line = "  %(selection)-9s passed %(passed)4d  failed %(failed)4d  skipped " \
               "%(skipped)4d  %(seconds)4d s" % row
        if "missing" in row:
            line += "  expected but not passed %(missing)d, newly passing %(new)d" % row
        lines.append(line)
    text = "\n".join(lines) + "\n"
    (out / "summary.txt").write_text(text)
    print(text, end="")
    return 1 if any(row.get("missing") for row in summary) else 0


if __name__ == "__main__":
    sys.exit(main())
