from novalite import conf as nl_conf
from novalite.scheduler.weighers.ram import RAMWeigher
from tests.unit.scheduler.fakes import host, spec


def test_weight_is_the_free_ram_and_the_multiplier_comes_from_config():
    conf = nl_conf.new_conf()
    conf.set_override("ram_weight_multiplier", -2.0, group="scheduler")
    weigher = RAMWeigher(conf)
    assert weigher.multiplier == -2.0
    assert weigher.weigh(host(memory_mb=2048, memory_mb_used=512), spec()) == 1536
    assert weigher.weigh(host(memory_mb=2048, memory_mb_used=512,
                              ram_allocation_ratio=2.0), spec()) == 3584
