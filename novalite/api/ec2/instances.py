"""RunInstances, DescribeInstances, Terminate/Stop/Start/RebootInstances and
GetConsoleOutput, over the compute API (the same calls the OpenStack API makes)."""

import base64
import binascii
import datetime
import hashlib
import json

from novalite import exception
from novalite.api.ec2 import errors, ids, states
from novalite.objects.base import utcnow

DEFAULT_INSTANCE_TYPE = "m1.small"  # EC2's default type, also a default flavor here
_FILTERS = ("instance-id", "instance-state-name", "instance-state-code", "image-id",
            "availability-zone", "reservation-id", "instance-type", "key-name",
            "private-dns-name", "private-ip-address", "tag:Name")


# -- images, flavors and ids ------------------------------------------------------------


def _not_found(ec2_id: str) -> errors.EC2Error:
    return errors.InvalidAMIIDNotFound("The image id '[%s]' does not exist" % ec2_id[:128])


def resolve_image(req, ec2_id: str, kind: str):
    """The image an ami-/aki-/ari- id (or, failing that, a name) names, visible to the
    caller; its type must be `kind` (from its container format), as Nova's EC2 API checked.
    """
    images_api = req.compute_api.images
    image = None
    found = req.ids.image_uuid(ec2_id)
    if found is not None:
        prefix, uuid_ = found
        try:
            image = images_api.get(req.context, uuid_)
        except exception.ImageNotFound:
            image = None
        if image is not None and ids.image_kind(image.container_format) != prefix:
            raise _not_found(ec2_id)
    if image is None:  # an image name, as Nova's EC2 API accepted
        named = images_api.list(req.context, {"name": ec2_id}, limit=1)
        image = named[0] if named else None
    if image is None or ids.image_kind(image.container_format) != kind:
        raise _not_found(ec2_id)
    return image


def _flavor(req, name: str):
    for flavor in req.compute_api.flavors.list(req.context):
        if flavor.name == name and not flavor.disabled:
            return flavor
    raise errors.InvalidParameterValue("Invalid value '%s' for InstanceType." % name[:64])


def _instance_targets(req, ec2_ids: list[str], read_deleted: bool = True) -> list:
    """[(ec2 id, instance)] of the caller's instances; any other id is NotFound (another
    project's instance is not found, never forbidden)."""
    if not ec2_ids:
        raise errors.MissingParameter("The request must contain the parameter InstanceId.")
    mapping = req.ids.instance_uuids(ec2_ids)
    targets = []
    for ec2_id in ec2_ids:
        parsed = ids.parse_id(ec2_id)
        if parsed is None or parsed[0] != "i":
            raise errors.InvalidInstanceIDMalformed("Invalid id: \"%s\"" % ec2_id[:64])
        try:
            if ec2_id not in mapping:
                raise exception.InstanceNotFound(instance_id=ec2_id)
            instance = req.compute_api.get(req.context, mapping[ec2_id],
                                           read_deleted=read_deleted)
        except exception.InstanceNotFound:
            raise errors.InvalidInstanceIDNotFound(
                "The instance ID '%s' does not exist" % ec2_id) from None
        targets.append((ec2_id, instance))
    return targets


# -- the instance view ------------------------------------------------------------------


def _state(instance) -> tuple[int, str]:
    return states.ec2_state(instance.vm_state, instance.task_state, instance.deleted,
                            instance.launched_at is not None)


def _private_ip(instance) -> str | None:
    for vif in instance.network_info or ():
        for ip in vif.get("ips", ()):
            if ip.get("version") == 4:
                return ip.get("address")
    return None


