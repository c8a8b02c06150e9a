#!/usr/bin/env python3
"""moto's own server plus the OcdsAws companion, in ONE process with ONE state.

    python3 tests/testbed/ocds_moto.py --port PORT [--host 127.0.0.1] [--verbose]

Prints `READY http://<host>:<port>` once listening (port 0 = a free port). SIGTERM/SIGINT stop it.
Signature checking is moto's: env INITIAL_NO_AUTH_ACTION_COUNT=N lets N calls through unsigned,
after that every call must be signed with a key that moto's IAM backend holds.

A thin WSGI layer in front of moto's DomainDispatcherApplication answers the operations below and
forwards everything else to moto untouched. Each handler reads and writes moto's OWN backend models
(moto.ses / moto.sesv2 / moto.rds), so any client reading moto back sees one consistent state, and
moto's reset wipes the companion's state too (it lives as attributes of moto's backend objects).

  SESv2 (rest-json)  CreateEmailIdentity GetEmailIdentity ListEmailIdentities DeleteEmailIdentity
                     PutEmailIdentityMailFromAttributes GetAccount PutAccountDetails
                     PutAccountSuppressionAttributes
  SES   (query)      SetIdentityHeadersInNotificationsEnabled GetIdentityNotificationAttributes
                     DeleteReceiptRule
                     Throttling of SetIdentityNotificationTopic, SetIdentityHeadersInNotificationsEnabled and
                     CreateReceiptRule: once per second per account and region
  RDS   (query)      DescribeDBEngineVersions EnableHttpEndpoint DisableHttpEndpoint
                     (and CreateDBCluster's EnableHttpEndpoint, which moto ignores for Serverless v2)
  test-only          POST /ocds-testbed/reset
                     POST /ocds-testbed/sesv2/identity-status
                     POST /ocds-testbed/sesv2/account-review
                     POST /ocds-testbed/ses/deliver-verification-mail  (plays SES delivering through the active rule set)
                     GET  /ocds-testbed/health
                     GET  /ocds-testbed/iam/secret?access_key_id=AKIA...  (the secret moto holds; SMTP tests)

Why each one exists is noted on its handler ("moto gap: ...").
"""
import argparse
import hashlib
import hmac
import io
import json
import os
import re
import secrets
import signal
import string
import sys
import threading
import time
import uuid
from urllib.parse import parse_qsl, unquote, urlsplit
from xml.sax.saxutils import escape

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.serving import WSGIRequestHandler, make_server

from moto import settings
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.authorization import ActionAuthenticatorMixin
from moto.iam.access_control import (CreateAccessKeyFailure, IAMPolicy, PermissionResult,
                                     create_access_key)
from moto.iam.models import get_account_id_from
from moto.moto_api._internal.models import moto_api_backend
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.rds.models import rds_backends
from moto.ses.models import SESFeedback, ses_backends
from moto.ses.utils import get_arn
from moto.sesv2.models import sesv2_backends
from moto.utilities.utils import get_partition

BOTO = botocore.session.get_session()
MODELS = {name: BOTO.get_service_model(name) for name in ("ses", "sesv2", "rds")}
QUERY_VERSIONS = {"2010-12-01": "ses", "2014-10-31": "rds"}  # fallback when a request is unsigned
LOCK = threading.RLock()  # werkzeug serves on threads; handlers mutate moto's models


class ApiError(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def _now():
    return time.time()


def _request_id():
    return str(uuid.uuid4())


# ------------------------------------------------------------------ responses
def json_response(body, status=200, extra_headers=None):
    headers = {"Content-Type": "application/json", "x-amzn-RequestId": _request_id()}
    headers.update(extra_headers or {})
    return status, headers, json.dumps(body).encode()


def json_error(err):
    # rest-json errors: botocore reads the code from x-amzn-ErrorType, the message from "message".
    return json_response({"message": err.message}, err.status, {"x-amzn-ErrorType": err.code})


def _xml_value(shape, value, name):
    """Serialize `value` as element `name` following the botocore shape (query protocol rules)."""
    kind = shape.type_name
    if kind == "structure":
        inner = _xml_members(shape, value)
    elif kind == "list":
        member_name = shape.member.serialization.get("name", "member")
        items = "".join(_xml_value(shape.member, v, member_name) for v in value)
        if shape.serialization.get("flattened"):
            return "".join(_xml_value(shape.member, v, name) for v in value)
        inner = items
    elif kind == "map":
        kn = shape.key.serialization.get("name", "key")
        vn = shape.value.serialization.get("name", "value")
        inner = "".join(f"<entry>{_xml_value(shape.key, k, kn)}{_xml_value(shape.value, v, vn)}</entry>"
                        for k, v in value.items())
    elif kind == "boolean":
        inner = "true" if value else "false"
    elif kind == "timestamp":
        inner = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(value))
    else:
        inner = escape(str(value))
    return f"<{name}>{inner}</{name}>"


def _xml_members(shape, value):
    return "".join(_xml_value(m, value[k], m.serialization.get("name", k))
                   for k, m in shape.members.items() if value.get(k) is not None)


