"""Identity figures on this machine (prints; asserts nothing about time).

    python -m benchmarks.identity [--issues 300] [--validations 20000] [--requests 3000]

An all-in-one cloud (one fake compute host) on SQLite in a scratch directory, in-process:
1. Token issue: the password method at the default scrypt cost and at the cheapest one (a
   password check is what costs), and the token method (rescoping: no password hash).
2. validate_token: cached (what the compute API pays per request), and full validations
   (token cache off: decrypt + revocation, user, project and role reads).
3. Over HTTP, one keep-alive http.client connection: POST and GET /v3/auth/tokens.
4. What token validation adds to a compute request: GET /v2.1/flavors/1 with noauth2 and
   with identity tokens, alternating, median of each (HTTP noise is larger than the cost).
"""

import argparse
import http.client
import json
import statistics
import tempfile
import time


def _median_us(fn, count: int) -> float:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def _rate(fn, count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        fn()
    return count / (time.perf_counter() - start)


def bench_issue(aio, args, figures) -> str:
    from novalite.identity import passwords
    from novalite.identity.api import PasswordCredentials, Scope

    identity = aio.identity_api
    scope = Scope(project_name="admin", domain_id="default")
    creds = PasswordCredentials("bench-admin-pw", user_name="admin", domain_id="default")
    token, _ = identity.authenticate(["password"], password=creds, scope=scope)
    count = max(args.issues // 10, 5)
    figures["issue_password_per_s"] = _rate(
        lambda: identity.authenticate(["password"], password=creds, scope=scope), count)
    figures["password_hash_rounds"] = identity.password_hash_rounds
    cheap = passwords.hash_password("bench-admin-pw", 10)
    figures["scrypt_10_verify_ms"] = _median_us(
        lambda: passwords.verify_password("bench-admin-pw", cheap), 50) / 1000
    figures["issue_token_method_per_s"] = _rate(
        lambda: identity.authenticate(["token"], token=token, scope=scope), args.issues)
    return token


def bench_validate(aio, token, args, figures) -> None:
    identity = aio.identity_api
    identity.validate_token(token)
    figures["validate_cached_median_us"] = _median_us(
        lambda: identity.validate_token(token), args.validations)
    figures["validate_cached_per_s"] = _rate(lambda: identity.validate_token(token),
                                             args.validations)
    from novalite.identity.api import IdentityAPI

    # Another process's view, without a cache: every call a full validation.
    aio.conf.set_override("token_cache_size", 0, group="identity")
    uncached = IdentityAPI(aio.conf, aio.database)
    aio.conf.clear_override("token_cache_size", group="identity")
    count = max(args.validations // 20, 200)
    figures["validate_full_median_us"] = _median_us(
        lambda: uncached.validate_token(token), count)
    figures["validate_full_per_s"] = _rate(lambda: uncached.validate_token(token), count)
    uncached.dispose()


def _request(conn, method, path, headers, body=None, expect=200):
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    if resp.status != expect:
        raise SystemExit("%s %s: %d %s" % (method, path, resp.status, data[:200]))
    return resp


def bench_http(aio, token, args, figures) -> None:
    host, port = aio.conf.identity.listen, aio.conf.identity.port
    conn = http.client.HTTPConnection(host, port)
    body = json.dumps({"auth": {
        "identity": {"methods": ["token"], "token": {"id": token}},
        "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}})
    headers = {"Content-Type": "application/json"}
    count = args.requests // 3
    figures["http_issue_token_method_per_s"] = _rate(
        lambda: _request(conn, "POST", "/v3/auth/tokens", headers, body, 201), count)
    check = {"X-Auth-Token": token, "X-Subject-Token": token}
    figures["http_validate_median_ms"] = _median_us(
        lambda: _request(conn, "GET", "/v3/auth/tokens?nocatalog", check), count) / 1000


def bench_compute_overhead(aio, token, args, figures) -> None:
    from novalite.api import auth

    app = aio.app
    embedded = auth.EmbeddedTokens(aio.identity_api)
    conn = http.client.HTTPConnection(aio.conf.api.listen, aio.conf.api.port)
    path = "/v2.1/flavors/1"
    ways = {"noauth2": (auth.noauth2, {"X-Auth-Token": "admin:admin"}),
            "embedded": (embedded, {"X-Auth-Token": token})}
    times = {name: [] for name in ways}
    for _ in range(200):  # warm up both
        for strategy, headers in ways.values():
            app.authenticate = strategy
            _request(conn, "GET", path, headers)
    for _ in range(args.requests):
        for name, (strategy, headers) in ways.items():
            app.authenticate = strategy
            start = time.perf_counter()
            _request(conn, "GET", path, headers)
            times[name].append(time.perf_counter() - start)
    for name, values in times.items():
        figures["compute_get_%s_median_ms" % name] = statistics.median(values) * 1000
    figures["compute_added_by_tokens_median_ms"] = (
        figures["compute_get_embedded_median_ms"] - figures["compute_get_noauth2_median_ms"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=300)
    parser.add_argument("--validations", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args(argv)

    from novalite.cmd.serve import AllInOne
    from tests.cloud import make_conf

    conf = make_conf(tempfile.mkdtemp(prefix="novalite-bench-"))
    conf.clear_override("password_hash_rounds", group="identity")  # the default cost
    aio = AllInOne(conf, computes=1, admin_password="bench-admin-pw")
    aio.start_in_thread()
    figures = {}
    try:
        token = bench_issue(aio, args, figures)
        bench_validate(aio, token, args, figures)
        bench_http(aio, token, args, figures)
        bench_compute_overhead(aio, token, args, figures)
    finally:
        aio.stop()
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print("%-*s  %s" % (width, key, "%.3f" % value if isinstance(value, float) else value))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
