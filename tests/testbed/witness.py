"""The independent witness: boto3 reading moto's state back for the C# tests.

Line protocol: one JSON request per stdin line, one JSON answer per stdout line.
  {"service": "sesv2", "method": "get_email_identity", "params": {...}, "region": "us-east-1"}
  -> {"result": {...}}  or  {"error": {"Code": ..., "Message": ...}}
Endpoint and credentials come from OCDSAWS_TEST_ENDPOINT / OCDSAWS_TEST_ACCESS_KEY / OCDSAWS_TEST_SECRET_KEY.
"""
import json
import os
import sys

import boto3
import botocore.exceptions

# The witness uses explicit keys: a profile variable left by the process that starts it (a test may set AWS_PROFILE
# to a name the test bed has no file for, or to "") must not stop boto3 from starting.
for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
    os.environ.pop(name, None)

session = boto3.session.Session(
    aws_access_key_id=os.environ["OCDSAWS_TEST_ACCESS_KEY"],
    aws_secret_access_key=os.environ["OCDSAWS_TEST_SECRET_KEY"],
)
clients = {}


def client(service, region):
    key = (service, region)
    if key not in clients:
        clients[key] = session.client(service, region_name=region, endpoint_url=os.environ["OCDSAWS_TEST_ENDPOINT"])
    return clients[key]


for line in sys.stdin:
    if not line.strip():
        continue
    try:
        request = json.loads(line)
        result = getattr(client(request["service"], request.get("region", "us-east-1")), request["method"])(**request.get("params", {}))
        result.pop("ResponseMetadata", None)
        answer = {"result": result}
    except botocore.exceptions.ClientError as e:
        answer = {"error": e.response.get("Error", {})}
    except Exception as e:  # never end the loop: the C# side reads one line per request
        answer = {"exception": f"{type(e).__name__}: {e}"}
    sys.stdout.write(json.dumps(answer, default=str) + "\n")
    sys.stdout.flush()