def query_response(service, operation, result):
    """<XResponse xmlns=..><XResult>..</XResult><ResponseMetadata>..</ResponseMetadata></XResponse>"""
    model = MODELS[service]
    out = model.operation_model(operation).output_shape
    wrapper = out.serialization.get("resultWrapper", f"{operation}Result")
    body = (f'<{operation}Response xmlns="{model.metadata["xmlNamespace"]}">'
            f"<{wrapper}>{_xml_members(out, result)}</{wrapper}>"
            f"<ResponseMetadata><RequestId>{_request_id()}</RequestId></ResponseMetadata>"
            f"</{operation}Response>")
    return 200, {"Content-Type": "text/xml"}, body.encode()


def query_error(service, err):
    ns = MODELS[service].metadata.get("xmlNamespace", "") if service in MODELS else ""
    body = (f'<ErrorResponse xmlns="{ns}"><Error><Type>Sender</Type><Code>{escape(err.code)}</Code>'
            f"<Message>{escape(err.message)}</Message></Error>"
            f"<RequestId>{_request_id()}</RequestId></ErrorResponse>")
    return err.status, {"Content-Type": "text/xml"}, body.encode()


# ------------------------------------------------------------------ request context
class Ctx:
    """What the handlers need from one HTTP request."""

    AUTH_RE = re.compile(r"AWS4-HMAC-SHA256\s+Credential=([^/,]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request,"
                         r"\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-fA-F]+)")

    def __init__(self, environ):
        self.environ = environ
        self.method = environ["REQUEST_METHOD"].upper()
        # The raw (still percent-encoded) path is what the client signed; PATH_INFO is decoded.
        raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/")
        parts = urlsplit(raw)
        self.raw_path, self.raw_query = parts.path, parts.query
        self.headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            self.headers["content-type"] = environ["CONTENT_TYPE"]
        if environ.get("CONTENT_LENGTH"):
            self.headers["content-length"] = environ["CONTENT_LENGTH"]
        self.auth = self.AUTH_RE.match(self.headers.get("authorization", ""))
        self.key_id, self.region, self.service = (
            (self.auth.group(1), self.auth.group(3), self.auth.group(4).lower()) if self.auth
            else (None, "us-east-1", None))
        self._body = None

    @property
    def body(self):
        """Read the body once and put it back so moto can read it again if we forward."""
        if self._body is None:
            length = int(self.environ.get("CONTENT_LENGTH") or 0)
            if length:
                self._body = self.environ["wsgi.input"].read(length)
            elif self.environ.get("wsgi.input_terminated"):  # chunked: werkzeug de-chunks, EOF ends it
                self._body = self.environ["wsgi.input"].read()
            else:
                self._body = b""
            self.environ["wsgi.input"] = io.BytesIO(self._body)
            self.environ["CONTENT_LENGTH"] = str(len(self._body))
        return self._body

    @property
    def account(self):
        # Same precedence as moto's BaseResponse.get_current_account.
        if "MOTO_ACCOUNT_ID" in os.environ:
            return os.environ["MOTO_ACCOUNT_ID"]
        if "x-moto-account-id" in self.headers:
            return self.headers["x-moto-account-id"]
        return get_account_id_from(self.key_id) if self.key_id else DEFAULT_ACCOUNT_ID

    def authenticate(self, iam_action, rest_json):
        """SigV4 + IAM policy check with moto's keys and moto's counter; raises ApiError.

        moto gap: moto's own check rebuilds the canonical request wrongly for body-less requests
        (SESv2 GET/DELETE are rejected even when correctly signed), so intercepted operations are
        verified here instead, against the secret moto's IAM backend holds for the key id."""
        with LOCK:
            if ActionAuthenticatorMixin.request_count < settings.INITIAL_NO_AUTH_ACTION_COUNT:
                ActionAuthenticatorMixin.request_count += 1  # counts like any moto call
                return
        # Error codes as AWS names them in each protocol.
        missing, invalid, denied = (("MissingAuthenticationTokenException", "UnrecognizedClientException",
                                     "AccessDeniedException") if rest_json
                                    else ("MissingAuthenticationToken", "InvalidClientTokenId", "AccessDenied"))
        if not self.auth:
            raise ApiError(missing, "Request is missing Authentication Token", 403)
        key_id, _, region, service, signed, signature = self.auth.groups()
        token = {"X-Amz-Security-Token": self.headers["x-amz-security-token"]} \
            if "x-amz-security-token" in self.headers else {}
        try:  # moto's lookup: IAM user keys and STS session keys
            key = create_access_key(self.account, get_partition(region), key_id, token)
        except CreateAccessKeyFailure:
            raise ApiError(invalid, "The security token included in the request is invalid.", 403)
        names = signed.split(";")
        req = AWSRequest(method=self.method, url="http://" + self.headers.get("host", "localhost") + self.raw_path,
                         data=self.body, headers={n: self.headers.get(n, "") for n in names},
                         params=parse_qsl(self.raw_query, keep_blank_values=True))
        req.context["timestamp"] = self.headers.get("x-amz-date", "")
        signer = SigV4Auth(key.create_credentials(), service, region)
        expected = signer.signature(signer.string_to_sign(req, signer.canonical_request(req)), req)
        # botocore trusts a signed x-amz-content-sha256 header; AWS checks it against the body.
        claimed = self.headers.get("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
        body_ok = claimed == "UNSIGNED-PAYLOAD" or claimed == hashlib.sha256(self.body).hexdigest()
        if not (body_ok and hmac.compare_digest(expected, signature.lower())):
            raise ApiError("SignatureDoesNotMatch",
                           "The request signature we calculated does not match the signature you provided. "
                           "Check your AWS Secret Access Key and signing method. Consult the service "
                           "documentation for details.", 403)
        # Same rule as moto applies to the calls it serves: a key's user needs a policy allowing the action.
        action = f"{service}:{iam_action}"
        verdicts = [IAMPolicy(p).is_action_permitted(action, "*") for p in key.collect_policies()]
        if PermissionResult.DENIED in verdicts or PermissionResult.PERMITTED not in verdicts:
            raise ApiError(denied, f"User: {key.arn} is not authorized to perform: {action}", 403)


# ------------------------------------------------------------------ SESv2 (rest-json)
DKIM_STATUSES = ["PENDING", "SUCCESS", "FAILED", "TEMPORARY_FAILURE", "NOT_STARTED"]
MX_FAILURE = {"USE_DEFAULT_VALUE": "UseDefaultValue", "REJECT_MESSAGE": "RejectMessage"}  # v2 -> classic


def _ses(ctx):
    return ses_backends[ctx.account][ctx.region]


def _name(identity):
    return identity if "@" in identity else identity.lower()  # domains are case-insensitive


def _identity(ctx, name):
    ident = _ses(ctx).email_identities.get(_name(name))
    if ident is None:
        raise ApiError("NotFoundException", f"Email identity {name} does not exist.", 404)
    return ident


def _dkim_token():
    return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(32))