class InstanceView:
    """Renders instances with every EC2 id looked up in a few batched queries."""

    def __init__(self, req, instances):
        self.instance_ids = req.ids.instance_ids([i.uuid for i in instances])
        kinds = {}
        for inst in instances:
            if inst.kernel_id:
                kinds[inst.kernel_id] = "aki"
            if inst.ramdisk_id:
                kinds[inst.ramdisk_id] = "ari"
        machine = {i.image_ref for i in instances if i.image_ref} - set(kinds)
        if machine:
            for image in req.compute_api.images.list(
                    req.context.elevated(), {"id": sorted(machine), "os_hidden": [True, False]}):
                kinds[image.id] = ids.image_kind(image.container_format)
        numbers = req.ids.image_numbers(set(kinds) | machine)
        self.image_ids = {u: ids.format_id(kinds.get(u, "ami"), n) for u, n in numbers.items()}
        self.client_tokens: dict[str, str] = {}  # {reservation id: its RunInstances' token}

    def instance(self, inst) -> dict:
        code, name = _state(inst)
        failed = inst.vm_state == "error"
        reason = inst.fault.message if failed and inst.fault else None
        return {
            "instanceId": self.instance_ids[inst.uuid],
            "imageId": self.image_ids.get(inst.image_ref),
            "instanceState": {"code": code, "name": name},
            "privateDnsName": inst.hostname or "",
            "dnsName": "",
            "reason": reason or "",
            "keyName": inst.key_name,
            "amiLaunchIndex": inst.launch_index,
            "productCodes": [],
            "instanceType": inst.flavor.name,
            "launchTime": inst.launched_at or inst.created_at,
            "placement": {"availabilityZone": inst.availability_zone or "",
                          "groupName": "", "tenancy": "default"},
            "kernelId": self.image_ids.get(inst.kernel_id),
            "ramdiskId": self.image_ids.get(inst.ramdisk_id),
            "monitoring": {"state": "disabled"},
            "privateIpAddress": _private_ip(inst),
            "groupSet": [],
            "stateReason": ({"code": "Server.InternalError",
                             "message": "Server.InternalError: %s" % (reason or "failed")}
                            if failed else
                            {"code": "Client.UserInitiatedShutdown",
                             "message": "Client.UserInitiatedShutdown: User initiated "
                                        "shutdown"} if inst.deleted else None),
            "architecture": "x86_64",
            "rootDeviceType": "instance-store",
            "rootDeviceName": inst.root_device_name or "/dev/vda",
            "blockDeviceMapping": [],
            "virtualizationType": "hvm",
            "clientToken": self.client_tokens.get(inst.reservation_id, ""),
            "tagSet": [{"key": "Name", "value": inst.display_name}] if inst.display_name
            else [],
            "hypervisor": "xen",
        }

    def reservations(self, instances, owner_id: str) -> list[dict]:
        """Instances grouped by reservation (one RunInstances call or one server create),
        in launch order."""
        grouped: dict[str, list] = {}
        for inst in sorted(instances, key=lambda i: (i.created_at or datetime.datetime.min,
                                                     i.reservation_id, i.launch_index)):
            grouped.setdefault(inst.reservation_id or "r-00000000", []).append(inst)
        return [{"reservationId": rid, "ownerId": owner_id, "groupSet": [],
                 "instancesSet": [self.instance(i) for i in members]}
                for rid, members in grouped.items()]


# -- RunInstances -----------------------------------------------------------------------


def _counts(params) -> tuple[int, int]:
    min_count = params.integer("MinCount", minimum=1)
    max_count = params.integer("MaxCount", minimum=1)
    if min_count is None:
        raise errors.MissingParameter("The request must contain the parameter MinCount.")
    if max_count is None:
        raise errors.MissingParameter("The request must contain the parameter MaxCount.")
    if max_count < min_count:
        raise errors.InvalidParameterValue(
            "Value (%d) for parameter MaxCount is invalid. MaxCount must be greater than or "
            "equal to MinCount (%d)." % (max_count, min_count))
    return min_count, max_count


def _user_data(value: str | None) -> str | None:
    if not value:
        return None
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise errors.InvalidParameterValue("Invalid BASE64 encoding of user data.") from None
    return value  # kept base64-encoded, as the OpenStack API takes it


def _name_tag(params) -> str | None:
    for spec in params.members("TagSpecification"):
        if spec.get("ResourceType", "instance") != "instance":
            continue
        for key in sorted(k for k in spec if k.startswith("Tag.") and k.endswith(".Key")):
            if spec[key] == "Name":
                return spec.get(key[:-4] + ".Value", "")[:255] or None
    return None


