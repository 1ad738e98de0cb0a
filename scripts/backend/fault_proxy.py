"""An HTTP proxy on 127.0.0.1 that breaks requests on purpose: the field sync's failure tests.

It sits in front of one real server (QGIS Server's front, pygeoapi) and forwards every
request unchanged, until a rule says otherwise. A rule can answer 500 or 412 without
asking the server, or AFTER the server has applied the request (so "applied but not
confirmed" happens for real); hold the answer past the client's time-out; or reset the
connection (TCP RST) before forwarding, in the middle of the request body, after the
server has answered, or in the middle of the answer. URLs of the server in answers
(paging links, capabilities) are rewritten to the proxy, so a client never slips past it.

    python fault_proxy.py --upstream http://127.0.0.1:8001 --listen-port 8100

Control, on the proxy's own port (never forwarded):

    PUT    /_fault/rules   JSON list of rules (replaces the rules); DELETE clears them
    GET    /_fault/log     JSON list of the requests seen (method, path, rule, outcome)
    DELETE /_fault/log     forget them

A rule (JSON object): ``action`` (see ACTIONS), and optionally ``method`` ('POST' or a list),
``path`` (substring of path and query), ``body`` (substring of the request body),
``skip`` (matching requests let through before it fires, default 0), ``times`` (how
often it fires, default 1, 0 = always), ``status`` (for the status actions), ``seconds``
(for the hold actions, default 30). The first rule that matches and is not used up acts.

From Python (tests): ``FaultProxy(upstream_url).start()`` runs it as a process of its own
(a blocking QGIS request in the test process cannot starve it) and ``set_rules``,
``log``, ``stop`` talk to it.
"""

import argparse
import http.client
import json
import os
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCALHOST = "127.0.0.1"
CONTROL_PREFIX = "/_fault"

