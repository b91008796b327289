"""The Action table: EC2 action name -> handler(req) -> response body (a dict for
novalite/api/ec2/xml.py)."""

from novalite.api.ec2 import images, instances, keypairs, zones

ACTIONS = {
    "RunInstances": instances.run_instances,
    "DescribeInstances": instances.describe_instances,
    "TerminateInstances": instances.terminate_instances,
    "StartInstances": instances.start_instances,
    "StopInstances": instances.stop_instances,
    "RebootInstances": instances.reboot_instances,
    "GetConsoleOutput": instances.get_console_output,
    "DescribeImages": images.describe_images,
    "DescribeAvailabilityZones": zones.describe_availability_zones,
    "DescribeRegions": zones.describe_regions,
    "DescribeKeyPairs": keypairs.describe_key_pairs,
    "CreateKeyPair": keypairs.create_key_pair,
    "ImportKeyPair": keypairs.import_key_pair,
    "DeleteKeyPair": keypairs.delete_key_pair,
}
