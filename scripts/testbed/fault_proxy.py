#!/usr/bin/env python3
"""A loopback fault proxy in front of the emulator. Forwards every request to UPSTREAM (which must be a
loopback address), and on request of the tests:
- fakes in-progress states: a table CREATING/UPDATING, a GSI CREATING with Backfilling, a replica CREATING
  (replicaStatus, by region), for N polls or T seconds (rewriting DescribeTable bodies and recomputing
  x-amz-crc32); a stack *_IN_PROGRESS on DescribeStacks for N polls; a rule may match only requests signed for
  one region (requestRegion), such as a replica's own table;
- injects faults per service and operation: throttling errors, HTTP 500/503, delays, dropped connections,
  resets and truncated bodies, for the next N matching requests.
Control: POST /_proxy/rules with a JSON list of rules; POST /_proxy/reset; GET /_proxy/stats.
Usage: fault_proxy.py UPSTREAM_PORT. Binds 127.0.0.1 only, prints its port, stops by itself after 900 s or
200,000 requests."""
import binascii
import json
import signal
import socket
import sys
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UPSTREAM = ("127.0.0.1", int(sys.argv[1]))
LIMIT_REQUESTS, LIMIT_SECONDS = 200_000, 900
lock = threading.Lock()
rules = []
stats = {"requests": 0, "faults": 0, "byOperation": {}}

# (status, body, content type) of a throttling answer, per service.
THROTTLE = {
    "dynamodb": (400, json.dumps({"__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException",
                                  "message": "Rate of requests exceeds the allowed throughput."}), "application/x-amz-json-1.0"),
    "cloudformation": (400, "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
                            "<RequestId>proxy</RequestId></ErrorResponse>", "text/xml"),
}


def classify(headers, body):
    target = headers.get("X-Amz-Target", "")
    if target.startswith("DynamoDB_20120810."):
        return "dynamodb", target.split(".", 1)[1], json.loads(body or b"{}")
    form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
    action = form.get("Action", [""])[0]
    service = "sts" if form.get("Version", [""])[0] == "2011-06-15" else "cloudformation"
    return service, action, {key: values[0] for key, values in form.items()}


def signing_region(headers):
    """The region of the request's SigV4 credential scope (AKID/date/REGION/service/aws4_request)."""
    scope = headers.get("Authorization", "").split("Credential=", 1)[-1].split(",", 1)[0].split("/")
    return scope[2] if len(scope) > 2 else None