def _check_unsupported(params) -> None:
    for group in params.strings("SecurityGroup") + params.strings("SecurityGroupId"):
        if group != "default":  # no security groups here: only the default one exists
            raise errors.InvalidGroupNotFound(
                "The security group '%s' does not exist" % group[:64])
    for mapping in params.members("BlockDeviceMapping"):
        if any(k.startswith("Ebs.") for k in mapping):
            raise errors.UnsupportedOperation(
                "EBS block device mappings are not supported (no block storage service).")


def run_instances(req):
    """RunInstances; with a ClientToken (boto3 sends one with every call, the same in its
    retries), idempotent as EC2: the token's first launch is the only one, and repeating
    the request returns that reservation as it is now."""
    params, ctxt = req.params, req.context
    image_ec2_id = params.require("ImageId")
    min_count, max_count = _counts(params)
    token = _client_token(params)
    if token is None:
        return _launch(req, image_ec2_id, min_count, max_count)
    ctxt.can("os_compute_api:servers:create")  # a replay, too, is a launch request
    tokens, params_hash = req.app.client_tokens, _params_hash(params)
    claim = tokens.claim(ctxt.project_id, token, params_hash)
    if not claim.mine:
        return _replay(req, claim, token, params_hash)
    try:
        reply = _launch(req, image_ec2_id, min_count, max_count, token)
    except Exception:
        tokens.release(claim)  # nothing launched: a retry with this token may launch
        raise
    tokens.complete(claim, reply["reservationId"])
    return reply


def _launch(req, image_ec2_id: str, min_count: int, max_count: int,
            token: str | None = None) -> dict:
    params, ctxt = req.params, req.context
    image = resolve_image(req, image_ec2_id, "ami")
    if image.status != "active":
        raise errors.InvalidAMIIDUnavailable(
            "Image %s is not available: it is %s, not active." % (image_ec2_id[:64],
                                                                    image.status))
    flavor = _flavor(req, params.get("InstanceType") or DEFAULT_INSTANCE_TYPE)
    kernel = resolve_image(req, params.get("KernelId"), "aki") \
        if params.get("KernelId") else None
    ramdisk = resolve_image(req, params.get("RamdiskId"), "ari") \
        if params.get("RamdiskId") else None
    key_name = params.get("KeyName") or None
    if key_name is not None:
        try:
            req.compute_api.keypairs.by_name(ctxt.user_id, key_name)
        except exception.KeypairNotFound:
            raise errors.InvalidKeyPairNotFound(
                "The key pair '%s' does not exist" % key_name[:255]) from None
    _check_unsupported(params)
    zone = params.get("Placement.AvailabilityZone") or None
    if zone is not None and zone not in req.compute_api.hosts.compute_availability_zones():
        raise errors.InvalidParameterValue(
            "Invalid availability zone: [%s]" % zone[:64])
    instances, reservation_id = req.compute_api.create(
        ctxt, name=_name_tag(params) or "ec2-instance", flavor_id=flavor.flavorid,
        image_ref=image.id, min_count=min_count, max_count=max_count,
        availability_zone=zone, key_name=key_name,
        user_data=_user_data(params.get("UserData")),
        kernel_id=kernel.id if kernel else None, ramdisk_id=ramdisk.id if ramdisk else None)
    return _reservation(req, reservation_id, instances, token)


def _reservation(req, reservation_id: str, instances, token: str | None) -> dict:
    view = InstanceView(req, instances)
    if token is not None:
        view.client_tokens[reservation_id] = token
    return {"reservationId": reservation_id, "ownerId": req.context.project_id,
            "groupSet": [], "instancesSet": [view.instance(i) for i in instances]}


# -- ClientToken ------------------------------------------------------------------------

_MAX_CLIENT_TOKEN = 64
# Not parameters of the launch: the action, the protocol, and the signature's (query-string
# signing puts those among the parameters).
_NOT_LAUNCH_PARAMS = {"Action", "Version", "ClientToken", "AWSAccessKeyId", "Signature",
                      "SignatureMethod", "SignatureVersion", "Timestamp", "Expires",
                      "SecurityToken"}


