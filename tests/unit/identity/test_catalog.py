"""The catalog: built from configuration; identity, compute, image, ec2 and network."""

from novalite.identity.catalog import Catalog


def _urls(catalog):
    return {s["type"]: {e["interface"]: e["url"] for e in s["endpoints"]} for s in catalog}


def test_defaults_are_the_local_services(conf):
    catalog = Catalog(conf).for_host()
    assert _urls(catalog) == {
        service: {i: url for i in ("public", "internal", "admin")} for service, url in (
            ("identity", "http://127.0.0.1:5000/v3"),
            ("compute", "http://127.0.0.1:8774/v2.1"),
            ("image", "http://127.0.0.1:9292"), ("ec2", "http://127.0.0.1:8788"),
            ("network", "http://127.0.0.1:9696"))}
    assert {s["name"] for s in catalog} == {"keystone", "nova", "glance", "ec2", "neutron"}


def test_the_network_api_can_be_left_out(conf):
    conf.set_override("in_catalog", False, group="network_api")
    assert "network" not in _urls(Catalog(conf).for_host())


def test_every_endpoint_has_region_and_region_id_and_an_id(conf):
    for service in Catalog(conf).for_host():
        assert service["id"]
        for endpoint in service["endpoints"]:
            assert endpoint["region"] == endpoint["region_id"] == "RegionOne"
            assert endpoint["id"]


def test_public_urls_win(conf):
    conf.set_override("public_url", "https://keystone.example:5000/", group="identity")
    conf.set_override("public_url", "https://nova.example", group="api")
    conf.set_override("public_url", "https://glance.example:9292", group="image")
    conf.set_override("region_name", "North", group="identity")
    catalog = Catalog(conf).for_host("ignored")
    urls = _urls(catalog)
    assert urls["identity"]["public"] == "https://keystone.example:5000/v3"
    assert urls["compute"]["admin"] == "https://nova.example/v2.1"
    assert urls["image"]["internal"] == "https://glance.example:9292"
    assert {e["region_id"] for s in catalog for e in s["endpoints"]} == {"North"}


def test_a_wildcard_listener_is_published_under_the_host_the_client_used(conf):
    conf.set_override("listen", "0.0.0.0", group="api")
    conf.set_override("port", 18774, group="api")
    urls = _urls(Catalog(conf).for_host("cloud.example"))
    assert urls["compute"]["public"] == "http://cloud.example:18774/v2.1"
    assert urls["identity"]["public"] == "http://127.0.0.1:5000/v3"  # not a wildcard


def test_ids_are_the_same_in_every_process(conf):
    assert Catalog(conf).for_host() == Catalog(conf).for_host()