# Easy DKIM's hosted zone per region. SESv2 returns it as DkimAttributes.SigningHostedZone, "the DNS zone that
# customers must reference when configuring their CNAME records" (botocore sesv2 model, DkimAttributes). AWS General
# Reference, "Amazon SES endpoints and quotas" (https://docs.aws.amazon.com/general/latest/gr/ses.html#ses_dkim_domains)
# lists the regions with a zone of their own. Not confirmed here from AWS's page itself (not readable through the
# search tool): the rows below are those that public Terraform modules citing that section give (2025-2026 copies);
# af-south-1 is also in botocore-independent public tests. Every other region: dkim.amazonses.com.
REGIONAL_DKIM_ZONES = {region: f"dkim.{region}.amazonses.com" for region in (
    "af-south-1", "ap-northeast-3", "ap-south-2", "ap-southeast-3", "ap-southeast-5", "ca-west-1", "eu-central-2",
    "eu-south-1", "il-central-1", "me-central-1", "us-gov-east-1")}


def _signing_hosted_zone(region):
    return REGIONAL_DKIM_ZONES.get(region, "dkim.amazonses.com")


def create_email_identity(ctx, p):
    """moto gap: moto's CreateEmailIdentity returns no Easy DKIM tokens and status NOT_STARTED."""
    ses, name = _ses(ctx), _name(p.get("EmailIdentity") or "")
    if not name:
        raise ApiError("BadRequestException", "EmailIdentity is required.")
    if name in ses.email_identities:
        raise ApiError("AlreadyExistsException", f"Email identity {name} already exist.")
    # moto's own model: SES classic list_identities etc. see it at once.
    ident = ses.create_email_identity_v2(name, p.get("Tags") or None, None, p.get("ConfigurationSetName"))
    ident.verification_status, ident.verified_for_sending_status = "PENDING", False
    dkim = p.get("DkimSigningAttributes") or {}
    if ident.identity_type == "DOMAIN":
        if dkim.get("DomainSigningPrivateKey"):  # BYODKIM: the token is the caller's selector
            ident.dkim_attributes = {"SigningEnabled": True, "Status": "PENDING", "SigningAttributesOrigin": "EXTERNAL",
                                     "Tokens": [dkim.get("DomainSigningSelector", "")]}
        else:  # Easy DKIM: 3 tokens, CNAME <t>._domainkey.<domain> -> <t>.<SigningHostedZone>
            length = dkim.get("NextSigningKeyLength", "RSA_2048_BIT")
            tokens = [_dkim_token() for _ in range(3)]
            ses.dkim_tokens[name] = tokens  # SES classic GetIdentityDkimAttributes shows the same tokens
            ident.dkim_attributes = {"SigningEnabled": True, "Status": "PENDING", "Tokens": tokens,
                                     "SigningHostedZone": _signing_hosted_zone(ctx.region),
                                     "SigningAttributesOrigin": dkim.get("DomainSigningAttributesOrigin", "AWS_SES"),
                                     "NextSigningKeyLength": length, "CurrentSigningKeyLength": length,
                                     "LastKeyGenerationTimestamp": _now()}
    return {"IdentityType": ident.identity_type, "VerifiedForSendingStatus": False,
            "DkimAttributes": ident.dkim_attributes}


def _identity_view(ctx, ident):
    ses, name = _ses(ctx), ident.email_identity
    topics = ses.sns_topics.get(name, {})
    out = {"IdentityType": ident.identity_type,
           "FeedbackForwardingStatus": topics.get(SESFeedback.FORWARDING_ENABLED, True),
           "VerifiedForSendingStatus": ident.verified_for_sending_status,
           "DkimAttributes": ident.dkim_attributes,
           "Policies": dict(ident.policies or {}),
           "Tags": ses.tagger.list_tags_for_resource(get_arn(ses, "ses", f"email-identity/{name}"))["Tags"],
           "VerificationStatus": ident.verification_status}
    if ident.configuration_set_name:
        out["ConfigurationSetName"] = ident.configuration_set_name
    mail_from = ses.identity_mail_from_domains.get(name)
    if mail_from and mail_from.get("mail_from_domain"):
        behavior = {v: k for k, v in MX_FAILURE.items()}.get(mail_from.get("behavior_on_mx_failure"),
                                                            "USE_DEFAULT_VALUE")
        out["MailFromAttributes"] = {"MailFromDomain": mail_from["mail_from_domain"],
                                     "MailFromDomainStatus": mail_from.get("ocds_status", "SUCCESS"),
                                     "BehaviorOnMxFailure": behavior}
    return out


