from novalite.db import cached_images


class ImageCacheWeigher:
    """Hosts already holding the requested image in their cache are better: a boot there
    skips the download (pre-distribution puts images where a wave will land)."""

    def __init__(self, conf, database):
        self.multiplier = conf.scheduler.image_cache_weight_multiplier
        self.database = database
        self._hosts: set[str] = set()

    def prepare(self, spec) -> None:
        """Once per scheduling request: one query for the hosts holding the image."""
        self._hosts = cached_images.hosts_with(self.database, spec.image_ref) \
            if spec.image_ref else set()

    def weigh(self, host_state, spec) -> float:
        return 1.0 if host_state.host in self._hosts else 0.0
