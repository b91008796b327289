from oslo_config import cfg

group = cfg.OptGroup("ec2", help="The EC2-compatible query API (for boto3 and the aws CLI).")

opts = [
    cfg.HostAddressOpt("listen", default="127.0.0.1", help="Address the EC2 API binds."),
    cfg.PortOpt("port", default=8788, help="Port of the EC2 API."),
    cfg.StrOpt("public_url", help="URL clients use to reach the EC2 API, e.g. "
                                  "http://controller:8788. Published in the catalog "
                                  "(service type ec2) and in <state_path>/ec2rc. Default: "
                                  "http://<listen>:<port>."),
    cfg.StrOpt("region_name", default="RegionOne",
               help="The region DescribeRegions names. Requests are verified against the "
                    "region in their own signature, so clients configured with any region "
                    "name work."),
    cfg.IntOpt("terminated_visible_seconds", default=3600, min=0,
               help="Seconds a terminated instance stays visible in DescribeInstances "
                    "(state 'terminated'), as on EC2, so that waiters see it end."),
    cfg.IntOpt("max_clock_skew", default=900, min=1,
               help="Seconds a request's signed time (X-Amz-Date) may differ from the "
                    "server's clock, as AWS allows (15 minutes)."),
    cfg.IntOpt("max_request_threads", default=16, min=1,
               help="Requests handled at once by the EC2 API."),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