def get_email_identity(ctx, p):
    """moto gap: moto's GetEmailIdentity fails its own signature check (body-less GET)."""
    return _identity_view(ctx, _identity(ctx, p["EmailIdentity"]))


def list_email_identities(ctx, p):
    """moto gap: body-less GET fails moto's signature check."""
    items = [{"IdentityType": i.identity_type, "IdentityName": i.email_identity,
              "SendingEnabled": i.sending_enabled, "VerificationStatus": i.verification_status}
             for i in _ses(ctx).email_identities.values()]
    start, size = int(p.get("NextToken") or 0), int(p.get("PageSize") or 1000)
    out = {"EmailIdentities": items[start:start + size]}
    if start + size < len(items):
        out["NextToken"] = str(start + size)
    return out


def delete_email_identity(ctx, p):
    """moto gap: body-less DELETE fails moto's signature check."""
    ses, ident = _ses(ctx), _identity(ctx, p["EmailIdentity"])
    name = ident.email_identity
    del ses.email_identities[name]
    for store in (ses.dkim_tokens, ses.identity_mail_from_domains, ses.sns_topics):
        store.pop(name, None)
    return {}


def put_email_identity_mail_from_attributes(ctx, p):
    """moto gap: not implemented. Stored where moto's SES classic MAIL FROM operations keep it."""
    ses, ident = _ses(ctx), _identity(ctx, p["EmailIdentity"])
    name, domain = ident.email_identity, p.get("MailFromDomain")
    if not domain:
        ses.identity_mail_from_domains.pop(name, None)
        return {}
    parent = name.split("@")[-1]
    if not domain.lower().endswith("." + parent):
        raise ApiError("BadRequestException", f"Provided MAIL-FROM domain '{domain}' is not subdomain of "
                                              f"the domain of the identity '{parent}'.")
    ses.identity_mail_from_domains[name] = {
        "mail_from_domain": domain.lower(),
        "behavior_on_mx_failure": MX_FAILURE[p.get("BehaviorOnMxFailure") or "USE_DEFAULT_VALUE"],
        "ocds_status": "PENDING"}  # SES answers PENDING until it has seen the MX record
    return {}


def _account(ctx):
    """Per account+region SESv2 account state, kept on moto's sesv2 backend so moto's reset clears it."""
    backend = sesv2_backends[ctx.account][ctx.region]
    if not hasattr(backend, "ocds_account"):
        backend.ocds_account = {"DedicatedIpAutoWarmupEnabled": False, "EnforcementStatus": "HEALTHY",
                                "ProductionAccessEnabled": False, "SendingEnabled": True,
                                "SuppressionAttributes": {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]}}
    return backend.ocds_account


def get_account(ctx, p):
    """moto gap: not implemented. A new account is in the sandbox (200/day, 1/s)."""
    out = json.loads(json.dumps(_account(ctx)))
    quota = _ses(ctx).get_send_quota()
    out["SendQuota"] = {"Max24HourSend": float(quota.max24_hour_send), "MaxSendRate": float(quota.max_send_rate),
                        "SentLast24Hours": float(quota.sent_last24_hours)}
    return out


def put_account_details(ctx, p):
    """moto gap: not implemented. Asking for production access opens a review; access stays off."""
    for required in ("MailType", "WebsiteURL"):
        if not p.get(required):
            raise ApiError("BadRequestException", f"{required} is required.")
    account = _account(ctx)
    # botocore sesv2 model, PutAccountDetails errors: ConflictException (HTTP 409), "If there is already an ongoing
    # account details update under review." The message text is ours (not confirmed here: AWS's own wording).
    if account.get("Details", {}).get("ReviewDetails", {}).get("Status") == "PENDING":
        raise ApiError("ConflictException", "There is already an ongoing account details update under review.", 409)
    details = {k: p[k] for k in ("MailType", "WebsiteURL", "ContactLanguage", "UseCaseDescription",
                                 "AdditionalContactEmailAddresses") if p.get(k) is not None}
    details["ReviewDetails"] = {"Status": "PENDING", "CaseId": str(secrets.randbelow(10 ** 10)).zfill(10)}
    account["Details"], account["ProductionAccessEnabled"] = details, False
    return {}


def put_account_suppression_attributes(ctx, p):
    """moto gap: not implemented."""
    reasons = p.get("SuppressedReasons") or []
    if any(r not in ("BOUNCE", "COMPLAINT") for r in reasons):
        raise ApiError("BadRequestException", "SuppressedReasons must be BOUNCE or COMPLAINT.")
    _account(ctx)["SuppressionAttributes"] = {"SuppressedReasons": list(dict.fromkeys(reasons))}
    return {}


