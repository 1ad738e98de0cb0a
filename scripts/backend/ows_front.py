"""A thin HTTP front for ``qgis_mapserver``: several of them behind one port, and a fix of one bug.

The city's GeoServer answers requests side by side; QGIS 3.22's development server
``qgis_mapserver`` answers one at a time (a second GetFeature waits for the first). So the
backend runs several ``qgis_mapserver`` processes over the same project and this front hands
each request to one that is free (waiting for the first to become free when all are busy).
Edits go to PostGIS, so every process sees the others' writes.

The bug: QGIS 3.22's development server compares a POST body's length in *characters*
with the Content-Length header, which counts *bytes*. A WFS-T transaction with
any non-ASCII text (every Herne street name with ß, ä, ö, ü) therefore never
completes: the server waits for bytes that will not come and the client times
out. This front forwards each request unchanged except for that header, which
it sets to the body's character count, so the server sees the whole body.
Clients talk to the front; the QGIS project advertises the front's URL.

    python ows_front.py --listen-port 8001 --server-port 8002 [--server-port 8003 ...]
"""

import argparse
import http.client
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCALHOST = "127.0.0.1"
# Hop-by-hop headers and those the front sets itself.
_REQUEST_SKIP = {"connection", "keep-alive", "proxy-connection", "content-length", "transfer-encoding"}
_RESPONSE_SKIP = {"connection", "keep-alive", "content-length", "transfer-encoding", "server", "date"}


def mapserver_length(body):
    """The Content-Length value qgis_mapserver 3.22 needs: the body's length in characters."""
    return len(body.decode("utf-8", errors="replace"))


class MapServers:
    """The ports of the qgis_mapserver processes behind the front; ``take()`` waits for a free
    one (the one free longest), ``give_back(port)`` frees it again."""

    def __init__(self, ports):
        if not ports:
            raise ValueError("no qgis_mapserver port")
        self._free = list(ports)
        self._changed = threading.Condition()

    def take(self):
        with self._changed:
            self._changed.wait_for(lambda: self._free)
            return self._free.pop(0)

    def give_back(self, port):
        with self._changed:
            self._free.append(port)
            self._changed.notify()


class FrontHandler(BaseHTTPRequestHandler):
    servers = None  # MapServers, set by main()
    protocol_version = "HTTP/1.0"  # one request per connection, as qgis_mapserver does

    def _forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {key: value for key, value in self.headers.items() if key.lower() not in _REQUEST_SKIP}
        if body is not None:
            headers["Content-Length"] = str(mapserver_length(body))
        port = self.servers.take()
        try:
            connection = http.client.HTTPConnection(LOCALHOST, port, timeout=600)
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            connection.close()
        except OSError as error:
            self.send_error(502, "qgis_mapserver did not answer: {}".format(error))
            return
        finally:
            self.servers.give_back(port)
        self.send_response(response.status, response.reason)
        for key, value in response.getheaders():
            if key.lower() not in _RESPONSE_SKIP:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _forward

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass  # qgis_mapserver logs every request already

    def log_error(self, format, *args):  # noqa: A002
        sys.stderr.write("ows_front: " + (format % args) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen-port", type=int, required=True)
    parser.add_argument("--server-port", type=int, action="append", required=True,
                        help="a qgis_mapserver's port (once per process behind the front)")
    args = parser.parse_args(argv)
    FrontHandler.servers = MapServers(args.server_port)
    server = ThreadingHTTPServer((LOCALHOST, args.listen_port), FrontHandler)
    server.daemon_threads = True
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
