#!/usr/bin/env python3
"""botocore as the oracle for OcdsAws's C# wire tests.

    python3 tests/testbed/botocore_oracle.py

Reads one JSON object per stdin line, writes exactly one JSON object per stdout line:

  {"cmd":"ping"}
      -> {"ok":true,"botocore":"1.43.11"}
  {"cmd":"serialize","service":"sesv2","operation":"CreateEmailIdentity","params":{...},"region":"us-east-1"}
      -> {"method","path","query":{k:[v..]},"headers":{lowercased},"body_kind":"json|form|empty|raw","body"}
         params are JSON: blobs as base64 strings, timestamps as ISO-8601 strings.
         body: parsed JSON, form as {k:v}, base64 text for raw payloads, or null.
  {"cmd":"parse","service":..,"operation":..,"status":200,"headers":{..},"body":"<text>"}
      -> {"parsed":{..},"error":null|{"Code","Message","Modeled"},"validation_errors":[..]}
         datetimes as ISO strings, blobs as base64.
  {"cmd":"endpoint","service":"iam","region":"eu-west-1","fips":false,"dualstack":true,"endpoint_url":null}
      -> {"url":"https://iam.global.api.aws","signing_region":"us-east-1","signing_name":"iam"}
         or {"error":"<botocore's message>"} when botocore refuses the variant. What a real botocore client
         sends: its own endpoint rule set (<service>/<version>/endpoint-rule-set-1.json) and signer, read
         back from the signed request (URL, Authorization credential scope); nothing leaves the process.
Any failure -> {"exception":"..."}; the loop never dies on a bad request.

validation_errors: the parsed response against the output shape (types, required members) plus
the raw body (validate_wire: wire types, unknown members - botocore's parser hides both, e.g. XML
"True" parses as False). Enum values and length limits are not checked: AWS does not keep them on
output. parse() is importable (selftest.py validates every response it gets through it).
"""
import base64
import datetime
import json
import sys
from xml.etree import ElementTree
from urllib.parse import parse_qs, urlsplit

import botocore
import botocore.parsers
import botocore.serialize
import botocore.session
from botocore.awsrequest import HeadersDict, prepare_request_dict
from botocore.utils import parse_timestamp

SESSION = botocore.session.get_session()
_models = {}


def service_model(name):
    if name not in _models:
        _models[name] = SESSION.get_service_model(name)
    return _models[name]


# ------------------------------------------------------------------ JSON <-> botocore values
def from_json(shape, value):
    """JSON params -> what botocore's serializer expects (bytes for blobs, datetime for timestamps)."""
    if value is None or shape is None:
        return value
    kind = shape.type_name
    if kind == "structure":
        return {k: from_json(shape.members.get(k), v) for k, v in value.items()}
    if kind == "list":
        return [from_json(shape.member, v) for v in value]
    if kind == "map":
        return {k: from_json(shape.value, v) for k, v in value.items()}
    if kind == "blob" and isinstance(value, str):
        return base64.b64decode(value)
    if kind == "timestamp" and isinstance(value, str):
        return parse_timestamp(value)
    return value


def to_json(value):
    """Parsed botocore output -> plain JSON."""
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    if hasattr(value, "read"):  # streaming body
        return base64.b64encode(value.read()).decode()
    return value


# ------------------------------------------------------------------ output validation
_TYPES = {
    "string": (str,), "character": (str,), "boolean": (bool,),
    "integer": (int,), "long": (int,), "float": (int, float), "double": (int, float),
    "timestamp": (datetime.datetime,), "blob": (bytes, bytearray),
}


def validate_output(shape, value, path="", errors=None):
    """Type and required-member check of a parsed response against its output shape."""
    errors = [] if errors is None else errors
    if shape is None or value is None:
        return errors
    kind = shape.type_name
    if kind == "structure":
        if getattr(shape, "is_document_type", False):
            return errors
        if not isinstance(value, dict):
            errors.append(f"{path or '<root>'}: expected structure, got {type(value).__name__}")
            return errors
        for name in shape.required_members:
            if name not in value:
                errors.append(f"{path}{name}: required member missing")
        for name, member_value in value.items():
            if name == "ResponseMetadata" and not path:
                continue
            if name not in shape.members:
                errors.append(f"{path}{name}: not a member of {shape.name}")
                continue
            validate_output(shape.members[name], member_value, f"{path}{name}.", errors)
    elif kind == "list":
        if not isinstance(value, list):
            errors.append(f"{path[:-1]}: expected list, got {type(value).__name__}")
        else:
            for i, item in enumerate(value):
                validate_output(shape.member, item, f"{path[:-1]}[{i}].", errors)
    elif kind == "map":
        if not isinstance(value, dict):
            errors.append(f"{path[:-1]}: expected map, got {type(value).__name__}")
        else:
            for k, v in value.items():
                validate_output(shape.value, v, f"{path[:-1]}[{k}].", errors)
    elif kind in _TYPES:
        ok = isinstance(value, _TYPES[kind]) and not (kind != "boolean" and isinstance(value, bool))
        if kind == "blob" and hasattr(value, "read"):
            ok = True
        if not ok:
            errors.append(f"{path[:-1]}: expected {kind}, got {type(value).__name__} {value!r:.60}")
    return errors