def _client_token(params) -> str | None:
    token = params.get("ClientToken")
    if not token:
        return None
    if len(token) > _MAX_CLIENT_TOKEN or not token.isascii():
        raise errors.InvalidParameterValue(
            "Value (%s) for parameter clientToken is invalid. It must be at most %d ASCII "
            "characters." % (token[:_MAX_CLIENT_TOKEN + 16], _MAX_CLIENT_TOKEN))
    return token


def _params_hash(params) -> str:
    """sha256 of the launch's parameters, whatever their order on the wire."""
    launch = sorted((k, v) for k, v in params.values.items()
                    if k not in _NOT_LAUNCH_PARAMS and not k.lower().startswith("x-amz-"))
    return hashlib.sha256(json.dumps(launch).encode()).hexdigest()


def _replay(req, claim, token: str, params_hash: str) -> dict:
    """The reservation the token launched, its instances in their current state (the
    terminated ones too, however long ago)."""
    if claim.params_hash != params_hash:
        raise errors.IdempotentParameterMismatch(
            "The client token '%s' was already used in a RunInstances request with "
            "different parameters." % token)
    if claim.reservation_id is None:
        raise errors.InternalError(  # a 5xx: the client retries, with this token
            "The RunInstances request with client token '%s' is still in progress." % token)
    rid = claim.reservation_id
    found = {i.uuid: i for i in req.compute_api.list(req.context, {"reservation_id": rid})}
    for inst in req.compute_api.list(req.context, {"reservation_id": rid, "deleted": True},
                                     with_faults=False):
        found[inst.uuid] = inst  # deleted meanwhile, if listed live as well
    instances = sorted(found.values(), key=lambda i: i.launch_index)
    return _reservation(req, rid, instances, token)


# -- DescribeInstances ------------------------------------------------------------------


def visible_instances(req, filters: dict) -> list:
    """The caller's instances, and those terminated within [ec2]
    terminated_visible_seconds (EC2 keeps showing them; boto3's instance_terminated waiter
    fails on NotFound). Two queries, whatever the count."""
    found = req.compute_api.list(req.context, filters, with_faults=True)
    seconds = req.app.conf.ec2.terminated_visible_seconds
    if seconds:
        since = utcnow() - datetime.timedelta(seconds=seconds)
        found += req.compute_api.list(
            req.context, {**filters, "changes-since": since, "vm_state": ["deleted"]},
            with_faults=False)
    return found


def _filter_value(view, inst, name: str):
    if name == "instance-state-name":
        return _state(inst)[1]
    if name == "instance-state-code":
        return str(_state(inst)[0])
    if name == "instance-id":
        return view.instance_ids.get(inst.uuid)
    if name == "image-id":
        return view.image_ids.get(inst.image_ref)
    if name == "availability-zone":
        return inst.availability_zone or ""
    if name == "reservation-id":
        return inst.reservation_id
    if name == "instance-type":
        return inst.flavor.name
    if name == "key-name":
        return inst.key_name
    if name == "private-dns-name":
        return inst.hostname
    if name == "private-ip-address":
        return _private_ip(inst)
    if name == "tag:Name":
        return inst.display_name
    return None


