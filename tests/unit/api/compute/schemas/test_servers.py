"""The server request schemas, per microversion."""

import pytest

from novalite.api.compute.schemas import servers as schemas
from novalite.api.compute.validation import validate
from novalite.api.faults import HTTPError
from novalite.api.microversion import APIVersion

IMAGE = "6e1a3c4a-0b9c-4d5e-8f7a-1b2c3d4e5f60"


def _create(version, **fields):
    networks = "auto" if version >= (2, 37) else []
    server = {"name": "vm", "imageRef": IMAGE, "flavorRef": "1", "networks": networks}
    server.update(fields)
    return schemas.create_schema(APIVersion(*version)), {"server": server}


def _refused(schema, body, *fragments):
    with pytest.raises(HTTPError) as err:
        validate(schema, body)
    for fragment in fragments:
        assert fragment in err.value.message
    return err.value.message


@pytest.mark.parametrize("version", [(2, 1), (2, 19), (2, 37), (2, 52), (2, 63), (2, 90),
                                     (2, 96)])
def test_a_plain_create_passes_at_every_version(version):
    validate(*_create(version))


def test_networks_required_from_2_37():
    schema, body = _create((2, 37))
    del body["server"]["networks"]
    _refused(schema, body, "'networks' is a required property")
    schema, body = _create((2, 36))
    del body["server"]["networks"]
    validate(schema, body)


def test_networks_auto_and_none_only_from_2_37():
    for value in ("auto", "none"):
        validate(*_create((2, 37), networks=value))
        _refused(*_create((2, 36), networks=value), "networks")
    _refused(*_create((2, 37), networks="all"), "server/networks", "all")


def test_network_list_entries():
    validate(*_create((2, 96), networks=[{"uuid": IMAGE}, {"port": IMAGE},
                                         {"uuid": IMAGE, "fixed_ip": "10.0.0.5"}]))
    _refused(*_create((2, 96), networks=[{"fixed_ip": "10.0.0.500"}]), "fixed_ip")
    _refused(*_create((2, 96), networks=[{"network": IMAGE}]), "network")


@pytest.mark.parametrize("field, value, since", [
    ("description", "about it", (2, 19)),
    ("tags", ["a", "b"], (2, 52)),
    ("trusted_image_certificates", None, (2, 63)),
    ("hostname", "my-host", (2, 90)),
])
def test_fields_appear_at_their_microversion(field, value, since):
    validate(*_create(since, **{field: value}))
    before = (since[0], since[1] - 1)
    _refused(*_create(before, **{field: value}), field)


def test_what_osc_and_ansible_send_passes():
    schema, body = _create((2, 96), min_count=1, max_count=1, security_groups=[], tags=[],
                           block_device_mapping_v2=[{
                               "uuid": IMAGE, "boot_index": 0, "source_type": "image",
                               "destination_type": "local",
                               "delete_on_termination": True}])
    body["os:scheduler_hints"] = {}
    validate(schema, body)


@pytest.mark.parametrize("fields, fragments", [
    ({"name": ""}, ("server/name",)),
    ({"name": "n" * 256}, ("server/name",)),
    ({"flavorRef": ""}, ("server/flavorRef",)),
    ({"min_count": 0}, ("server/min_count",)),
    ({"max_count": "many"}, ("server/max_count", "many")),
    ({"user_data": "not base64!"}, ("server/user_data",)),
    ({"accessIPv6": "::zz"}, ("server/accessIPv6",)),
    ({"OS-DCF:diskConfig": "auto"}, ("OS-DCF:diskConfig",)),
    ({"tags": ["x" * 61]}, ("server/tags/0",)),
    ({"tags": ["t"] * 51}, ("server/tags",)),
    ({"hostname": "bad host"}, ("server/hostname",)),
    ({"hostname": "h" * 256}, ("server/hostname",)),
    ({"trusted_image_certificates": ["cert"]}, ("trusted_image_certificates",)),
    ({"security_groups": [{"name": ""}]}, ("server/security_groups/0/name",)),
    ({"unknown": 1}, ("unknown",)),
])
def test_bad_create_fields(fields, fragments):
    _refused(*_create((2, 96), **fields), *fragments)


def test_hostname_is_one_label_until_2_94_then_a_free_form_fqdn():
    _refused(*_create((2, 93), hostname="-bad"), "server/hostname")
    _refused(*_create((2, 93), hostname="a.example.com"), "server/hostname")
    validate(*_create((2, 94), hostname="x" * 52 + "-guest-test.domaintest.com"))
    validate(*_create((2, 94), hostname="-free_form."))


def test_update_schema_by_version():
    validate(schemas.update_schema(APIVersion(2, 1)), {"server": {"name": "new"}})
    _refused(schemas.update_schema(APIVersion(2, 18)), {"server": {"description": "d"}},
             "description")
    validate(schemas.update_schema(APIVersion(2, 19)), {"server": {"description": None}})
    _refused(schemas.update_schema(APIVersion(2, 89)), {"server": {"hostname": "h"}},
             "hostname")
    validate(schemas.update_schema(APIVersion(2, 90)), {"server": {"hostname": "h"}})
    _refused(schemas.update_schema(APIVersion(2, 96)), {"server": {"imageRef": IMAGE}},
             "imageRef")


@pytest.mark.parametrize("kind", ["HARD", "Hard", "hard", "SOFT", "Soft", "soft"])
def test_reboot_types(kind):
    validate(schemas.REBOOT, {"reboot": {"type": kind}})


@pytest.mark.parametrize("body, fragments", [
    ({"reboot": {}}, ("'type' is a required property",)),
    ({"reboot": {"type": "sOfT"}}, ("reboot/type", "sOfT")),
    ({"reboot": {"type": "SOFT", "force": True}}, ("force",)),
    ({"reboot": "SOFT"}, ("reboot",)),
])
def test_bad_reboots(body, fragments):
    _refused(schemas.REBOOT, body, *fragments)