def _by_wire_name(shape):
    return {m.serialization.get("name", k): (k, m) for k, m in shape.members.items()}


def _scalar_error(kind, text):
    """None if `text` is a valid wire form of a scalar of `kind` (XML text or JSON value)."""
    try:
        if kind == "boolean":
            assert text in ("true", "false", True, False)
        elif kind in ("integer", "long"):
            assert not isinstance(text, (bool, float)) and int(text) == int(text)
        elif kind in ("float", "double"):
            assert not isinstance(text, bool)
            float(text)
        elif kind == "timestamp":
            assert not isinstance(text, bool)
            parse_timestamp(text)
        elif kind == "blob":
            base64.b64decode(text, validate=True)
        elif kind in ("string", "character"):
            assert isinstance(text, str)
        return None
    except Exception:
        return f"not a valid {kind} on the wire: {text!r:.60}"


def validate_xml(shape, node, path="", errors=None):
    """Raw query-protocol XML against the shape: botocore's parser silently turns a bad boolean
    ("True") into False and drops unknown elements, so look at the wire form too."""
    errors = [] if errors is None else errors
    local = lambda el: el.tag.rsplit("}", 1)[-1]
    kind = shape.type_name
    if kind == "structure":
        members = _by_wire_name(shape)
        for child in node:
            name = local(child)
            if name not in members:
                errors.append(f"{path}{name}: not a member of {shape.name}")
            else:
                key, member = members[name]
                validate_xml(member, child, f"{path}{key}.", errors)
    elif kind == "list":
        member_name = shape.member.serialization.get("name", "member")
        for i, child in enumerate(node):
            if local(child) != member_name:
                errors.append(f"{path[:-1]}[{i}]: element <{local(child)}>, expected <{member_name}>")
            validate_xml(shape.member, child, f"{path[:-1]}[{i}].", errors)
    elif kind == "map":
        key_name = shape.key.serialization.get("name", "key")
        value_name = shape.value.serialization.get("name", "value")
        for entry in node:
            key = next((c.text for c in entry if local(c) == key_name), "?")
            for child in entry:
                if local(child) == value_name:
                    validate_xml(shape.value, child, f"{path[:-1]}[{key}].", errors)
    else:
        problem = _scalar_error(kind, node.text or "")
        if problem:
            errors.append(f"{path[:-1]}: {problem}")
    return errors


def validate_json(shape, value, path="", errors=None):
    """Raw JSON body against the shape (types as sent, unknown keys)."""
    errors = [] if errors is None else errors
    if value is None or getattr(shape, "is_document_type", False):
        return errors
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return errors + [f"{path or '<root>'}: expected object, got {type(value).__name__}"]
        members = _by_wire_name(shape)
        for name, v in value.items():
            if name not in members:
                if name != "__type":
                    errors.append(f"{path}{name}: not a member of {shape.name}")
            else:
                key, member = members[name]
                validate_json(member, v, f"{path}{key}.", errors)
    elif kind == "list":
        if not isinstance(value, list):
            return errors + [f"{path[:-1]}: expected array, got {type(value).__name__}"]
        for i, item in enumerate(value):
            validate_json(shape.member, item, f"{path[:-1]}[{i}].", errors)
    elif kind == "map":
        if not isinstance(value, dict):
            return errors + [f"{path[:-1]}: expected object, got {type(value).__name__}"]
        for k, v in value.items():
            validate_json(shape.value, v, f"{path[:-1]}[{k}].", errors)
    else:
        problem = _scalar_error(kind, value)
        if problem:
            errors.append(f"{path[:-1]}: {problem}")
    return errors


def validate_wire(model, op, body):
    """Check the raw body of a successful response (JSON or query XML) against the output shape."""
    shape, protocol = op.output_shape, model.resolved_protocol
    if shape is None or not body:
        return []
    if protocol in ("json", "rest-json"):
        payload = shape.serialization.get("payload")
        if payload:
            shape = shape.members[payload]
            if shape.type_name != "structure":
                return []
        return validate_json(shape, json.loads(body))
    if protocol in ("query", "ec2"):
        root = ElementTree.fromstring(body)
        wrapper = shape.serialization.get("resultWrapper")
        if wrapper:
            found = [el for el in root if el.tag.rsplit("}", 1)[-1] == wrapper]
            if not found:
                return [f"<{wrapper}> missing"]
            return validate_xml(shape, found[0])
        errors = validate_xml(shape, root)
        return [e for e in errors if not e.startswith("requestId:")]
    return []