SESV2_ROUTES = [  # (method, path regex, operation, handler); paths from botocore's sesv2 model
    ("POST", r"/v2/email/identities/?", "CreateEmailIdentity", create_email_identity),
    ("GET", r"/v2/email/identities/?", "ListEmailIdentities", list_email_identities),
    ("GET", r"/v2/email/identities/(?P<EmailIdentity>[^/]+)", "GetEmailIdentity", get_email_identity),
    ("DELETE", r"/v2/email/identities/(?P<EmailIdentity>[^/]+)", "DeleteEmailIdentity", delete_email_identity),
    ("PUT", r"/v2/email/identities/(?P<EmailIdentity>[^/]+)/mail-from", "PutEmailIdentityMailFromAttributes",
     put_email_identity_mail_from_attributes),
    ("GET", r"/v2/email/account/?", "GetAccount", get_account),
    ("POST", r"/v2/email/account/details", "PutAccountDetails", put_account_details),
    ("PUT", r"/v2/email/account/suppression", "PutAccountSuppressionAttributes", put_account_suppression_attributes),
]


def handle_sesv2(ctx):
    for method, pattern, operation, handler in SESV2_ROUTES:
        m = re.fullmatch(pattern, ctx.raw_path)
        if method != ctx.method or not m:
            continue
        try:
            ctx.authenticate(operation, rest_json=True)
            params = dict(parse_qsl(ctx.raw_query))
            if ctx.body:
                params.update(json.loads(ctx.body))
            params.update({k: unquote(v) for k, v in m.groupdict().items()})
            with LOCK:
                return json_response(handler(ctx, params))
        except ApiError as err:
            return json_error(err)
        except (ValueError, KeyError) as err:
            return json_error(ApiError("BadRequestException", f"Invalid request: {err}"))
    return None  # everything else goes to moto


# ------------------------------------------------------------------ SES classic (query)
HEADER_FLAGS = {t: f"HeadersIn{t}NotificationsEnabled" for t in ("Bounce", "Complaint", "Delivery")}


def _members(form, name):
    """Query list `Name.member.N` -> [values] in N order."""
    found = [(int(k.rsplit(".", 1)[1]), v) for k, v in form.items() if re.fullmatch(rf"{name}\.member\.\d+", k)]
    return [v for _, v in sorted(found)]


def set_identity_headers_in_notifications_enabled(ctx, form):
    """moto gap: not implemented. Kept beside the topics in moto's SESBackend.sns_topics."""
    ses, identity, kind = _ses(ctx), form.get("Identity", ""), form.get("NotificationType")
    if kind not in HEADER_FLAGS:
        raise ApiError("InvalidParameterValue", "NotificationType must be Bounce, Complaint or Delivery.")
    if identity not in ses.email_identities:
        raise ApiError("InvalidParameterValue", f"Identity '{identity}' does not exist.")
    ses.sns_topics.setdefault(identity, {})[HEADER_FLAGS[kind]] = form.get("Enabled", "").lower() == "true"
    return {}


VERIFICATION_MAIL = """\
Return-Path: <0101019ad0a1b2c3-{id}-000000@{region}.amazonses.com>
Received: from a27-10.smtp-out.{region}.amazonses.com by inbound-smtp.{region}.amazonaws.com with SMTP id {id}
 for {address}; {date}
X-SES-Spam-Verdict: PASS
X-SES-Virus-Verdict: PASS
From: Amazon Web Services <no-reply-aws@amazon.com>
To: {address}
Subject: Amazon Web Services - Email Address Verification Request in region {region}
Date: {date}
Message-ID: <0101019ad0a1b2c3-{id}-000000@{region}.amazonses.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Dear Amazon Web Services Customer,

We have received a request to authorize this email address for use with Amazon SES and Amazon Pinpoint in region {region}. If you requested this verification, please go to the following URL to confirm that you are authorized to use this email address:

https://email-verification.{region}.amazonaws.com/?Context={account}&X-Amz-Date={stamp}&Identity.IdentityName={quoted}&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-SignedHeaders=host&Operation=ConfirmVerification&Namespace=Bacon&X-Amz-Signature={signature}

Your request will not be processed unless you confirm the address using this URL. This link expires 24 hours after your original verification request.

Sincerely,

The Amazon Web Services Team.
"""


def deliver_verification_mail(ctx, address):
    """moto gap (test-only control): moto sends no mail, so nothing reaches a receipt rule. This plays SES
    delivering its verification mail to `address` through the ACTIVE rule set: the first enabled rule whose
    recipients match gets the message written by its S3 action, as SES's S3 action stores it."""
    from email.utils import formatdate
    from urllib.parse import quote
    from moto.s3.models import s3_backends
    ses = _ses(ctx)
    rule_set = next((rs for rs in ses.receipt_rule_set.values() if rs.is_active), None)
    active = getattr(rule_set, "name", None)
    if rule_set is None:
        raise ApiError("BadRequest", "no receipt rule set is active: SES would not receive this mail")
    domain = address.split("@")[-1].lower()
    # SES receives only for domains that are verified identities in the region ("email addresses have to belong to
    # one of your verified domain identities", SES developer guide, email receiving considerations).
    identity = ses.email_identities.get(domain)
    if identity is None or getattr(identity, "verification_status", None) != "SUCCESS":
        raise ApiError("BadRequest", f"{domain} is not a verified domain identity in {ctx.region}: SES would not receive this mail")
    for rule in rule_set.rules:
        recipients = [r.lower() for r in rule.get("Recipients", [])]
        if rule.get("Enabled") is False or (recipients and address.lower() not in recipients and domain not in recipients):
            continue
        for action in rule.get("Actions", []):
            s3 = action.get("S3Action")
            if not s3:
                continue
            message_id = uuid.uuid4().hex
            now = time.gmtime()
            body = VERIFICATION_MAIL.format(
                id=message_id, region=ctx.region, address=address, account=ctx.account, quoted=quote(address, safe=""),
                date=formatdate(usegmt=True), stamp=time.strftime("%Y%m%dT%H%M%SZ", now), signature=secrets.token_hex(32))
            key = s3.get("ObjectKeyPrefix", "") + message_id
            s3_backends[ctx.account]["aws"].put_object(s3["BucketName"], key, body.replace("\n", "\r\n").encode())
            return {"bucket": s3["BucketName"], "key": key}
    raise ApiError("BadRequest", f"no rule of the active rule set {active} stores mail for {address} in S3")


