#!/usr/bin/env python3
"""The OcdsAws runbook done with boto3 in one Python process (issue "Measured", benchmark 2c).

    python3 bench/runbook_boto3.py ENDPOINT REGION DOMAIN

The same calls as bench/runbook-cli.sh (see there): examples/Initialize-SesDomain.ps1 -MailFromSubdomain
bounce, Initialize-SesSender.ps1 -Subscribe (no SMTP credential) and Initialize-AuroraDatabase.ps1, the creates
plus the reads needed to be correct. Credentials come from the environment. Names derive from DOMAIN. Any
error other than "already exists" raises. Last lines: WORK <ms from main(), i.e. after Python's start and the
imports> and CALLS <HTTP requests sent> (botocore's before-send event, so a retry or a second page would count too).
"""
import json
import re
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ALREADY = re.compile(r"AlreadyExists|AlreadyOwnedByYou|\.Duplicate")


def main(endpoint, region, domain):
    started = time.perf_counter()   # after Python's start and "import boto3": the WORK line leaves those out
    domain = domain.lower()
    calls = {"n": 0}
    session = boto3.session.Session(region_name=region)

    def count(**_):
        calls["n"] += 1

    session.events.register("before-send", count)
    config = Config(retries={"mode": "standard", "max_attempts": 3})
    clients = {}

    def c(service):
        if service not in clients:
            clients[service] = session.client(service, endpoint_url=endpoint, config=config)
        return clients[service]

    def create(service, operation, **kwargs):
        """A create call; "already exists" is tolerated (returns None), anything else raises."""
        try:
            return getattr(c(service), operation)(**kwargs)
        except ClientError as e:
            if ALREADY.search(e.response.get("Error", {}).get("Code", "")):
                print(f"note: {service} {operation}: already exists", file=sys.stderr)
                return None
            raise

    slug = re.sub(r"[^a-z0-9]", "-", domain)
    address, subscriber, mail_from = f"data@{domain}", f"ops@{domain}", f"bounce.{domain}"
    rule_set = "ocdsaws-capture"
    rule = "capture-" + re.sub(r"[^a-z0-9._-]", "-", address)
    name = ("n-" + slug)[:40].rstrip("-")
    topic = re.sub(r"[^A-Za-z0-9_-]", "-", address)

    # Verify a domain: SES identity with Easy DKIM, then the tokens for the CNAME records.
    create("sesv2", "create_email_identity", EmailIdentity=domain)
    identity = c("sesv2").get_email_identity(EmailIdentity=domain)
    for token in identity["DkimAttributes"]["Tokens"]:
        print(f"{token}._domainkey.{domain}. 1800 IN CNAME {token}.dkim.amazonses.com.")

    # MAIL FROM.
    c("sesv2").put_email_identity_mail_from_attributes(
        EmailIdentity=domain, MailFromDomain=mail_from, BehaviorOnMxFailure="USE_DEFAULT_VALUE")
    print(f"{mail_from}. 1800 IN MX 10 feedback-smtp.{region}.amazonses.com.")

    # Verify an email address, capturing the verification mail in S3.
    account = c("sts").get_caller_identity()["Account"]
    bucket = f"cap-{account}-{slug}"[:63].rstrip("-")
    previous = (c("ses").describe_active_receipt_rule_set().get("Metadata") or {}).get("Name") or "-"
    # Our rule set already active: an earlier capture's bucket remembers what was active before it.
    remembered = "-" if previous == rule_set else previous
    if region == "us-east-1":
        create("s3", "create_bucket", Bucket=bucket)
    else:
        create("s3", "create_bucket", Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    c("s3").put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    rule_arn = f"arn:aws:ses:{region}:{account}:receipt-rule-set/{rule_set}:receipt-rule/{rule}"
    c("s3").put_bucket_policy(Bucket=bucket, Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "AllowSESPuts", "Effect": "Allow", "Principal": {"Service": "ses.amazonaws.com"},
            "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{bucket}/*",
            "Condition": {"StringEquals": {"AWS:SourceAccount": account, "AWS:SourceArn": rule_arn}},
        }],
    }, separators=(",", ":")))
    # The tag remembers which rule set to re-activate when the capture is removed.
    c("s3").put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [
        {"Key": "ocdsaws:previous-active-rule-set", "Value": remembered},
        {"Key": "ocdsaws:captured-address", "Value": address}]})
    create("ses", "create_receipt_rule_set", RuleSetName=rule_set)
    create("ses", "create_receipt_rule", RuleSetName=rule_set, Rule={
        "Name": rule, "Enabled": True, "ScanEnabled": False, "Recipients": [address],
        "Actions": [{"S3Action": {"BucketName": bucket, "ObjectKeyPrefix": "mail/"}}]})
    if previous != rule_set:
        c("ses").set_active_receipt_rule_set(RuleSetName=rule_set)
    create("sesv2", "create_email_identity", EmailIdentity=address)

    # Notifications: topic SES may publish to, subscription, bounce and complaint with headers.
    topic_arn = f"arn:aws:sns:{region}:{account}:{topic}"
    policy = {
        "Version": "2008-10-17", "Id": "__default_policy_ID",
        "Statement": [
            {"Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"},
             "Action": ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
                        "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"],
             "Resource": topic_arn, "Condition": {"StringEquals": {"AWS:SourceOwner": account}}},
            {"Sid": "AllowSESPublish", "Effect": "Allow", "Principal": {"Service": "ses.amazonaws.com"},
             "Action": "SNS:Publish", "Resource": topic_arn,
             "Condition": {"StringEquals": {"AWS:SourceAccount": account}}},
        ],
    }
    topic_arn = c("sns").create_topic(Name=topic, Attributes={"Policy": json.dumps(policy, separators=(",", ":"))})["TopicArn"]
    c("sns").subscribe(TopicArn=topic_arn, Protocol="email", Endpoint=subscriber)
    for kind in ("Bounce", "Complaint"):
        c("ses").set_identity_notification_topic(Identity=address, NotificationType=kind, SnsTopic=topic_arn)
        c("ses").set_identity_headers_in_notifications_enabled(Identity=address, NotificationType=kind, Enabled=True)

    # Aurora network: VPC, two subnets in two zones, PostgreSQL security group, DB subnet group.
    ec2 = c("ec2")
    zones = sorted(z["ZoneName"] for z in ec2.describe_availability_zones(Filters=[
        {"Name": "state", "Values": ["available"]}, {"Name": "zone-type", "Values": ["availability-zone"]}])["AvailabilityZones"])
    if len(zones) < 2:
        raise SystemExit(f"FAILED: {region} has fewer than two available zones")

    def tags(kind, value):
        return [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": value}, {"Key": "ocdsaws:aurora-network", "Value": name}]}]

    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=tags("vpc", name))["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=zones[i - 1],
                                 TagSpecifications=tags("subnet", f"{name}-db-{i}"))["Subnet"]["SubnetId"] for i in (1, 2)]
    group_id = ec2.create_security_group(GroupName=f"{name}-postgresql", Description=f"PostgreSQL into Aurora ({name})",
                                         VpcId=vpc_id, TagSpecifications=tags("security-group", f"{name}-postgresql"))["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
        "IpRanges": [{"CidrIp": "10.0.0.0/16", "Description": "PostgreSQL"}]}])
    rds = c("rds")
    create("rds", "create_db_subnet_group", DBSubnetGroupName=name, DBSubnetGroupDescription=f"Aurora subnets of {name}",
           SubnetIds=subnets, Tags=[{"Key": "ocdsaws:aurora-network", "Value": name}])

    # Aurora Serverless v2 cluster: the newest version that can auto-pause (all such have the Data API).
    versions = rds.describe_db_engine_versions(Engine="aurora-postgresql")["DBEngineVersions"]
    fit = [v["EngineVersion"] for v in versions
           if (v.get("ServerlessV2FeaturesSupport") or {}).get("MinCapacity") == 0
           and re.fullmatch(r"\d+(\.\d+)*", v["EngineVersion"])]
    if not fit:
        raise SystemExit(f"FAILED: no Aurora PostgreSQL version with auto-pause in {region}")
    version = max(fit, key=lambda v: tuple(int(p) for p in v.split(".")))
    create("rds", "create_db_cluster", DBClusterIdentifier=name, Engine="aurora-postgresql", EngineVersion=version,
           EngineMode="provisioned", MasterUsername="postgres", ManageMasterUserPassword=True, DatabaseName="common",
           BackupRetentionPeriod=1, DBSubnetGroupName=name, VpcSecurityGroupIds=[group_id], StorageEncrypted=True,
           ServerlessV2ScalingConfiguration={"MinCapacity": 0, "MaxCapacity": 2, "SecondsUntilAutoPause": 3600})
    create("rds", "create_db_instance", DBInstanceIdentifier=f"{name}-1", DBInstanceClass="db.serverless",
           Engine="aurora-postgresql", DBClusterIdentifier=name, PubliclyAccessible=False)
    while True:
        cluster = rds.describe_db_clusters(DBClusterIdentifier=name)["DBClusters"][0]
        status = cluster["Status"]
        if status == "available":
            break
        if status in ("failed", "storage-full") or status.startswith(("incompatible-", "inaccessible-")):
            raise SystemExit(f"FAILED: cluster {name} is {status}")
        time.sleep(5)
    rds.enable_http_endpoint(ResourceArn=cluster["DBClusterArn"])
    c("rds-data").execute_statement(resourceArn=cluster["DBClusterArn"], secretArn=cluster["MasterUserSecret"]["SecretArn"],
                                    database="common", sql="select 1 as ok")

    print(f"WORK {(time.perf_counter() - started) * 1000:.1f}")
    print(f"CALLS {calls['n']}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit("usage: runbook_boto3.py ENDPOINT REGION DOMAIN")
    main(*sys.argv[1:])
