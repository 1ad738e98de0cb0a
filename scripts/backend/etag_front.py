"""An HTTP front that gives an OGC API Features server ETags and honours If-Match.

pygeoapi 0.20 sends no ETag. Servers such as ldproxy do: an item read carries ``ETag``, and a
PUT / PATCH / DELETE with ``If-Match`` on an out-of-date ETag is answered 412 Precondition
Failed. This front plays that part in front of any OGC API server, so the field sync's
If-Match path is tested against a real server's data:

- GET ``.../items/{id}``: forwarded; the answer gets ``ETag: "<hash of the feature>"`` (of its
  canonical form, whatever CRS was asked for).
- PUT / PATCH / DELETE ``.../items/{id}`` with ``If-Match``: the item is read from the server
  behind; a different ETag is answered 412 and nothing is forwarded. Writes through the front
  are serialised, so the check and the write are one step for its clients.
- everything else: forwarded unchanged.

    python etag_front.py --listen-port 8010 --target http://127.0.0.1:5000

From Python (tests): ``with EtagFront("http://127.0.0.1:5000") as front: front.url``.
"""

import argparse
import hashlib
import http.client
import json
import re
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCALHOST = "127.0.0.1"
_ITEM_PATH = re.compile(r"/collections/[^/]+/items/[^/?]+$")
_SKIP = {"connection", "keep-alive", "proxy-connection", "content-length", "transfer-encoding", "server", "date",
         "host"}


def feature_etag(body):
    """A strong ETag of a GeoJSON feature: its id, properties and geometry (links and the
    like left out, so the same feature read twice has the same ETag)."""
    try:
        document = json.loads(body)
    except ValueError:
        return ""
    if not isinstance(document, dict):
        return ""
    core = {"id": document.get("id"), "properties": document.get("properties"), "geometry": document.get("geometry")}
    return '"{}"'.format(hashlib.sha1(json.dumps(core, sort_keys=True).encode("utf-8")).hexdigest()[:20])


class EtagFront:
    def __init__(self, target, listen_port=0):
        parts = urllib.parse.urlsplit(target)
        self.target_host, self.target_port = parts.hostname, parts.port or 80
        self.target_prefix = parts.path.rstrip("/")
        self.write_lock = threading.Lock()
        self.refused = 0  # 412s answered
        front = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *_args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _SKIP}
                path_only = urllib.parse.urlsplit(self.path).path
                is_item = bool(_ITEM_PATH.search(path_only))
                if self.command in ("PUT", "PATCH", "DELETE") and is_item:
                    with front.write_lock:
                        expected = self.headers.get("If-Match")
                        if expected:
                            if front.etag_of(path_only) != expected:
                                front.refused += 1
                                self._send(412, {"Content-Type": "application/json"}, json.dumps(
                                    {"title": "Precondition Failed",
                                     "detail": "the item has changed since it was read"}).encode())
                                return
                        headers.pop("If-Match", None)
                        answer = front.forward(self.command, self.path, body, headers)
                else:
                    answer = front.forward(self.command, self.path, body, headers)
                status, reply_headers, data = answer
                if self.command == "GET" and is_item and status == 200:
                    etag = front.etag_of(path_only)
                    if etag:
                        reply_headers["ETag"] = etag
                self._send(status, reply_headers, data)

            def _send(self, status, headers, data):
                self.send_response(status)
                for key, value in headers.items():
                    if key.lower() not in _SKIP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle  # noqa: N815

        self.server = ThreadingHTTPServer((LOCALHOST, listen_port), Handler)
        self.server.daemon_threads = True
        self.thread = None

    def etag_of(self, item_path):
        """The item's ETag, from one canonical representation (its path alone, GeoJSON): the
        same feature asked for in another CRS has the same ETag."""
        status, _, current = self.forward("GET", item_path, None, {"Accept": "application/geo+json"})
        return feature_etag(current) if status == 200 else ""

    def forward(self, method, path, body, headers):
        """(status, headers, body) of the request sent to the server behind; 502 if it is down."""
        try:
            connection = http.client.HTTPConnection(self.target_host, self.target_port, timeout=120)
            connection.request(method, self.target_prefix + path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            connection.close()
        except OSError as error:
            return 502, {"Content-Type": "text/plain"}, "server behind the front: {}".format(error).encode()
        return response.status, dict(response.getheaders()), data

    @property
    def url(self):
        return "http://{}:{}".format(LOCALHOST, self.server.server_address[1])

    def start(self):
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
        return False


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen-port", type=int, required=True)
    parser.add_argument("--target", required=True, help="the OGC API server's base URL")
    args = parser.parse_args(argv)
    front = EtagFront(args.target, args.listen_port)
    try:
        front.server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
