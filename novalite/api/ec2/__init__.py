"""The EC2 query API (protocol "ec2", version 2016-11-15 as botocore speaks it): a second
wire format over the same compute API (novalite/compute/api.py), never a second backend."""
