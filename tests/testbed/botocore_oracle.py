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
Any failure -> {"exception":"..."}; the loop never dies on a bad request.

validate_output() is importable: it checks a parsed response against the output shape
(types and required members; enum values and length limits are not enforced on output).
"""
import base64
import datetime
import json
import sys
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
            "validation_errors": validate_output(op.output_shape, parsed)}


def handle(line):
    req = json.loads(line)
    cmd = req.get("cmd")
    if cmd == "ping":
        return {"ok": True, "botocore": botocore.__version__}
    if cmd == "serialize":
        return serialize(req)
    if cmd == "parse":
        return parse(req)
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
