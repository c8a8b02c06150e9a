#!/usr/bin/env python3
"""Warms the emulator before the timed runbooks (issue "Measured", benchmark 2).
    python3 bench/warm_emulator.py ENDPOINT REGION
moto imports each service's backend on that service's first request, a one-off cost of up to a second (EC2, RDS).
Without this, whichever variant runs first pays it for all the others. One cheap read per service the runbook
uses, through boto3, untimed.
"""
import sys

import boto3

endpoint, region = sys.argv[1], sys.argv[2]
session = boto3.session.Session(region_name=region)
for service, method, params in [
    ("sts", "get_caller_identity", {}),
    ("sesv2", "list_email_identities", {}),
    ("ses", "describe_active_receipt_rule_set", {}),
    ("s3", "list_buckets", {}),
    ("sns", "list_topics", {}),
    ("iam", "list_users", {}),
    ("ec2", "describe_vpcs", {}),
    ("rds", "describe_db_clusters", {}),
    ("secretsmanager", "list_secrets", {}),
]:
    getattr(session.client(service, endpoint_url=endpoint), method)(**params)
print("WARM")