def delete_receipt_rule(ctx, form):
    """moto gap: DeleteReceiptRule crashes with a 500 in moto 5.2.1. SES deletes the rule from the set
    (a rule that is not there is no error); an unknown rule set is RuleSetDoesNotExist."""
    rule_set = _ses(ctx).receipt_rule_set.get(form.get("RuleSetName", ""))
    if rule_set is None:
        raise ApiError("RuleSetDoesNotExist", f"Rule set does not exist: {form.get('RuleSetName')}")
    rule_set.rules[:] = [r for r in rule_set.rules if r.get("Name") != form.get("RuleName")]
    return {}


def get_identity_notification_attributes(ctx, form):
    """moto gap: moto answers HeadersIn* false always and drops the topics it stored via
    SetIdentityNotificationTopic. Read moto's stored topics; unset topics are omitted, as SES does."""
    ses, result = _ses(ctx), {}
    for identity in _members(form, "Identities"):
        if identity not in ses.email_identities:
            continue
        stored = ses.sns_topics.get(identity, {})
        attrs = {"ForwardingEnabled": stored.get(SESFeedback.FORWARDING_ENABLED, True)}
        attrs.update({flag: stored.get(flag, False) for flag in HEADER_FLAGS.values()})
        attrs.update({f"{t}Topic": stored[t] for t in HEADER_FLAGS if stored.get(t)})
        result[identity] = attrs
    return {"NotificationAttributes": result}


# ------------------------------------------------------------------ RDS (query)
# Aurora PostgreSQL versions: Serverless v2 auto-pause (MinCapacity 0) on >= 13.15/14.12/15.7/16.3,
# 256 ACUs on >= 13.13/14.10/15.5/16.1 (else 128), Data API on v2 >= 13.11/14.8/15.3/16.1.
APG_VERSIONS = ["13.12", "13.15", "14.8", "14.12", "15.3", "15.7", "16.1", "16.3", "16.4"]
APG_DEFAULT = "15.7"
APG_AUTO_PAUSE = {"13": (13, 15), "14": (14, 12), "15": (15, 7), "16": (16, 3)}
APG_256_ACU = {"13": (13, 13), "14": (14, 10), "15": (15, 5), "16": (16, 1)}
APG_SERVERLESS_V1 = {"13.12"}  # Serverless v1 (end of life 2025-03-31) also listed "serverless"


def _version_key(v):
    return tuple(int(x) for x in v.split("."))


def _apg_version(v):
    major, key = v.split(".")[0], _version_key(v)
    return {
        "Engine": "aurora-postgresql", "EngineVersion": v, "MajorEngineVersion": major,
        "DBParameterGroupFamily": f"aurora-postgresql{major}",
        "DBEngineDescription": "Aurora (PostgreSQL)",
        "DBEngineVersionDescription": f"Aurora PostgreSQL (Compatible with PostgreSQL {v})",
        "ValidUpgradeTarget": [{"Engine": "aurora-postgresql", "EngineVersion": t,
                                "Description": f"Aurora PostgreSQL (Compatible with PostgreSQL {t})",
                                "AutoUpgrade": False, "IsMajorVersionUpgrade": t.split(".")[0] != major}
                               for t in APG_VERSIONS if _version_key(t) > key],
        "ExportableLogTypes": ["postgresql"], "SupportsLogExportsToCloudwatchLogs": True,
        "SupportsReadReplica": False,
        "SupportedEngineModes": ["provisioned", "serverless"] if v in APG_SERVERLESS_V1 else ["provisioned"],
        "SupportedFeatureNames": ["Lambda", "s3Export", "s3Import"],
        "Status": "available", "SupportsParallelQuery": False, "SupportsGlobalDatabases": True,
        "SupportsBabelfish": True, "SupportsLimitlessDatabase": False, "SupportsIntegrations": False,
        "ServerlessV2FeaturesSupport": {"MinCapacity": 0.0 if key >= APG_AUTO_PAUSE[major] else 0.5,
                                        "MaxCapacity": 256.0 if key >= APG_256_ACU[major] else 128.0},
    }