def take_rule(service, operation, params, region=None):
    """The first live rule matching this request, with its use counted."""
    with lock:
        for rule in rules:
            if rule.get("service", service) != service or rule.get("operation", operation) != operation:
                continue
            if "table" in rule and params.get("TableName") != rule["table"]:
                continue
            if "requestRegion" in rule and region != rule["requestRegion"]:
                continue
            if "stack" in rule and params.get("StackName") != rule["stack"]:
                continue
            if "until" in rule and time.time() > rule["until"]:
                continue
            if "count" in rule:
                if rule["count"] <= 0:
                    continue
                rule["count"] -= 1
            stats["faults"] += 1
            return dict(rule)
    return None


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type, extra=()):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def control(self, body):
        global rules
        if self.path == "/_proxy/rules":
            new = json.loads(body)
            for rule in new:
                if "seconds" in rule:
                    rule["until"] = time.time() + rule["seconds"]
            with lock:
                rules.extend(new)
        elif self.path == "/_proxy/reset":
            with lock:
                rules = []
        with lock:
            self.send(200, json.dumps(stats), "application/json")

    def do_GET(self):
        if self.path.startswith("/_proxy/"):
            return self.control(b"")
        self.forward(b"")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith("/_proxy/"):
            return self.control(body)
        with lock:
            stats["requests"] += 1
            if stats["requests"] > LIMIT_REQUESTS:
                server_stop()
        service, operation, params = classify(self.headers, body)
        with lock:
            key = f"{service}.{operation}"
            stats["byOperation"][key] = stats["byOperation"].get(key, 0) + 1
        rule = take_rule(service, operation, params, signing_region(self.headers))
        kind = rule["kind"] if rule else None
        if kind == "delay":
            time.sleep(rule.get("ms", 100) / 1000)
        elif kind == "throttle":
            return self.send(*THROTTLE.get(service, THROTTLE["dynamodb"]))
        elif kind in ("http500", "http503"):
            return self.send(int(kind[4:]), "Service Unavailable", "text/plain")
        elif kind in ("drop", "reset"):
            if kind == "reset":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.close()
            self.close_connection = True
            return
        self.forward(body, rule)

    def do_PUT(self):
        # S3 PutObject (templates over the inline limit): forwarded as it is.
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with lock:
            stats["requests"] += 1
            stats["byOperation"]["s3.PUT"] = stats["byOperation"].get("s3.PUT", 0) + 1
        self.forward(body)

    def setup(self):
        super().setup()
        # Headers and body leave in separate writes: without TCP_NODELAY each response would wait for a delayed
        # ACK (40 ms on Linux), which would dwarf the latency the benchmarks add on purpose.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def forward(self, body, rule=None):
        upstream = HTTPConnection(*UPSTREAM, timeout=30)
        upstream.connect()
        upstream.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "keep-alive")}
        upstream.request(self.command, self.path, body=body, headers=headers)
        # The emulator writes headers and body apart too; acknowledge at once so its body is not held back.
        upstream.sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, "TCP_QUICKACK", 12), 1)
        response = upstream.getresponse()
        data = response.read()
        upstream.close()
        extra = [(k, v) for k, v in response.getheaders()
                 if k.lower() not in ("content-length", "content-type", "connection", "transfer-encoding", "x-amz-crc32", "date", "server")]
        content_type = response.getheader("Content-Type", "application/octet-stream")
        if rule and rule["kind"] in ("tableStatus", "backfilling", "replicaStatus") and response.status == 200:
            data = self.rewrite_table(data, rule)
        if rule and rule["kind"] == "stackStatus" and response.status == 200:
            data = data.replace(b"<StackStatus>" + rule.get("from", "").encode(), b"<StackStatus>" + rule["status"].encode()) \
                if rule.get("from") else _replace_stack_status(data, rule["status"])
        if response.getheader("x-amz-crc32") is not None or rule:
            extra.append(("x-amz-crc32", str(binascii.crc32(data))))
        if rule and rule["kind"] == "truncate":
            self.send_response(response.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data) + 50))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.connection.close()
            self.close_connection = True
            return
        if rule and rule["kind"] == "corrupt":
            data = data[:-1] + b" "
        self.send(response.status, data, content_type, extra)

    @staticmethod
    def rewrite_table(data, rule):
        document = json.loads(data)
        table = document.get("Table") or document.get("TableDescription") or {}
        if rule["kind"] == "tableStatus":
            table["TableStatus"] = rule["status"]
        elif rule["kind"] == "replicaStatus":
            for replica in table.get("Replicas", []):
                if replica.get("RegionName") == rule["region"]:
                    replica["ReplicaStatus"] = rule.get("status", "CREATING")
        else:
            for index in table.get("GlobalSecondaryIndexes", []):
                if index.get("IndexName") == rule["index"]:
                    index["IndexStatus"] = rule.get("status", "CREATING")
                    index["Backfilling"] = True
        return json.dumps(document).encode()


def _replace_stack_status(data, status):
    text = data.decode()
    start = text.find("<StackStatus>")
    end = text.find("</StackStatus>", start)
    return (text[: start + len("<StackStatus>")] + status + text[end:]).encode() if start >= 0 else data


def server_stop():
    threading.Thread(target=server.shutdown, daemon=True).start()


if UPSTREAM[0] not in ("127.0.0.1", "localhost"):
    sys.exit("fault_proxy: the upstream must be on loopback")
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
server.daemon_threads = True
print(server.server_address[1], flush=True)
stopper = threading.Timer(LIMIT_SECONDS, server_stop)
stopper.daemon = True
stopper.start()
server.serve_forever()