# action -> (forwarded to the server?, what the client gets)
ACTIONS = {
    "status": (False, "the rule's status (default 500), server not asked"),
    "status_after": (True, "the server applies it, the client gets the rule's status instead"),
    "hold_before": (False, "no answer for `seconds`, then the connection closes; server not asked"),
    "hold_after": (True, "the server applies it, the answer comes only after `seconds`"),
    "reset_before": (False, "connection reset once the request is read; server not asked"),
    "reset_mid_request": (False, "connection reset halfway through the request body; server not asked"),
    "reset_after": (True, "the server applies it, the connection is reset instead of answering"),
    "reset_mid_response": (True, "the server applies it, the answer breaks off halfway (reset)"),
}
_REQUEST_SKIP = {"connection", "keep-alive", "proxy-connection", "content-length", "transfer-encoding", "host"}
_RESPONSE_SKIP = {"connection", "keep-alive", "content-length", "transfer-encoding", "server", "date"}
_REASONS = {412: "Precondition Failed", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


class Rules:
    """The active rules and the request log, shared by the handler threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rules = []
        self.entries = []

    def replace(self, rules):
        for rule in rules:
            if rule.get("action") not in ACTIONS:
                raise ValueError("unknown action {!r}; known: {}".format(rule.get("action"), ", ".join(ACTIONS)))
        with self.lock:
            self.rules = [dict(rule, seen=0, fired=0) for rule in rules]

    def pick(self, method, path, body, before_body=False):
        """The rule that acts on this request (counted), or None; and its log entry.
        ``before_body``: only the rules that act before the whole body is read (reset_mid_request),
        ``body`` then being its first half; the others see the whole body."""
        text = body.decode("utf-8", errors="replace") if body else ""
        with self.lock:
            entry = {"seq": 0, "method": method, "path": path, "bytes": len(body or b""),
                     "rule": None, "action": None, "outcome": None, "at": time.time()}
            chosen = None
            for index, rule in enumerate(self.rules):
                if (rule["action"] == "reset_mid_request") != before_body:
                    continue
                if rule.get("method") and method not in _methods(rule):
                    continue
                if rule.get("path") and rule["path"] not in path:
                    continue
                if rule.get("body") and rule["body"] not in text:
                    continue
                times = rule.get("times", 1)
                if times and rule["fired"] >= times:
                    continue
                rule["seen"] += 1
                if rule["seen"] <= rule.get("skip", 0):
                    continue
                rule["fired"] += 1
                entry.update(rule=index, action=rule["action"])
                chosen = dict(rule)
                break
            if chosen is not None or not before_body:
                entry["seq"] = len(self.entries) + 1
                self.entries.append(entry)
            return chosen, entry

    def log(self):
        with self.lock:
            return [dict(entry) for entry in self.entries]

    def clear_log(self):
        with self.lock:
            self.entries = []


def _methods(rule):
    """The HTTP methods a rule applies to: ``method`` is one name or a list of names."""
    methods = rule["method"]
    return {name.upper() for name in ([methods] if isinstance(methods, str) else methods)}


def _reset(connection):
    """Close with a TCP RST (linger 0) instead of an orderly FIN."""
    try:
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.close()
    except OSError:
        pass


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection: a reset never hits the next request
    upstream = None  # urllib.parse result of the server's base URL, set by serve()
    rules = None  # Rules, set by serve()
    public_origin = b""  # the proxy's own origin, replacing the server's in answers

    # -- control -----------------------------------------------------------

    def _control(self, body):
        if self.path.startswith(CONTROL_PREFIX + "/rules") and self.command in ("PUT", "POST"):
            try:
                self.rules.replace(json.loads(body.decode("utf-8") or "[]"))
            except ValueError as error:
                return self._send(400, {"error": str(error)})
            return self._send(200, {"rules": len(self.rules.rules)})
        if self.path.startswith(CONTROL_PREFIX + "/rules") and self.command == "DELETE":
            self.rules.replace([])
            return self._send(200, {"rules": 0})
        if self.path.startswith(CONTROL_PREFIX + "/log") and self.command == "GET":
            return self._send(200, self.rules.log())
        if self.path.startswith(CONTROL_PREFIX + "/log") and self.command == "DELETE":
            self.rules.clear_log()
            return self._send(200, [])
        return self._send(404, {"error": "unknown control request {} {}".format(self.command, self.path)})

    def _send(self, status, payload):
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    # -- proxying ----------------------------------------------------------

    def _handle(self):
        if self.path.startswith(CONTROL_PREFIX):
            length = int(self.headers.get("Content-Length") or 0)
            return self._control(self.rfile.read(length) if length else b"")
        length = int(self.headers.get("Content-Length") or 0)
        body = b""
        if length:
            # The first half of the body decides a reset_mid_request rule (a ``body`` text it looks
            # for must be in that half: WFS-T's "Transaction" is); the rest is read only after it.
            body = self.rfile.read(max(1, length // 2))
            rule, entry = self.rules.pick(self.command, self.path, body, before_body=True)
            if rule is not None:
                entry["outcome"] = "reset_mid_request"
                return _reset(self.connection)
            body += self.rfile.read(length - len(body))
        rule, entry = self.rules.pick(self.command, self.path, body)
        action = rule["action"] if rule else None
        if action == "reset_before":
            entry["outcome"] = action
            return _reset(self.connection)
        if action == "hold_before":
            entry["outcome"] = action
            time.sleep(float(rule.get("seconds", 30)))
            return _reset(self.connection)
        if action == "status":
            entry["outcome"] = "status {}".format(rule.get("status", 500))
            return self._answer_error(int(rule.get("status", 500)))
        try:
            status, reason, headers, data = self._forward(body)
        except OSError as error:
            entry["outcome"] = "upstream failed: {}".format(error)
            return self._answer_error(502)
        entry["upstream_status"] = status
        if action is None:
            entry["outcome"] = "forwarded {}".format(status)
            return self._answer(status, reason, headers, data)
        entry["outcome"] = "{} (server answered {})".format(action, status)
        if action == "status_after":
            return self._answer_error(int(rule.get("status", 500)))
        if action == "reset_after":
            return _reset(self.connection)
        if action == "hold_after":
            time.sleep(float(rule.get("seconds", 30)))
            try:
                return self._answer(status, reason, headers, data)
            except OSError:
                return None  # the client gave up long ago
        if action == "reset_mid_response":
            return self._answer(status, reason, headers, data, cut=True)
        return None

    def _forward(self, body):
        upstream = self.upstream
        headers = {key: value for key, value in self.headers.items() if key.lower() not in _REQUEST_SKIP}
        headers["Host"] = upstream.netloc
        if body or self.command in ("POST", "PUT", "PATCH"):
            headers["Content-Length"] = str(len(body))
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=300)
        try:
            connection.request(self.command, self.path, body=body or None, headers=headers)
            response = connection.getresponse()
            data = response.read()
            return response.status, response.reason, response.getheaders(), data
        finally:
            connection.close()

    def _rewrite(self, data):
        origin = "{}://{}".format(self.upstream.scheme, self.upstream.netloc).encode("ascii")
        return data.replace(origin, self.public_origin)

    def _answer(self, status, reason, headers, data, cut=False):
        data = self._rewrite(data)
        self.send_response(status, reason)
        for key, value in headers:
            if key.lower() in _RESPONSE_SKIP:
                continue
            if key.lower() in ("location", "link"):
                value = self._rewrite(value.encode("latin-1")).decode("latin-1")
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command == "HEAD":
            return
        if cut:
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            return _reset(self.connection)
        self.wfile.write(data)

    def _answer_error(self, status):
        data = json.dumps({"code": "InjectedFault", "description": "fault_proxy: injected {}".format(status)})
        data = data.encode("utf-8")
        self.send_response(status, _REASONS.get(status))
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass  # the connection was reset on purpose

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass  # /_fault/log records every request


def serve(upstream_url, listen_port=0, ready=None):
    """Run the proxy (blocking) in front of ``upstream_url``; ``ready(port)`` is called once it listens."""
    upstream = urllib.parse.urlsplit(upstream_url)
    if upstream.scheme != "http" or not upstream.hostname or not upstream.port:
        raise ValueError("the upstream must be http://host:port, not {!r}".format(upstream_url))
    server = ThreadingHTTPServer((LOCALHOST, listen_port), ProxyHandler)
    server.daemon_threads = True
    port = server.server_address[1]
    ProxyHandler.upstream = upstream
    ProxyHandler.rules = Rules()
    ProxyHandler.public_origin = "http://{}:{}".format(LOCALHOST, port).encode("ascii")
    if ready is not None:
        ready(port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


class FaultProxy:
    """The proxy as a process of its own, driven over its control URL (for tests)."""

    def __init__(self, upstream_url, log_dir):
        self.upstream_url = upstream_url.rstrip("/")
        self.log_dir = log_dir
        self.port = None
        self.process = None

    @property
    def origin(self):
        return "http://{}:{}".format(LOCALHOST, self.port)

    def url_for(self, server_url):
        """``server_url`` (an URL of the upstream server) as reached through the proxy."""
        upstream = urllib.parse.urlsplit(self.upstream_url)
        parts = urllib.parse.urlsplit(server_url)
        if parts.netloc != upstream.netloc:
            raise ValueError("{} is not on the proxied server {}".format(server_url, self.upstream_url))
        return urllib.parse.urlunsplit(parts._replace(netloc="{}:{}".format(LOCALHOST, self.port)))

    def start(self):
        from backend import processes  # scripts/ on sys.path, as in the tests

        self.port = processes.free_port()
        os.makedirs(self.log_dir, exist_ok=True)
        log_path = os.path.join(self.log_dir, "fault_proxy_{}.log".format(self.port))
        argv = [sys.executable, os.path.abspath(__file__), "--upstream", self.upstream_url,
                "--listen-port", str(self.port)]
        self.process = processes.start_service(
            argv, "fault proxy", log_path, lambda: self._control("GET", "/log")[0] == 200, timeout=20)
        return self

    def stop(self):
        if self.process is not None:
            from backend import processes

            processes.stop_process(self.process.pid)
            self.process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
        return False

    def _control(self, method, path, payload=None):
        from backend import processes

        data = None if payload is None else json.dumps(payload).encode("utf-8")
        status, _, body = processes.http_request(self.origin + CONTROL_PREFIX + path, method=method, data=data,
                                                 headers={"Content-Type": "application/json"}, timeout=10)
        return status, json.loads(body.decode("utf-8") or "null")

    def set_rules(self, *rules):
        status, answer = self._control("PUT", "/rules", list(rules))
        if status != 200:
            raise ValueError("fault proxy refused the rules: {}".format(answer))

    def clear(self):
        self._control("DELETE", "/rules")
        self._control("DELETE", "/log")

    def log(self):
        return self._control("GET", "/log")[1]

    def fired(self):
        """Log entries a rule acted on."""
        return [entry for entry in self.log() if entry.get("rule") is not None]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", required=True, help="the real server, http://127.0.0.1:<port>")
    parser.add_argument("--listen-port", type=int, default=0, help="0: a free port, printed at start")
    args = parser.parse_args(argv)
    serve(args.upstream, args.listen_port, ready=lambda port: print("fault proxy on {}".format(port), flush=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