def describe_instances(req):
    params = req.params
    filters = params.filters(_FILTERS)
    wanted = params.strings("InstanceId")
    if wanted and (params.get("MaxResults") or params.get("NextToken")):
        raise errors.InvalidParameterCombination(
            "The parameter instancesSet cannot be used with the parameter maxResults")
    db_filters = {}
    if wanted:
        targets = dict.fromkeys(wanted)
        mapping = req.ids.instance_uuids(wanted)
        for ec2_id in targets:
            parsed = ids.parse_id(ec2_id)
            if parsed is None or parsed[0] != "i":
                raise errors.InvalidInstanceIDMalformed("Invalid id: \"%s\"" % ec2_id[:64])
        missing = [e for e in targets if e not in mapping]
        db_filters["uuid"] = list(mapping.values())
    # Single-valued filters the database can apply (the rest are applied below).
    for name, key in (("reservation-id", "reservation_id"),
                      ("availability-zone", "availability_zone")):
        if len(filters.get(name, ())) == 1 and filters[name][0]:
            db_filters[key] = filters[name][0]
    instances = visible_instances(req, db_filters) if not wanted or mapping else []
    if wanted:
        seen = {i.uuid for i in instances}
        missing += [e for e in targets if e in mapping and mapping[e] not in seen]
        if missing:
            raise errors.InvalidInstanceIDNotFound(
                "The instance IDs '%s' do not exist" % ", ".join(missing) if len(missing) > 1
                else "The instance ID '%s' does not exist" % missing[0])
    view = InstanceView(req, instances)
    for name, values in filters.items():
        instances = [i for i in instances if _filter_value(view, i, name) in values]
    view.client_tokens = req.app.client_tokens.tokens_for(
        req.context.project_id, {i.reservation_id for i in instances})
    reservations = view.reservations(instances, req.context.project_id)
    reservations, next_token = _page(params, reservations)
    return {"reservationSet": reservations, "nextToken": next_token}


def _page(params, items: list):
    """MaxResults/NextToken paging (NextToken: where the next page starts)."""
    max_results = params.integer("MaxResults", minimum=5)
    token = params.get("NextToken")
    if max_results is None and token is None:
        return items, None
    start = 0
    if token:
        if not token.isdigit() or int(token) > len(items):
            raise errors.InvalidParameterValue("Invalid NextToken.")
        start = int(token)
    end = start + min(max_results or 1000, 1000)
    return items[start:end], (str(end) if end < len(items) else None)


# -- actions ----------------------------------------------------------------------------


def _state_change(ec2_id, previous, current) -> dict:
    return {"instanceId": ec2_id,
            "currentState": {"code": current[0], "name": current[1]},
            "previousState": {"code": previous[0], "name": previous[1]}}


def _reread_state(req, instance):
    try:
        return _state(req.compute_api.get(req.context, instance.uuid, read_deleted=True))
    except exception.InstanceNotFound:
        return states.TERMINATED


def terminate_instances(req):
    changes = []
    for ec2_id, inst in _instance_targets(req, req.params.strings("InstanceId")):
        previous = _state(inst)
        if not inst.deleted:
            try:
                req.compute_api.delete(req.context, inst.uuid)
            except exception.InstanceNotFound:
                pass  # deleted meanwhile
        current = states.TERMINATED if inst.deleted else _reread_state(req, inst)
        if current != states.TERMINATED:
            current = states.SHUTTING_DOWN  # on its way, whatever else it was finishing
        changes.append(_state_change(ec2_id, previous, current))
    return {"instancesSet": changes}


def _power(req, action: str, skip: set):
    changes = []
    for ec2_id, inst in _instance_targets(req, req.params.strings("InstanceId")):
        previous = _state(inst)
        if previous not in skip:  # already there, or on its way: nothing to do, as EC2
            getattr(req.compute_api, action)(req.context, inst.uuid)
        changes.append(_state_change(ec2_id, previous, _reread_state(req, inst)))
    return {"instancesSet": changes}


def stop_instances(req):
    return _power(req, "stop", {states.STOPPED, states.STOPPING})


def start_instances(req):
    return _power(req, "start", {states.RUNNING, states.PENDING})


def reboot_instances(req):
    for _, inst in _instance_targets(req, req.params.strings("InstanceId"),
                                     read_deleted=False):
        req.compute_api.reboot(req.context, inst.uuid, "SOFT")
    return {"return": True}


def get_console_output(req):
    [(ec2_id, inst)] = _instance_targets(req, [req.params.require("InstanceId")])
    output = req.compute_api.get_console_output(req.context, inst.uuid) or ""
    if isinstance(output, str):
        output = output.encode("utf-8", "replace")
    return {"instanceId": ec2_id, "timestamp": utcnow(),
            "output": base64.b64encode(output).decode()}
