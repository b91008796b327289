"""DescribeAvailabilityZones and DescribeRegions."""

_ZONE_FILTERS = ("zone-name", "state", "region-name")
_REGION_FILTERS = ("region-name", "endpoint")


def describe_availability_zones(req):
    params = req.params
    filters = params.filters(_ZONE_FILTERS)
    names = params.strings("ZoneName")
    region = req.app.conf.ec2.region_name
    items = []
    for zone in sorted(req.compute_api.hosts.compute_availability_zones()):
        values = {"zone-name": zone, "state": "available", "region-name": region}
        if names and zone not in names:
            continue
        if all(values[n] in v for n, v in filters.items()):
            items.append({"zoneName": zone, "zoneState": "available", "regionName": region,
                          "zoneType": "availability-zone", "messageSet": []})
    return {"availabilityZoneInfo": items}


def describe_regions(req):
    params = req.params
    filters = params.filters(_REGION_FILTERS)
    names = params.strings("RegionName")
    region = req.app.conf.ec2.region_name
    endpoint = req.base_url + "/"
    values = {"region-name": region, "endpoint": endpoint}
    if (names and region not in names) or not all(
            values[n] in v for n, v in filters.items()):
        return {"regionInfo": []}
    return {"regionInfo": [{"regionName": region, "regionEndpoint": endpoint,
                            "optInStatus": "opt-in-not-required"}]}
