#!/usr/bin/env python3
"""Self-test of the Python test bed: ocds_moto.py (moto + companion) and botocore_oracle.py.

    python3 tests/testbed/selftest.py

Starts ocds_moto.py on a free port with signature checking on after 3 unsigned calls, bootstraps an
IAM user + key with those calls, then drives every intercepted operation and a few forwarded ones
through boto3 with the real key. Every successful response is also run through the oracle's parse
(botocore parser + output-shape validation of parsed data and raw body). Ends with
`selftest: N passed, M failed`; exit status 1 on any failure. The server is always stopped.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the work tree

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

import botocore_oracle  # noqa: E402

FREE_CALLS = 3  # create_user, put_user_policy, create_access_key
REGION = "us-east-1"
results = {"passed": 0, "failed": []}
raw_responses = {}  # "<service>.<Operation>" -> last raw response, replayed through the oracle


def check(name, ok, detail=""):
    if ok:
        results["passed"] += 1
    else:
        results["failed"].append(name)
        print(f"FAIL {name} {detail}".rstrip(), flush=True)


def expect_error(name, code, call, status=None):
    try:
        call()
    except ClientError as err:
        got = err.response["Error"]["Code"]
        got_status = err.response["ResponseMetadata"]["HTTPStatusCode"]
        check(name, got == code and (status is None or status == got_status),
              f"got {got} {got_status}, want {code} {status or ''}")
        return
    check(name, False, f"no error, want {code}")


def together(*calls):
    """Runs the calls at the same time (a loaded machine may take a second to serve one, so calls made one after
    the other could arrive a second apart); returns "ok" or (error code, HTTP status) for each, in order."""
    outcomes = [None] * len(calls)

    def attempt(i, call):
        try:
            call()
            outcomes[i] = "ok"
        except ClientError as err:
            outcomes[i] = (err.response["Error"]["Code"], err.response["ResponseMetadata"]["HTTPStatusCode"])
    threads = [threading.Thread(target=attempt, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def validate_hook(operation_model, response_dict, **_):
    """before-parse: the oracle parses and validates the same raw response boto3 is about to parse."""
    service = operation_model.service_model.service_name
    raw = {"service": service, "operation": operation_model.name, "status": response_dict["status_code"],
           "headers": dict(response_dict["headers"]), "body": response_dict["body"]}
    if raw["status"] < 300:
        raw_responses[f"{service}.{operation_model.name}"] = raw
        errors = botocore_oracle.parse(raw)["validation_errors"]
        check(f"valid response {service}.{operation_model.name}", not errors, "; ".join(errors))


class Server:
    def __init__(self):
        self.log = tempfile.TemporaryFile()
        env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT=str(FREE_CALLS))
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "ocds_moto.py"), "--port", "0"],
                                     stdout=subprocess.PIPE, stderr=self.log, env=env, text=True)
        ready = []
        reader = threading.Thread(target=self._read, args=(ready,), daemon=True)
        reader.start()
        deadline = time.time() + 20
        while not ready and time.time() < deadline and self.proc.poll() is None:
            time.sleep(0.05)
        if not ready:
            self.stop()
            raise RuntimeError("ocds_moto.py did not print READY:\n" + self.stderr())
        self.url = ready[0]

    def _read(self, ready):
        for line in self.proc.stdout:  # keep draining so the pipe never fills
            m = re.fullmatch(r"READY (http://\S+)\n?", line)
            if m and not ready:
                ready.append(m.group(1))

    def stderr(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-4000:]

    def post(self, path, body=None):
        req = urllib.request.Request(self.url + path, data=json.dumps(body or {}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def client(server, service, key="testing", secret="testing", region=REGION):
    c = boto3.client(service, endpoint_url=server.url, region_name=region, aws_access_key_id=key,
                     aws_secret_access_key=secret, config=Config(retries={"max_attempts": 1}))
    c.meta.events.register("before-parse", validate_hook)
    return c


def run(server):
    # --- bootstrap: the only unsigned calls moto lets through
    iam = client(server, "iam")
    iam.create_user(UserName="ocds")
    iam.put_user_policy(UserName="ocds", PolicyName="all", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="ocds")["AccessKey"]
    kid, secret = key["AccessKeyId"], key["SecretAccessKey"]
    expect_error("dummy key refused by moto (forwarded sts)", "InvalidClientTokenId",
                 lambda: client(server, "sts").get_caller_identity())
    expect_error("dummy key refused by companion (sesv2)", "UnrecognizedClientException",
                 lambda: client(server, "sesv2").get_account(), 403)
    expect_error("dummy key refused by companion (ses query)", "InvalidClientTokenId",
                 lambda: client(server, "ses").get_identity_notification_attributes(Identities=["x.org"]), 403)

    sts, sesv2, ses, sns, rds = (client(server, s, kid, secret) for s in ("sts", "sesv2", "ses", "sns", "rds"))
    check("sts get_caller_identity (forwarded)", sts.get_caller_identity()["Arn"].endswith(":user/ocds"))

    # --- SESv2 identities
    created = sesv2.create_email_identity(EmailIdentity="example.org")
    dkim = created["DkimAttributes"]
    tokens = dkim.get("Tokens", [])
    check("create domain: DOMAIN", created["IdentityType"] == "DOMAIN")
    check("create domain: 3 Easy DKIM tokens", len(tokens) == 3 and all(re.fullmatch(r"[a-z0-9]{32}", t) for t in tokens),
          str(tokens))
    check("create domain: PENDING / AWS_SES / not verified",
          dkim["Status"] == "PENDING" and dkim["SigningAttributesOrigin"] == "AWS_SES"
          and created["VerifiedForSendingStatus"] is False, str(created))
    check("create domain: SigningHostedZone dkim.amazonses.com outside the regional-zone regions",
          dkim.get("SigningHostedZone") == "dkim.amazonses.com", str(dkim))
    cape_town = client(server, "sesv2", kid, secret, region="af-south-1").create_email_identity(EmailIdentity="example.org")
    check("create domain in af-south-1: SigningHostedZone dkim.af-south-1.amazonses.com",
          cape_town["DkimAttributes"].get("SigningHostedZone") == "dkim.af-south-1.amazonses.com", str(cape_town))
    check("get domain in af-south-1: same SigningHostedZone",
          client(server, "sesv2", kid, secret, region="af-south-1").get_email_identity(EmailIdentity="example.org")
          ["DkimAttributes"].get("SigningHostedZone") == "dkim.af-south-1.amazonses.com")
    expect_error("create existing identity", "AlreadyExistsException",
                 lambda: sesv2.create_email_identity(EmailIdentity="example.org"), 400)
    small = sesv2.create_email_identity(EmailIdentity="other.example",
                                        DkimSigningAttributes={"NextSigningKeyLength": "RSA_1024_BIT"})
    check("create domain with RSA_1024_BIT", small["DkimAttributes"]["NextSigningKeyLength"] == "RSA_1024_BIT")
    email = sesv2.create_email_identity(EmailIdentity="ops+alerts@example.org")
    check("create email address identity", email["IdentityType"] == "EMAIL_ADDRESS")

    got = sesv2.get_email_identity(EmailIdentity="example.org")
    check("get: same tokens, PENDING, 2048-bit, no policies",
          got["DkimAttributes"]["Tokens"] == tokens and got["VerificationStatus"] == "PENDING"
          and got["DkimAttributes"]["CurrentSigningKeyLength"] == "RSA_2048_BIT"
          and got["DkimAttributes"]["NextSigningKeyLength"] == "RSA_2048_BIT" and got["Policies"] == {}, str(got))
    check("get email identity (GET signed with @ and + in the path)",
          sesv2.get_email_identity(EmailIdentity="ops+alerts@example.org")["IdentityType"] == "EMAIL_ADDRESS")
    expect_error("get missing identity", "NotFoundException",
                 lambda: sesv2.get_email_identity(EmailIdentity="missing.example"), 404)
    names = {i["IdentityName"] for i in sesv2.list_email_identities()["EmailIdentities"]}
    check("list_email_identities", names == {"example.org", "other.example", "ops+alerts@example.org"}, str(names))
    page = sesv2.list_email_identities(PageSize=2)
    rest = sesv2.list_email_identities(PageSize=2, NextToken=page.get("NextToken", ""))
    check("list_email_identities pages", len(page["EmailIdentities"]) == 2 and len(rest["EmailIdentities"]) == 1)
    check("SES classic list_identities sees v2 identities",
          set(ses.list_identities()["Identities"]) >= {"example.org", "ops+alerts@example.org"})
    classic_dkim = ses.get_identity_dkim_attributes(Identities=["example.org"])["DkimAttributes"]["example.org"]
    check("SES classic get_identity_dkim_attributes shows the same tokens", classic_dkim.get("DkimTokens") == tokens)

    # --- MAIL FROM
    sesv2.put_email_identity_mail_from_attributes(EmailIdentity="example.org", MailFromDomain="mail.example.org",
                                                  BehaviorOnMxFailure="REJECT_MESSAGE")
    mail_from = sesv2.get_email_identity(EmailIdentity="example.org").get("MailFromAttributes", {})
    check("mail-from stored, PENDING", mail_from == {"MailFromDomain": "mail.example.org",
                                                     "MailFromDomainStatus": "PENDING",
                                                     "BehaviorOnMxFailure": "REJECT_MESSAGE"}, str(mail_from))
    classic = ses.get_identity_mail_from_domain_attributes(Identities=["example.org"])["MailFromDomainAttributes"]
    check("SES classic sees the mail-from domain",
          classic["example.org"]["MailFromDomain"] == "mail.example.org"
          and classic["example.org"]["BehaviorOnMXFailure"] == "RejectMessage", str(classic))
    expect_error("mail-from outside the domain", "BadRequestException",
                 lambda: sesv2.put_email_identity_mail_from_attributes(EmailIdentity="example.org",
                                                                       MailFromDomain="mail.elsewhere.org"), 400)
    expect_error("mail-from on a missing identity", "NotFoundException",
                 lambda: sesv2.put_email_identity_mail_from_attributes(EmailIdentity="missing.example",
                                                                       MailFromDomain="m.missing.example"), 404)

    # --- test-only control: SES verifies the domain
    status, body = server.post("/ocds-testbed/sesv2/identity-status", {
        "account": "123456789012", "region": REGION, "identity": "example.org",
        "verification": "SUCCESS", "dkim": "SUCCESS", "mail_from": "SUCCESS"})
    check("control identity-status", status == 200, str(body))
    got = sesv2.get_email_identity(EmailIdentity="example.org")
    check("get after control: verified", got["VerificationStatus"] == "SUCCESS" and got["VerifiedForSendingStatus"]
          and got["DkimAttributes"]["Status"] == "SUCCESS"
          and got["MailFromAttributes"]["MailFromDomainStatus"] == "SUCCESS", str(got))
    status, _ = server.post("/ocds-testbed/sesv2/identity-status", {"identity": "nope.example", "verification": "SUCCESS"})
    check("control identity-status on a missing identity -> 404", status == 404)

    # --- SESv2 account
    account = sesv2.get_account()
    check("get_account: sandbox defaults",
          account["ProductionAccessEnabled"] is False and account["SendQuota"]["Max24HourSend"] == 200
          and account["SuppressionAttributes"]["SuppressedReasons"] == ["BOUNCE", "COMPLAINT"]
          and "Details" not in account, str(account))
    sesv2.put_account_details(MailType="TRANSACTIONAL", WebsiteURL="https://example.org", ContactLanguage="EN",
                              UseCaseDescription="Operational mail for OCDS", ProductionAccessEnabled=True)
    account = sesv2.get_account()
    review = account.get("Details", {}).get("ReviewDetails", {})
    check("put_account_details: review PENDING, still sandboxed",
          review.get("Status") == "PENDING" and review.get("CaseId") and account["ProductionAccessEnabled"] is False
          and account["Details"]["MailType"] == "TRANSACTIONAL", str(account))
    expect_error("put_account_details while the review is PENDING", "ConflictException",
                 lambda: sesv2.put_account_details(MailType="MARKETING", WebsiteURL="https://example.org",
                                                   UseCaseDescription="again", ProductionAccessEnabled=True), 409)
    check("the refused put_account_details changed nothing",
          sesv2.get_account()["Details"]["MailType"] == "TRANSACTIONAL")
    sesv2.put_account_suppression_attributes(SuppressedReasons=[])
    check("suppression list emptied",
          sesv2.get_account()["SuppressionAttributes"]["SuppressedReasons"] == [])
    sesv2.put_account_suppression_attributes(SuppressedReasons=["BOUNCE"])
    check("suppression BOUNCE only", sesv2.get_account()["SuppressionAttributes"]["SuppressedReasons"] == ["BOUNCE"])
    status, body = server.post("/ocds-testbed/sesv2/account-review", {"region": REGION, "status": "GRANTED"})
    check("control account-review GRANTED", status == 200 and sesv2.get_account()["ProductionAccessEnabled"] is True)
    other_region = client(server, "sesv2", kid, secret, region="eu-west-1").get_account()
    check("account state is per region", "Details" not in other_region)

    # --- delete
    sesv2.delete_email_identity(EmailIdentity="other.example")
    expect_error("get after delete", "NotFoundException",
                 lambda: sesv2.get_email_identity(EmailIdentity="other.example"), 404)
    expect_error("delete twice", "NotFoundException",
                 lambda: sesv2.delete_email_identity(EmailIdentity="other.example"), 404)
    check("SES classic no longer lists the deleted identity", "other.example" not in ses.list_identities()["Identities"])

    # --- SES classic notifications
    topics = {t: sns.create_topic(Name=f"ses-{t.lower()}")["TopicArn"] for t in ("Bounce", "Complaint", "Delivery")}
    for kind, arn in topics.items():
        ses.set_identity_notification_topic(Identity="example.org", NotificationType=kind, SnsTopic=arn)
        time.sleep(1.05)  # SES: "no more than once per second" (see the throttling checks below)
    ses.set_identity_headers_in_notifications_enabled(Identity="example.org", NotificationType="Bounce", Enabled=True)
    attrs = ses.get_identity_notification_attributes(Identities=["example.org", "unknown.example"])
    attrs = attrs["NotificationAttributes"]
    mine = attrs.get("example.org", {})
    check("notification attributes: topics from moto + header flags",
          mine.get("BounceTopic") == topics["Bounce"] and mine.get("ComplaintTopic") == topics["Complaint"]
          and mine.get("DeliveryTopic") == topics["Delivery"] and mine.get("HeadersInBounceNotificationsEnabled") is True
          and mine.get("HeadersInComplaintNotificationsEnabled") is False
          and mine.get("HeadersInDeliveryNotificationsEnabled") is False and mine.get("ForwardingEnabled") is True,
          str(mine))
    check("notification attributes: unknown identity omitted", "unknown.example" not in attrs)
    time.sleep(1.05)
    expect_error("headers flag on unknown identity", "InvalidParameterValue",
                 lambda: ses.set_identity_headers_in_notifications_enabled(
                     Identity="unknown.example", NotificationType="Bounce", Enabled=True), 400)

    # --- SES classic once-per-second operations: a second call within a second is throttled (Throttling, 400)
    time.sleep(1.05)
    headers = lambda: ses.set_identity_headers_in_notifications_enabled(Identity="example.org", NotificationType="Complaint", Enabled=False)
    outcomes = together(headers, headers)   # at the same time: one after the other could arrive a second apart when loaded
    check("two SetIdentityHeadersInNotificationsEnabled within a second: one served, one Throttling 400",
          sorted(outcomes, key=str) == sorted(["ok", ("Throttling", 400)], key=str), str(outcomes))
    check("two SetIdentityNotificationTopic within a second: one served, one Throttling 400",
          sorted(together(*[lambda k=k, a=a: ses.set_identity_notification_topic(Identity="example.org", NotificationType=k,
                                                                                  SnsTopic=a)
                            for k, a in list(topics.items())[:2]]), key=str) == sorted(["ok", ("Throttling", 400)], key=str))
    client(server, "ses", kid, secret, region="eu-west-1").verify_email_identity(EmailAddress="x@example.org")
    try:
        client(server, "ses", kid, secret, region="eu-west-1").set_identity_headers_in_notifications_enabled(
            Identity="x@example.org", NotificationType="Bounce", Enabled=True)
        check("once-per-second is per region", True)
    except ClientError as err:
        check("once-per-second is per region", False, str(err))
    time.sleep(1.05)
    ses.set_identity_notification_topic(Identity="example.org", NotificationType="Delivery", SnsTopic=topics["Delivery"])
    check("a second later the operation is served again", True)
    ses.create_receipt_rule_set(RuleSetName="throttle-check")
    rule = lambda name: ses.create_receipt_rule(RuleSetName="throttle-check", Rule={"Name": name, "Enabled": True})
    # Sent together, the two calls still reached the test bed over a second apart once, on a machine running two test
    # suites at a time (both were served, rightly): up to three pairs, each a second after the last call; one pair must
    # show the throttle, and what it made is checked against that pair's outcome.
    served = []
    for attempt in range(3):
        time.sleep(1.05)
        names = (f"first{attempt}", f"second{attempt}")
        outcomes = dict(zip(names, together(lambda: rule(names[0]), lambda: rule(names[1]))))
        served += [n for n, o in outcomes.items() if o == "ok"]
        if sorted(outcomes.values(), key=str) == sorted(["ok", ("Throttling", 400)], key=str):
            break
    check("two CreateReceiptRule within a second: one served, one Throttling 400",
          sorted(outcomes.values(), key=str) == sorted(["ok", ("Throttling", 400)], key=str), str(outcomes))
    made = [r["Name"] for r in ses.describe_receipt_rule_set(RuleSetName="throttle-check")["Rules"]]
    check("the throttled CreateReceiptRule made nothing", sorted(made) == sorted(served), str(made))
    ses.delete_receipt_rule_set(RuleSetName="throttle-check")

    # --- test-only control: SES delivers its verification mail through the active rule set, only for verified domains
    s3 = client(server, "s3", kid, secret)
    s3.create_bucket(Bucket="capture-check")  # REGION is us-east-1: no location constraint
    ses.create_receipt_rule_set(RuleSetName="capture-check")
    time.sleep(1.05)  # CreateReceiptRule: once per second
    ses.create_receipt_rule(RuleSetName="capture-check", Rule={
        "Name": "capture", "Enabled": True, "Recipients": ["data@example.org", "data@unverified.example"],
        "Actions": [{"S3Action": {"BucketName": "capture-check", "ObjectKeyPrefix": "mail/"}}]})
    ses.set_active_receipt_rule_set(RuleSetName="capture-check")
    status, body = server.post("/ocds-testbed/ses/deliver-verification-mail",
                               {"account": "123456789012", "region": REGION, "address": "data@example.org"})
    check("deliver-verification-mail: verified domain, stored by the active set's S3 action",
          status == 200 and body.get("bucket") == "capture-check" and body.get("key", "").startswith("mail/"), str(body))
    status, body = server.post("/ocds-testbed/ses/deliver-verification-mail",
                               {"account": "123456789012", "region": REGION, "address": "data@unverified.example"})
    check("deliver-verification-mail: a domain that is not a verified identity is refused", status == 400, str(body))
    ses.set_active_receipt_rule_set()
    ses.delete_receipt_rule(RuleSetName="capture-check", RuleName="capture")
    ses.delete_receipt_rule_set(RuleSetName="capture-check")

    # --- RDS
    versions = rds.describe_db_engine_versions(Engine="aurora-postgresql")["DBEngineVersions"]
    by_version = {v["EngineVersion"]: v for v in versions}
    check("engine versions listed", {"13.12", "14.12", "16.3", "16.4"} <= set(by_version), str(list(by_version)))
    check("engine families", all(v["DBParameterGroupFamily"] == "aurora-postgresql" + v["MajorEngineVersion"]
                                 for v in versions))
    check("auto-pause versions have MinCapacity 0",
          by_version["16.3"]["ServerlessV2FeaturesSupport"]["MinCapacity"] == 0
          and by_version["13.12"]["ServerlessV2FeaturesSupport"]["MinCapacity"] == 0.5)
    check("EngineVersion filter", [v["EngineVersion"] for v in rds.describe_db_engine_versions(
        Engine="aurora-postgresql", EngineVersion="16.3")["DBEngineVersions"]] == ["16.3"])
    check("DefaultOnly", len(rds.describe_db_engine_versions(Engine="aurora-postgresql",
                                                             DefaultOnly=True)["DBEngineVersions"]) == 1)
    cluster = rds.create_db_cluster(
        DBClusterIdentifier="ocds-db", Engine="aurora-postgresql", EngineVersion="16.3", MasterUsername="ocdsadmin",
        ManageMasterUserPassword=True, DatabaseName="ocds",
        ServerlessV2ScalingConfiguration={"MinCapacity": 0, "MaxCapacity": 4, "SecondsUntilAutoPause": 3600},
    )["DBCluster"]
    enabled = rds.enable_http_endpoint(ResourceArn=cluster["DBClusterArn"])
    check("enable_http_endpoint", enabled == {**enabled, "ResourceArn": cluster["DBClusterArn"],
                                              "HttpEndpointEnabled": True}, str(enabled))
    described = rds.describe_db_clusters(DBClusterIdentifier="ocds-db")["DBClusters"][0]
    scaling = described.get("ServerlessV2ScalingConfiguration", {})
    check("describe_db_clusters (forwarded) shows HttpEndpointEnabled + auto-pause",
          described.get("HttpEndpointEnabled") is True and scaling.get("MinCapacity") == 0
          and scaling.get("SecondsUntilAutoPause") == 3600, str(scaling))
    created_on = rds.create_db_cluster(
        DBClusterIdentifier="ocds-db-api", Engine="aurora-postgresql", EngineVersion="16.3", EngineMode="provisioned",
        MasterUsername="ocdsadmin", ManageMasterUserPassword=True, EnableHttpEndpoint=True,
        ServerlessV2ScalingConfiguration={"MinCapacity": 0, "MaxCapacity": 4, "SecondsUntilAutoPause": 3600},
    )["DBCluster"]
    check("create_db_cluster EnableHttpEndpoint (Serverless v2) is on at once",
          created_on.get("HttpEndpointEnabled") is True and rds.describe_db_clusters(
              DBClusterIdentifier="ocds-db-api")["DBClusters"][0].get("HttpEndpointEnabled") is True, str(created_on.get("HttpEndpointEnabled")))
    check("create_db_cluster without EnableHttpEndpoint leaves it off", rds.create_db_cluster(
        DBClusterIdentifier="ocds-db-off", Engine="aurora-postgresql", EngineVersion="16.3", MasterUsername="ocdsadmin",
        ManageMasterUserPassword=True)["DBCluster"].get("HttpEndpointEnabled") is False)
    expect_error("enable_http_endpoint on unknown ARN", "ResourceNotFoundFault",
                 lambda: rds.enable_http_endpoint(ResourceArn="arn:aws:rds:us-east-1:123456789012:cluster:nope"), 404)
    # moto (not the companion) answers a protected cluster's deletion as AWS does: InvalidParameterCombination, "Cannot delete
    # protected Cluster" (the AWS CLI's answer quoted on dev.classmethod.jp; botocore's DeleteDBCluster model lists no code for
    # it). Remove-AuroraServerlessCluster relies on it only as a backstop: it turns protection off with -Force before deleting.
    rds.create_db_cluster(DBClusterIdentifier="ocds-db-protected", Engine="aurora-postgresql", EngineVersion="16.4",
                          MasterUsername="ocdsadmin", ManageMasterUserPassword=True, DeletionProtection=True)
    expect_error("delete_db_cluster refuses deletion protection (moto)", "InvalidParameterCombination",
                 lambda: rds.delete_db_cluster(DBClusterIdentifier="ocds-db-protected", SkipFinalSnapshot=True), 400)
    check("modify_db_cluster turns deletion protection off (moto)", rds.modify_db_cluster(
        DBClusterIdentifier="ocds-db-protected", DeletionProtection=False, ApplyImmediately=True)["DBCluster"]["DeletionProtection"] is False)
    check("delete_db_cluster after that (moto)", rds.delete_db_cluster(
        DBClusterIdentifier="ocds-db-protected", SkipFinalSnapshot=True)["DBCluster"]["DBClusterIdentifier"] == "ocds-db-protected")

    # --- wrong secret / unknown key
    bad_v2 = client(server, "sesv2", kid, "x" * 40)
    expect_error("wrong secret, sesv2 GET", "SignatureDoesNotMatch",
                 lambda: bad_v2.get_email_identity(EmailIdentity="example.org"), 403)
    expect_error("wrong secret, sesv2 POST", "SignatureDoesNotMatch",
                 lambda: bad_v2.create_email_identity(EmailIdentity="new.example"), 403)
    expect_error("wrong secret, sesv2 DELETE", "SignatureDoesNotMatch",
                 lambda: bad_v2.delete_email_identity(EmailIdentity="example.org"), 403)
    expect_error("wrong secret, ses query (companion)", "SignatureDoesNotMatch",
                 lambda: client(server, "ses", kid, "x" * 40).get_identity_notification_attributes(
                     Identities=["example.org"]), 403)
    expect_error("wrong secret, rds query (companion)", "SignatureDoesNotMatch",
                 lambda: client(server, "rds", kid, "x" * 40).describe_db_engine_versions(), 403)
    expect_error("wrong secret, sns (moto)", "SignatureDoesNotMatch",
                 lambda: client(server, "sns", kid, "x" * 40).list_topics(), 403)
    expect_error("unknown key id, sesv2", "UnrecognizedClientException",
                 lambda: client(server, "sesv2", "AKIAIOSFODNN7EXAMPLE", secret).get_account(), 403)
    iam_signed = client(server, "iam", kid, secret)
    iam_signed.create_user(UserName="no-policy")
    weak = iam_signed.create_access_key(UserName="no-policy")["AccessKey"]
    expect_error("user without a policy, sesv2 (companion, like moto)", "AccessDeniedException",
                 lambda: client(server, "sesv2", weak["AccessKeyId"], weak["SecretAccessKey"]).get_account(), 403)
    expect_error("user without a policy, rds query (companion)", "AccessDenied",
                 lambda: client(server, "rds", weak["AccessKeyId"], weak["SecretAccessKey"])
                 .describe_db_engine_versions(), 403)
    try:
        urllib.request.urlopen(server.url + "/v2/email/account", timeout=10)
        check("unsigned sesv2 request refused", False, "no error")
    except urllib.error.HTTPError as err:
        check("unsigned sesv2 request refused", err.code == 403
              and err.headers.get("x-amzn-ErrorType") == "MissingAuthenticationTokenException")
    check("identity untouched by rejected calls",
          sesv2.get_email_identity(EmailIdentity="example.org")["VerificationStatus"] == "SUCCESS")

    # --- oracle
    oracle_checks(server)

    # --- reset: moto and companion state gone, bootstrap possible again
    status, _ = server.post("/ocds-testbed/reset")
    check("control reset", status == 200)
    check("after reset: unsigned bootstrap works again, no identities",
          client(server, "sesv2").list_email_identities()["EmailIdentities"] == []
          and client(server, "iam").list_users()["Users"] == [])
    check("after reset: account state back to defaults", "Details" not in client(server, "sesv2").get_account())


def oracle_checks(server):
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "botocore_oracle.py")], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)

    def ask(obj):
        proc.stdin.write((obj if isinstance(obj, str) else json.dumps(obj)) + "\n")
        proc.stdin.flush()
        return json.loads(proc.stdout.readline())

    try:
        check("oracle ping", ask({"cmd": "ping"}) == {"ok": True, "botocore": botocore_oracle.botocore.__version__})
        out = ask({"cmd": "serialize", "service": "sesv2", "operation": "CreateEmailIdentity",
                   "params": {"EmailIdentity": "example.org"}, "region": REGION})
        check("oracle serialize rest-json POST", out.get("method") == "POST" and out["path"] == "/v2/email/identities"
              and out["body_kind"] == "json" and out["body"] == {"EmailIdentity": "example.org"}
              and out["headers"].get("content-type") == "application/json", str(out))
        out = ask({"cmd": "serialize", "service": "sesv2", "operation": "GetEmailIdentity",
                   "params": {"EmailIdentity": "ops+alerts@example.org"}})
        check("oracle serialize rest-json GET path encoding",
              out.get("path") == "/v2/email/identities/ops%2Balerts%40example.org" and out["body_kind"] == "empty",
              str(out))
        out = ask({"cmd": "serialize", "service": "sesv2", "operation": "ListSuppressedDestinations",
                   "params": {"StartDate": "2026-01-02T03:04:05Z", "PageSize": 10}})
        check("oracle serialize timestamp in query string",
              out.get("query", {}).get("StartDate") == ["2026-01-02T03:04:05Z"], str(out))
        out = ask({"cmd": "serialize", "service": "sesv2", "operation": "SendEmail",
                   "params": {"Content": {"Raw": {"Data": "aGVsbG8="}}}})
        check("oracle serialize blob", out.get("body", {}).get("Content", {}).get("Raw", {}).get("Data") == "aGVsbG8=",
              str(out))
        out = ask({"cmd": "serialize", "service": "ses", "operation": "SetIdentityHeadersInNotificationsEnabled",
                   "params": {"Identity": "example.org", "NotificationType": "Bounce", "Enabled": True}})
        check("oracle serialize query form", out.get("body_kind") == "form" and out["body"] == {
            "Action": "SetIdentityHeadersInNotificationsEnabled", "Version": "2010-12-01", "Identity": "example.org",
            "NotificationType": "Bounce", "Enabled": "true"}, str(out))
        out = ask({"cmd": "serialize", "service": "rds", "operation": "CreateDBSubnetGroup",
                   "params": {"DBSubnetGroupName": "g", "DBSubnetGroupDescription": "d", "SubnetIds": ["a", "b"],
                              "Tags": [{"Key": "k", "Value": "v"}]}})
        check("oracle serialize rds list naming", out.get("body", {}).get("SubnetIds.SubnetIdentifier.2") == "b"
              and out["body"].get("Tags.Tag.1.Key") == "k", str(out))
        raw = raw_responses.get("sesv2.GetEmailIdentity")
        out = ask({**raw, "cmd": "parse", "body": raw["body"].decode()})
        check("oracle parse of a captured companion response", out.get("error") is None
              and out["validation_errors"] == [] and out["parsed"]["IdentityType"] == "DOMAIN", str(out)[:300])
        raw = raw_responses.get("rds.DescribeDBEngineVersions")
        out = ask({**raw, "cmd": "parse", "body": raw["body"].decode()})
        check("oracle parse of a captured query response",
              out.get("validation_errors") == [] and out["parsed"]["DBEngineVersions"], str(out)[:300])
        out = ask({"cmd": "parse", "service": "sesv2", "operation": "GetEmailIdentity", "status": 404,
                   "headers": {"x-amzn-ErrorType": "NotFoundException"}, "body": '{"message":"gone"}'})
        check("oracle parse rest-json error", out.get("error") == {"Code": "NotFoundException", "Message": "gone",
                                                                   "Modeled": True}, str(out))
        out = ask({"cmd": "parse", "service": "ses", "operation": "GetIdentityNotificationAttributes", "status": 200,
                   "headers": {}, "body": "<GetIdentityNotificationAttributesResponse><GetIdentityNotificationAttributesResult>"
                   "<NotificationAttributes><entry><key>a</key><value><ForwardingEnabled>True</ForwardingEnabled>"
                   "</value></entry></NotificationAttributes></GetIdentityNotificationAttributesResult>"
                   "</GetIdentityNotificationAttributesResponse>"})
        check("oracle flags a bad XML boolean", any("valid boolean" in e for e in out.get("validation_errors", [])),
              str(out))
        check("oracle survives garbage", "exception" in ask("not json") and ask({"cmd": "ping"}).get("ok") is True)
    finally:
        proc.stdin.close()
        proc.wait(5)


def main():
    started = time.time()
    server = Server()
    try:
        run(server)
    except Exception as exc:  # an unexpected error is a failure, not a crash without a summary
        import traceback
        traceback.print_exc()
        check(f"unexpected {type(exc).__name__}", False, str(exc))
    finally:
        server.stop()
    if results["failed"]:
        print("--- ocds_moto.py stderr (tail) ---\n" + server.stderr())
    print(f"({time.time() - started:.1f}s)")
    print(f"selftest: {results['passed']} passed, {len(results['failed'])} failed")
    sys.exit(1 if results["failed"] else 0)


if __name__ == "__main__":
    main()