def describe_db_engine_versions(ctx, form):
    """moto gap: not implemented (moto answers no usable XML)."""
    engine, version = form.get("Engine"), form.get("EngineVersion")
    versions = [] if engine not in (None, "aurora-postgresql") else APG_VERSIONS
    if version:
        versions = [v for v in versions if v == version]
    if form.get("DefaultOnly", "").lower() == "true":
        versions = [v for v in versions if v == APG_DEFAULT]
    return {"DBEngineVersions": [_apg_version(v) for v in versions]}


def _set_http_endpoint(ctx, form, enabled):
    arn = form.get("ResourceArn", "")
    for cluster in rds_backends[ctx.account][ctx.region].clusters.values():
        if cluster.arn == arn:
            # moto's setter only accepts Serverless v1 engine versions; v2/provisioned is what we need.
            cluster._enable_http_endpoint = enabled
            return {"ResourceArn": arn, "HttpEndpointEnabled": enabled}
    # botocore's rds model (and the API reference) lists ResourceNotFoundFault, 404, for this operation.
    raise ApiError("ResourceNotFoundFault", f"The specified resource ARN {arn} was not found.", 404)


def enable_http_endpoint(ctx, form):
    """moto gap: not implemented; DescribeDBClusters keeps HttpEndpointEnabled false."""
    return _set_http_endpoint(ctx, form, True)


def disable_http_endpoint(ctx, form):
    """moto gap: not implemented."""
    return _set_http_endpoint(ctx, form, False)


# moto gap: CreateDBCluster's EnableHttpEndpoint is honoured only for Serverless v1 versions (moto's
# DBCluster.enable_http_endpoint setter turns everything else into False). AWS takes it for Aurora clusters at
# creation (botocore rds model, CreateDBClusterMessage.EnableHttpEndpoint: "Valid for Cluster Type: Aurora DB clusters
# only"), so a provisioned (Serverless v2) aurora-postgresql cluster created with it reports HttpEndpointEnabled true.
# Only CreateDBCluster: ModifyDBCluster's EnableHttpEndpoint "applies only to Aurora Serverless v1" (same model).
# Not confirmed here: what AWS answers when the version or region has no Data API; the companion then still turns it on.
try:
    from moto.rds.models import RDSBackend as _RDSBackend
    _moto_create_db_cluster = _RDSBackend.create_db_cluster

    def _create_db_cluster_with_data_api(self, kwargs):
        cluster = _moto_create_db_cluster(self, kwargs)
        wanted = kwargs.get("enable_http_endpoint")
        if (wanted is True or str(wanted).lower() == "true") and cluster.engine == "aurora-postgresql" \
                and (cluster.engine_mode or "provisioned") == "provisioned":
            cluster._enable_http_endpoint = True
        return cluster

    _RDSBackend.create_db_cluster = _create_db_cluster_with_data_api
except (ImportError, AttributeError) as _err:  # a moto without these names: say so, never pretend
    print(f"ocds_moto: cannot honour CreateDBCluster EnableHttpEndpoint on this moto: {_err!r}", file=sys.stderr)


QUERY_HANDLERS = {
    ("ses", "SetIdentityHeadersInNotificationsEnabled"): set_identity_headers_in_notifications_enabled,
    ("ses", "DeleteReceiptRule"): delete_receipt_rule,
    ("ses", "GetIdentityNotificationAttributes"): get_identity_notification_attributes,
    ("rds", "DescribeDBEngineVersions"): describe_db_engine_versions,
    ("rds", "EnableHttpEndpoint"): enable_http_endpoint,
    ("rds", "DisableHttpEndpoint"): disable_http_endpoint,
}


# botocore's ses model documents each of these: "You can execute this operation no more than once per second."
# The companion throttles these three (the ones the runbook calls back to back); AWS documents more (see
# src/OcdsAws.Engine/Aws/OperationSpacing.cs), which are left to moto unthrottled.
ONCE_PER_SECOND = {("ses", "SetIdentityNotificationTopic"), ("ses", "SetIdentityHeadersInNotificationsEnabled"),
                   ("ses", "CreateReceiptRule")}


def throttle_once_per_second(ctx, service, action):
    """moto gap: moto has no rate limits. A second call of a once-per-second operation for the same account and
    region less than a second after the previous one is turned away as AWS's Query services do: error code
    "Throttling", HTTP 400 (botocore/data/_retry.json: the "throttling" retry rule matches service_error_code
    "Throttling" with http_status_code 400). The message "Rate exceeded" is not confirmed here for SES."""
    if (service, action) not in ONCE_PER_SECOND:
        return
    with LOCK:
        backend = _ses(ctx)
        if not hasattr(backend, "ocds_last_call"):
            backend.ocds_last_call = {}  # on moto's backend: moto's reset clears it
        now, last = time.monotonic(), backend.ocds_last_call.get(action)
        if last is not None and now - last < 1.0:
            raise ApiError("Throttling", "Rate exceeded", 400)
        backend.ocds_last_call[action] = now


def handle_query(ctx):
    if ctx.method == "POST" and not ctx.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return None
    form = dict(parse_qsl(ctx.raw_query, keep_blank_values=True))
    if ctx.method == "POST":
        form.update(parse_qsl(ctx.body.decode("utf-8", "replace"), keep_blank_values=True))
    service = ctx.service or QUERY_VERSIONS.get(form.get("Version"))
    try:
        throttle_once_per_second(ctx, service, form.get("Action"))
    except ApiError as err:
        return query_error(service, err)
    handler = QUERY_HANDLERS.get((service, form.get("Action")))
    if handler is None:
        return None
    try:
        ctx.authenticate(form["Action"], rest_json=False)
        with LOCK:
            return query_response(service, form["Action"], handler(ctx, form))
    except ApiError as err:
        return query_error(service, err)


