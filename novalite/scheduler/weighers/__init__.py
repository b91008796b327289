"""Host weighers: each returns a raw weight; weights are normalised to 0..1 across the
candidates and multiplied by the weigher's multiplier, then summed (as Nova does)."""

from novalite.scheduler.weighers.image_cache import ImageCacheWeigher
from novalite.scheduler.weighers.ram import RAMWeigher

ALL = {cls.__name__: cls for cls in (RAMWeigher, ImageCacheWeigher)}


def load(conf, names, database=None) -> list:
    for name in names:
        if name not in ALL:
            raise ValueError("Unknown scheduler weigher %r" % name)
    return [ALL[name](conf, database) if name == "ImageCacheWeigher" else ALL[name](conf)
            for name in names]


def normalize(values: list[float]) -> list[float]:
    low, high = min(values), max(values)
    if high == low:
        return [0.0 for _ in values]
    return [(v - low) / (high - low) for v in values]


def weigh(weighers, host_states, spec) -> list:
    """The host states, best first."""
    totals = [0.0] * len(host_states)
    for weigher in weighers:
        if hasattr(weigher, "prepare"):
            weigher.prepare(spec)
        raw = [weigher.weigh(h, spec) for h in host_states]
        for i, value in enumerate(normalize(raw)):
            totals[i] += weigher.multiplier * value
    ranked = sorted(zip(totals, range(len(host_states)), strict=True), key=lambda t: (-t[0], t[1]))
    return [host_states[i] for _, i in ranked]
