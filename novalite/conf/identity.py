from oslo_config import cfg

group = cfg.OptGroup("identity", help="The embedded identity service (a Keystone v3 subset).")

opts = [
    cfg.HostAddressOpt("listen", default="127.0.0.1", help="Address the identity API binds."),
    cfg.PortOpt("port", default=5000, help="Port of the identity API."),
    cfg.StrOpt("public_url",
               help="Base URL clients use to reach the identity API, without /v3, e.g. "
                    "http://controller:5000. Published in the catalog and in clouds.yaml. "
                    "Default: http://<listen>:<port> (for a wildcard listen address, the "
                    "host the client used)."),
    cfg.StrOpt("region_name", default="RegionOne",
               help="Region of every endpoint in the catalog."),
    cfg.IntOpt("token_expiration", default=12 * 3600, min=300,
               help="Seconds a token is valid. Clients treat a token that expires within "
                    "30 s as expired, so keep this long."),
    cfg.StrOpt("key_repository",
               help="Directory of the Fernet keys that encrypt tokens; every process that "
                    "issues or validates tokens needs the same keys. "
                    "Default: <state_path>/fernet-keys."),
    cfg.IntOpt("token_cache_size", default=10000, min=0,
               help="Validated tokens each process keeps in memory (0: validate every "
                    "request against the database)."),
    cfg.FloatOpt("cache_recheck_interval", default=0.0, min=0.0,
                 help="Seconds a process trusts its last read of the identity epoch (the "
                      "counter every revocation, user or role change increments). 0: read "
                      "it on every validation, so a change made by any process applies to "
                      "the very next request. More: fewer reads, but changes made by other "
                      "processes may take that long to apply."),
    cfg.IntOpt("password_hash_rounds", default=15, min=10, max=20,
               help="scrypt cost of new password hashes, as log2(N) (15: 32 MiB and about "
                    "0.1 s per hash). Existing hashes keep their own cost."),
    cfg.IntOpt("max_request_threads", default=8, min=1,
               help="Requests the identity API handles at once."),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