# ------------------------------------------------------------------ test-only control endpoints
def handle_control(ctx):
    """Not AWS. Lets tests play the part of SES (verification) and reset everything."""
    path = ctx.raw_path.rstrip("/")
    if path == "/ocds-testbed/health":
        return json_response({"ok": True})
    if path == "/ocds-testbed/iam/secret":
        # No AWS API returns a secret twice; the SMTP tests need it to check derived passwords and leaks.
        # (moto's /moto-api/data.json would do, but it crashes once an RDS cluster has a managed password.)
        from moto.iam.models import iam_backends
        key_id = dict(parse_qsl(ctx.raw_query)).get("access_key_id", "")
        for account in iam_backends.values():
            for user in account["global"].users.values():
                for key in user.access_keys:
                    if key.access_key_id == key_id:
                        return json_response({"secret_access_key": key.secret_access_key})
        return json_response({"error": f"no access key {key_id}"}, 404)
    if ctx.method != "POST":
        return json_response({"error": "POST only"}, 405)
    with LOCK:
        if path == "/ocds-testbed/reset":
            moto_api_backend.reset()  # moto's own reset (same as POST /moto-api/reset) ...
            # ... which keeps moto's unauthenticated-call counter: with the IAM keys gone nobody could
            # sign again, so the INITIAL_NO_AUTH_ACTION_COUNT free calls start over.
            ActionAuthenticatorMixin.request_count = 0
            return json_response({"ok": True})
        try:
            req = json.loads(ctx.body or b"{}")
            ctx.headers["x-moto-account-id"] = req.get("account", DEFAULT_ACCOUNT_ID)
            ctx.region = req.get("region", "us-east-1")
            if path == "/ocds-testbed/sesv2/identity-status":
                ident = _identity(ctx, req["identity"])
                for field in ("verification", "dkim", "mail_from"):
                    if field in req and req[field] not in DKIM_STATUSES:
                        raise ApiError("BadRequest", f"{field} must be one of {DKIM_STATUSES}")
                if "verification" in req:
                    ident.verification_status = req["verification"]
                    ident.verified_for_sending_status = req["verification"] == "SUCCESS"
                if "dkim" in req:
                    ident.dkim_attributes["Status"] = req["dkim"]
                mail_from = _ses(ctx).identity_mail_from_domains.get(ident.email_identity)
                if "mail_from" in req:
                    if not mail_from:
                        raise ApiError("BadRequest", f"{ident.email_identity} has no MAIL FROM domain")
                    mail_from["ocds_status"] = req["mail_from"]
                # moto's SES classic GetIdentityVerificationAttributes is hard-coded "Success": nothing to mirror.
                return json_response(_identity_view(ctx, ident))
            if path == "/ocds-testbed/ses/deliver-verification-mail":
                return json_response(deliver_verification_mail(ctx, req["address"]))
            if path == "/ocds-testbed/sesv2/account-review":
                status = req["status"]
                if status not in ("PENDING", "FAILED", "GRANTED", "DENIED"):
                    raise ApiError("BadRequest", "status must be PENDING, FAILED, GRANTED or DENIED")
                account = _account(ctx)
                account.setdefault("Details", {}).setdefault("ReviewDetails", {"CaseId": "0000000000"})
                account["Details"]["ReviewDetails"]["Status"] = status
                account["ProductionAccessEnabled"] = status == "GRANTED"
                return json_response(get_account(ctx, {}))
        except ApiError as err:
            return json_response({"error": err.message}, err.status)
        except (KeyError, ValueError) as err:
            return json_response({"error": f"bad request: {err!r}"}, 400)
    return json_response({"error": f"unknown control endpoint {path}"}, 404)


# ------------------------------------------------------------------ WSGI wiring
class Companion:
    def __init__(self, moto_app):
        self.moto_app = moto_app

    def __call__(self, environ, start_response):
        ctx = Ctx(environ)
        if ctx.raw_path.startswith("/ocds-testbed/"):
            result = handle_control(ctx)
        elif ctx.raw_path.startswith("/v2/email/") and ctx.service in (None, "ses", "email"):
            result = handle_sesv2(ctx)
        elif ctx.service in (None, "ses", "email", "rds"):
            result = handle_query(ctx)
        else:
            result = None
        if result is None:
            return self.moto_app(environ, start_response)
        status, headers, body = result
        headers["Content-Length"] = str(len(body))
        start_response(f"{status} {HTTP_STATUS_CODES.get(status, '')}", list(headers.items()))
        return [body]


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # one line per request would flood a test run's stderr
        pass


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = pick a free port")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)

    moto_app = DomainDispatcherApplication(create_backend_app)  # exactly what `moto_server` runs
    server = make_server(args.host, args.port, Companion(moto_app), threaded=True,
                         request_handler=None if args.verbose else QuietHandler)
    port = server.server_port
    os.environ["MOTO_PORT"] = str(port)  # moto calls itself back on this port for some services

    def stop(signum, frame):
        # shutdown() waits for serve_forever() to return, so it must run on another thread; raising
        # SystemExit here instead could land anywhere in the main thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"READY http://{args.host}:{port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
