"""EC2 ids, query parameters and instance states."""

import pytest

from novalite.api.ec2 import errors, ids, states
from novalite.api.ec2.params import Params


class _Mapper:
    def __init__(self):
        self.rows = {}

    def ids_for(self, kind, uuids):
        return {u: self.rows.setdefault((kind, u), len(self.rows) + 1) for u in uuids}

    def uuids_for(self, kind, numbers):
        by_number = {n: u for (k, u), n in self.rows.items() if k == kind}
        return {n: by_number[n] for n in numbers if n in by_number}


def test_ids_are_formatted_and_parsed():
    assert ids.format_id("i", 1) == "i-00000001"
    assert ids.format_id("ami", 0x1234abcd) == "ami-1234abcd"
    assert ids.parse_id("i-0000000a") == ("i", 10)
    assert ids.parse_id("aki-ffffffff") == ("aki", 0xffffffff)
    for bad in ("i-1", "x-00000001", "i-0000000G", "", None, "ami-00000001 "):
        assert ids.parse_id(bad) is None


@pytest.mark.parametrize("container,kind", [("aki", "aki"), ("ari", "ari"), ("ami", "ami"),
                                            ("bare", "ami"), (None, "ami")])
def test_image_kind_follows_the_container_format(container, kind):
    assert ids.image_kind(container) == kind


def test_lookups_go_both_ways_and_ignore_malformed_ids():
    lookup = ids.Ids(_Mapper())
    mapped = lookup.instance_ids(["u1", "u2"])
    assert mapped == {"u1": "i-00000001", "u2": "i-00000002"}
    assert lookup.instance_uuids(["i-00000002", "i-00000009", "ami-00000001", "junk"]) == \
        {"i-00000002": "u2"}
    number = lookup.image_numbers(["img"])["img"]
    assert lookup.image_uuid(ids.format_id("aki", number)) == ("aki", "img")
    assert lookup.image_uuid("i-%08x" % number) is None


def test_params_lists_members_and_filters():
    params = Params([("InstanceId.2", "b"), ("InstanceId.1", "a"), ("InstanceId.10", "c"),
                     ("Filter.1.Name", "image-id"), ("Filter.1.Value.2", "y"),
                     ("Filter.1.Value.1", "x"), ("Filter.2.Name", "image-id"),
                     ("Filter.2.Value.1", "z"),
                     ("BlockDeviceMapping.1.DeviceName", "/dev/sdb"),
                     ("BlockDeviceMapping.1.Ebs.VolumeSize", "1"), ("MinCount", "2")])
    assert params.strings("InstanceId") == ["a", "b", "c"]
    assert params.filters({"image-id"}) == {"image-id": ["x", "y", "z"]}
    assert params.members("BlockDeviceMapping") == [
        {"DeviceName": "/dev/sdb", "Ebs.VolumeSize": "1"}]
    assert params.integer("MinCount", minimum=1) == 2
    assert params.integer("MaxCount", default=7) == 7
    with pytest.raises(errors.InvalidParameterValue):
        params.filters({"other"})


@pytest.mark.parametrize("items,call,error", [
    ([("MinCount", "x")], lambda p: p.integer("MinCount"), errors.InvalidParameterValue),
    ([("MinCount", "0")], lambda p: p.integer("MinCount", minimum=1),
     errors.InvalidParameterValue),
    ([], lambda p: p.require("ImageId"), errors.MissingParameter),
    ([("ImageId", "")], lambda p: p.require("ImageId"), errors.MissingParameter),
    ([("Filter.1.Value.1", "x")], lambda p: p.filters({"a"}), errors.MissingParameter),
    ([("InstanceId.100001", "x")], lambda p: p, errors.InvalidParameterValue),
])
def test_bad_params_are_ec2_errors(items, call, error):
    with pytest.raises(error):
        call(Params(items))


@pytest.mark.parametrize("vm_state,task_state,deleted,launched,expected", [
    ("building", "scheduling", False, False, (0, "pending")),
    ("building", "spawning", False, False, (0, "pending")),
    ("active", None, False, True, (16, "running")),
    ("active", "rebooting", False, True, (16, "running")),
    ("active", "powering-off", False, True, (64, "stopping")),
    ("stopped", None, False, True, (80, "stopped")),
    ("stopped", "powering-on", False, True, (0, "pending")),
    ("active", "deleting", False, True, (32, "shutting-down")),
    ("deleted", None, True, True, (48, "terminated")),
    ("error", None, False, False, (48, "terminated")),
    ("error", None, False, True, (80, "stopped")),
    ("paused", None, False, True, (80, "stopped")),
    ("soft-delete", None, False, True, (48, "terminated")),
])
def test_states_map_to_ec2_names_and_codes(vm_state, task_state, deleted, launched,
                                           expected):
    assert states.ec2_state(vm_state, task_state, deleted, launched) == expected
    assert states.NAMES[expected[1]] == expected[0]


def test_every_domain_error_maps_to_an_ec2_code():
    from novalite import exception

    assert errors.from_domain(exception.InstanceNotFound(instance_id="x")).code == \
        "InvalidInstanceID.NotFound"
    assert errors.from_domain(exception.TooManyInstances()).code == "InstanceLimitExceeded"
    assert errors.from_domain(exception.PolicyNotAuthorized()).code == \
        "UnauthorizedOperation"
    assert errors.from_domain(exception.InstanceInvalidState()).status == 400
    assert errors.from_domain(exception.NovaliteException()).status == 500
    codes = [cls.code for _, cls in errors.DOMAIN_ERRORS]
    assert all(isinstance(c, str) and c for c in codes)
