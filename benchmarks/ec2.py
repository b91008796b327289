"""EC2 API figures next to the same work through the OpenStack API (prints; asserts
nothing).

    python -m benchmarks.ec2 [--run 100] [--describe 1000] [--repeat 15]

A `novalite serve --computes 4` process is started on a scratch state directory; the demo
user's EC2 credentials come from the <state>/ec2rc its bootstrap writes.
1. RunInstances of N instances (one call, MinCount = MaxCount = N) until DescribeInstances
   shows them all running; then one POST /servers with min_count = max_count = N until
   GET /servers/detail shows them all ACTIVE.
2. With --describe instances in the project: DescribeInstances (the raw signed HTTP
   request, and boto3's call, which also parses the XML) and GET /servers/detail: median ms.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time

import boto3
import httpx
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from benchmarks.core import CONFIG, _demo_token, _free_port, _wait_api, side_ports

HEADERS = {"OpenStack-API-Version": "compute 2.96"}


def _ec2rc(state) -> dict:
    with open(os.path.join(state, "ec2rc")) as f:
        return dict(line[len("export "):].split("=", 1) for line in f.read().splitlines()
                    if line.startswith("export "))


def _wait_running(ec2, reservation_id, count, timeout=600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reply = ec2.describe_instances(Filters=[{"Name": "reservation-id",
                                                 "Values": [reservation_id]}])
        states = [i["State"]["Name"] for r in reply["Reservations"] for i in r["Instances"]]
        if states.count("running") >= count:
            return
        if "terminated" in states:
            raise SystemExit("an instance failed")
        time.sleep(0.25)
    raise SystemExit("instances did not reach running")


def _wait_active(client, reservation_id, count, timeout=600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        servers = client.get("/servers/detail", params={"reservation_id": reservation_id}
                             ).json()["servers"]
        statuses = [s["status"] for s in servers]
        if statuses.count("ACTIVE") >= count:
            return
        if "ERROR" in statuses:
            raise SystemExit("a server went to ERROR")
        time.sleep(0.25)
    raise SystemExit("servers did not reach ACTIVE")


def _signed_describe(rc):
    """(url, body, headers) of a DescribeInstances request, signed now."""
    body = b"Action=DescribeInstances&Version=2016-11-15"
    request = AWSRequest(method="POST", url=rc["AWS_ENDPOINT_URL_EC2"] + "/", data=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded; "
                                                  "charset=utf-8"})
    SigV4Auth(Credentials(rc["AWS_ACCESS_KEY_ID"], rc["AWS_SECRET_ACCESS_KEY"]), "ec2",
              rc["AWS_DEFAULT_REGION"]).add_auth(request)
    return body, dict(request.prepare().headers)


def _median_ms(call, repeat) -> float:
    call()  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench(args) -> dict:
    figures = {}
    state = tempfile.mkdtemp(prefix="novalite-bench-ec2-")
    config = os.path.join(state, "novalite.conf")
    identity_port, ec2_port, port = _free_port(), _free_port(), _free_port()
    with open(config, "w") as f:
        f.write(CONFIG % {"image_port": _free_port(), "identity_port": identity_port,
                          "ec2_port": ec2_port} + side_ports())
    log = open(os.path.join(state, "serve.log"), "w")
    proc = subprocess.Popen([sys.executable, "-m", "novalite.cmd.main", "serve", "--computes",
                             "4", "--state-dir", state, "--port", str(port),
                             "--config-file", config], stdout=log, stderr=subprocess.STDOUT)
    base = "http://127.0.0.1:%d/v2.1" % port
    try:
        _wait_api(base, proc)
        HEADERS["X-Auth-Token"] = _demo_token(state, identity_port)
        client = httpx.Client(base_url=base, headers=HEADERS, timeout=120)
        rc = _ec2rc(state)
        ec2 = boto3.client("ec2", endpoint_url=rc["AWS_ENDPOINT_URL_EC2"],
                           region_name=rc["AWS_DEFAULT_REGION"],
                           aws_access_key_id=rc["AWS_ACCESS_KEY_ID"],
                           aws_secret_access_key=rc["AWS_SECRET_ACCESS_KEY"])
        ami = ec2.describe_images()["Images"][0]["ImageId"]
        image = client.get("/images", headers={"OpenStack-API-Version": "compute 2.1"}
                           ).json()["images"][0]["id"]

        # 1. N instances in one call, until all run.
        start = time.perf_counter()
        reply = ec2.run_instances(ImageId=ami, MinCount=args.run, MaxCount=args.run,
                                  InstanceType="m1.tiny")
        _wait_running(ec2, reply["ReservationId"], args.run)
        figures["ec2_run_seconds"] = time.perf_counter() - start
        start = time.perf_counter()
        resp = client.post("/servers", json={"server": {
            "name": "os", "imageRef": image, "flavorRef": "1", "networks": "auto",
            "min_count": args.run, "max_count": args.run, "return_reservation_id": True}})
        resp.raise_for_status()
        _wait_active(client, resp.json()["reservation_id"], args.run)
        figures["os_run_seconds"] = time.perf_counter() - start

        # 2. Fill the project up to --describe instances, then list them all.
        remaining = args.describe - 2 * args.run
        while remaining > 0:
            count = min(remaining, 200)
            fill = ec2.run_instances(ImageId=ami, MinCount=count, MaxCount=count,
                                     InstanceType="m1.tiny")
            _wait_running(ec2, fill["ReservationId"], count)
            remaining -= count
        total = sum(len(r["Instances"]) for r in ec2.describe_instances()["Reservations"])
        figures["describe_instances"] = total

        conn = http.client.HTTPConnection("127.0.0.1", ec2_port)

        def raw_describe():
            body, headers = _signed_describe(rc)
            conn.request("POST", "/", body=body, headers=headers)
            resp = conn.getresponse()
            payload = resp.read()
            if resp.status != 200:
                raise SystemExit("DescribeInstances: %d %s" % (resp.status, payload[:200]))

        figures["describe_raw_ms"] = _median_ms(raw_describe, args.repeat)
        figures["describe_boto3_ms"] = _median_ms(ec2.describe_instances, args.repeat)

        os_conn = http.client.HTTPConnection("127.0.0.1", port)

        def detail():
            os_conn.request("GET", "/v2.1/servers/detail", headers=HEADERS)
            resp = os_conn.getresponse()
            resp.read()
            if resp.status != 200:
                raise SystemExit("GET /servers/detail: %d" % resp.status)

        figures["detail_ms"] = _median_ms(detail, args.repeat)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()
    return figures


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=int, default=100)
    parser.add_argument("--describe", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    figures = bench(args)
    print("novalite EC2 benchmark (all-in-one, 4 fake hosts, %d cores)" % os.cpu_count())
    print("  RunInstances of %d to running:            %.2f s" % (args.run,
                                                                    figures["ec2_run_seconds"]))
    print("  POST /servers min_count=%d to ACTIVE:     %.2f s" % (args.run,
                                                                    figures["os_run_seconds"]))
    print("  DescribeInstances, %d instances: median %.1f ms (signed HTTP request), "
          "%.1f ms (boto3, XML parsed)" % (figures["describe_instances"],
                                            figures["describe_raw_ms"],
                                            figures["describe_boto3_ms"]))
    print("  GET /servers/detail, same servers:      median %.1f ms" % figures["detail_ms"])


if __name__ == "__main__":
    main()