# ------------------------------------------------------------------ commands
def serialize(req):
    model = service_model(req["service"])
    op = model.operation_model(req["operation"])
    params = from_json(op.input_shape, req.get("params") or {})
    serializer = botocore.serialize.create_serializer(model.resolved_protocol, include_validation=True)
    request = serializer.serialize_to_request(params, op)
    region = req.get("region", "us-east-1")
    prepare_request_dict(request, endpoint_url=f"https://{model.endpoint_prefix}.{region}.amazonaws.com")
    url = urlsplit(request["url"])
    body = request["body"]
    if isinstance(body, dict):  # query/ec2: the form as botocore will url-encode it
        kind, body = "form", {k: str(v) for k, v in body.items()}
    elif not body:
        kind, body = "empty", None
    else:
        raw = body if isinstance(body, bytes) else body.encode() if isinstance(body, str) else body.read()
        try:
            kind, body = "json", json.loads(raw)
        except ValueError:
            kind, body = "raw", base64.b64encode(raw).decode()
    return {"method": request["method"], "path": url.path,
            "query": parse_qs(url.query, keep_blank_values=True),
            "headers": {k.lower(): v for k, v in request["headers"].items()},
            "body_kind": kind, "body": body}


def parse(req):
    model = service_model(req["service"])
    op = model.operation_model(req["operation"])
    headers = HeadersDict({k: str(v) for k, v in (req.get("headers") or {}).items()})
    body = req.get("body") or ""
    response = {"status_code": int(req.get("status", 200)), "headers": headers,
                "body": body.encode() if isinstance(body, str) else body,
                "context": {"operation_name": op.name}}
    parsed = botocore.parsers.create_parser(model.resolved_protocol).parse(response, op.output_shape)
    if "Error" in parsed and response["status_code"] >= 300:
        code = parsed["Error"].get("Code")
        modeled = any(e.name == code or e.error_code == code for e in op.error_shapes)
        return {"parsed": to_json(parsed), "validation_errors": [],
                "error": {"Code": code, "Message": parsed["Error"].get("Message"), "Modeled": modeled}}
    return {"parsed": to_json(parsed), "error": None,
            "validation_errors": validate_output(op.output_shape, parsed) + validate_wire(model, op, response["body"])}


# ------------------------------------------------------------------ endpoints
# One cheap read-only operation per service: these services take no operation-level endpoint parameters
# for it, so the endpoint is the service's (sesv2 EndpointId exists only for SendEmail / multi-region).
_PROBES = {
    "sesv2": ("get_account", {}), "ses": ("get_send_quota", {}), "sns": ("list_topics", {}),
    "iam": ("list_users", {}), "rds": ("describe_db_clusters", {}),
    "rds-data": ("execute_statement", {"resourceArn": "arn:aws:rds:us-east-1:123456789012:cluster:c",
                                       "secretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:s", "sql": "select 1"}),
    "sts": ("get_caller_identity", {}), "ec2": ("describe_vpcs", {}), "s3": ("list_buckets", {}),
    "ssm": ("get_parameter", {"Name": "p"}),
}


class _Sent(Exception):
    def __init__(self, request):
        super().__init__("captured")
        self.request = request


def endpoint(req):
    import botocore.config
    from botocore.exceptions import BotoCoreError
    service = req["service"]
    config = botocore.config.Config(use_fips_endpoint=bool(req.get("fips")), use_dualstack_endpoint=bool(req.get("dualstack")),
                                    retries={"max_attempts": 1}, region_name=req["region"])
    try:
        client = SESSION.create_client(service, region_name=req["region"], endpoint_url=req.get("endpoint_url"), config=config,
                                       aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
    except (BotoCoreError, ValueError) as exc:
        return {"error": str(exc)}

    def capture(request, **kwargs):
        raise _Sent(request)

    client.meta.events.register("before-send", capture)
    operation, params = _PROBES[service]
    try:
        getattr(client, operation)(**params)
    except _Sent as sent:
        request = sent.request
        scope = request.headers["Authorization"].decode() if isinstance(request.headers["Authorization"], bytes) else request.headers["Authorization"]
        credential = scope.split("Credential=")[1].split(",")[0].split("/")  # key/date/region/service/aws4_request
        url = urlsplit(request.url)
        return {"url": f"{url.scheme}://{url.netloc}", "signing_region": credential[2], "signing_name": credential[3]}
    except BotoCoreError as exc:
        return {"error": str(exc)}
    return {"exception": "botocore sent no request"}


def handle(line):
    req = json.loads(line)
    cmd = req.get("cmd")
    if cmd == "ping":
        return {"ok": True, "botocore": botocore.__version__}
    if cmd == "serialize":
        return serialize(req)
    if cmd == "parse":
        return parse(req)
    if cmd == "endpoint":
        return endpoint(req)
    raise ValueError(f"unknown cmd {cmd!r}")


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            out = handle(line)
        except Exception as exc:  # never crash the loop
            out = {"exception": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(out, default=str) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
