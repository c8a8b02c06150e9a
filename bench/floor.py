#!/usr/bin/env python3
"""The emulator's own cost (issue "Measured", benchmark 3): the runbook's read-only calls sent as raw,
pre-signed HTTP requests in a tight loop, with no SDK in the timed path.

    python3 bench/floor.py ENDPOINT REGION N

Each request is built once with botocore's own serializer and signed once with SigV4Auth (moto checks the
signature and the date window, not replays; a request is re-signed only if moto ever answers 403), then sent
N times over one keep-alive http.client connection (it reconnects by itself if the server closes). Before the
loop, one untimed setup call makes sure the SES identity that GetEmailIdentity reads exists.
Prints the median per operation, then the last line FLOOR <median ms per call over all calls>.
"""
import http.client
import statistics
import sys
import time
from urllib.parse import urlsplit

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import prepare_request_dict, create_request_object
from botocore.exceptions import ClientError

IDENTITY = "floor.ocp-demo.example"

# (service, operation, parameters): the read-only calls the runbook makes.
READS = [
    ("sts", "GetCallerIdentity", {}),
    ("sesv2", "GetEmailIdentity", {"EmailIdentity": IDENTITY}),
    ("ses", "DescribeActiveReceiptRuleSet", {}),
    ("ec2", "DescribeAvailabilityZones", {}),
    ("ec2", "DescribeVpcs", {}),
    ("rds", "DescribeDBClusters", {}),
]


class Signed:
    """One pre-built request: method, path and body fixed; headers re-signed on demand."""

    def __init__(self, session, endpoint, region, service, operation, params):
        client = session.create_client(service, region_name=region, endpoint_url=endpoint)
        self.label = f"{service} {operation}"
        self._model = client.meta.service_model.operation_model(operation)
        self._signing_name = client.meta.service_model.signing_name
        self._region = region
        self._credentials = session.get_credentials().get_frozen_credentials()
        self._dict = client._serializer.serialize_to_request(params, self._model)
        prepare_request_dict(self._dict, endpoint_url=endpoint, user_agent="ocdsaws-bench-floor")
        self.sign()

    def sign(self):
        request = create_request_object(self._dict)
        SigV4Auth(self._credentials, self._signing_name, self._region).add_auth(request)
        prepared = request.prepare()
        parts = urlsplit(prepared.url)
        self.method = prepared.method
        self.path = parts.path + (f"?{parts.query}" if parts.query else "")
        self.body = prepared.body if prepared.body is not None else b""
        if isinstance(self.body, str):
            self.body = self.body.encode("utf-8")
        self.headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in prepared.headers.items()}
        self.headers["Content-Length"] = str(len(self.body))


def send(connection, request):
    connection.request(request.method, request.path, body=request.body, headers=request.headers)
    response = connection.getresponse()
    data = response.read()
    return response.status, data


def main(endpoint, region, n):
    session = botocore.session.get_session()
    try:
        session.create_client("sesv2", region_name=region, endpoint_url=endpoint).create_email_identity(EmailIdentity=IDENTITY)
    except ClientError as e:
        if "AlreadyExists" not in e.response["Error"]["Code"]:
            raise
    requests = [Signed(session, endpoint, region, *read) for read in READS]
    url = urlsplit(endpoint)
    connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=30)

    def call(request):
        status, data = send(connection, request)
        if status == 403:  # signature refused (e.g. the date window passed): sign again, once
            request.sign()
            status, data = send(connection, request)
        if status != 200:
            raise SystemExit(f"FAILED: {request.label} -> HTTP {status}: {data[:300]!r}")

    for request in requests:  # warm-up: first-call costs in moto (backend creation, imports)
        call(request)
    times = {r.label: [] for r in requests}
    clock = time.perf_counter
    for _ in range(n):
        for request in requests:
            start = clock()
            call(request)
            times[request.label].append((clock() - start) * 1000)
    connection.close()

    for label, values in times.items():
        print(f"{label:40} median {statistics.median(values):7.2f} ms  (n={len(values)})")
    everything = [v for values in times.values() for v in values]
    print(f"FLOOR {statistics.median(everything):.2f}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit("usage: floor.py ENDPOINT REGION N")
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
