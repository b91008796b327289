from oslo_config import cfg

group = cfg.OptGroup("image_cache", help="Each compute host's cache of base images.")

opts = [
    cfg.StrOpt("image_api_url",
               help="Base URL compute hosts download images from, e.g. "
                    "http://controller:9292. Default: http://<[image] listen>:<[image] port>."),
    cfg.IntOpt("manager_interval", default=2400, min=1,
               help="Seconds between runs of the task that removes unused base images."),
    cfg.IntOpt("remove_unused_base_images_age", default=86400, min=0,
               help="Seconds a base image may stay unused by every instance on its host "
                    "before the cache removes it."),
    cfg.IntOpt("precache_concurrency", default=1, min=1,
               help="Hosts that download one pre-cache or pre-distribution request's "
                    "image at the same time (as Nova's option of this name)."),
    cfg.IntOpt("precache_ttl", default=86400, min=0,
               help="Seconds a pre-distributed image is protected from the unused-image "
                    "cleanup on each host."),
    cfg.IntOpt("download_rate_limit", default=0, min=0,
               help="Bytes per second a compute host downloads images at most (0: no "
                    "limit); stands in for a real network link on one machine."),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
