"""Hardened, streaming XML for city models from anywhere.

A CityGML tile is untrusted input: it may be truncated, hostile ("billion
laughs", external entities pointing at local files or internal servers) or
simply far too big to hold in memory. This module

- refuses any DOCTYPE that declares entities, before the parser sees a byte of
  it (``check_prolog``); CityGML never needs one;
- parses with lxml's iterparse with entity resolution, DTD loading and network
  access switched off and libxml2's own limits on (``huge_tree=False``: at most
  256 levels of nesting and 10 MB per text node);
- counts the bytes that pass (``GuardedStream``) and stops a file that exceeds
  ``max_bytes``, or a single city object that exceeds ``max_object_bytes``:
  the reader frees every object once it is read, so memory stays flat however
  big the file, but one giant object cannot be freed before it ends.
"""

import codecs
import sys

from lxml import etree

from ..i18n import tr
from .errors import TileError

CHUNK_SIZE = 1 << 16
PROLOG_LIMIT = 1 << 20  # bytes before the root element (XML declaration, comments, DOCTYPE)
DEFAULT_MAX_OBJECT_BYTES = 64 << 20  # one building (NRW: well under 1 MB)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class GuardedStream:
    """A file-like byte source for lxml that replays an already read head, counts
    bytes, feeds an optional hash and enforces the size limits."""

    def __init__(self, raw, max_bytes=None, max_object_bytes=DEFAULT_MAX_OBJECT_BYTES, hasher=None, count=True):
        self._raw = raw
        self._count = count  # count lines (for the messages of a file that ends too early)
        self._head = b""
        self.max_bytes = max_bytes
        self.max_object_bytes = max_object_bytes
        self.hasher = hasher
        self.position = 0  # bytes handed to the parser so far
        self.at_end = False  # the source has no more bytes
        self.lines = 1  # lines read so far
        self._object_start = 0

    def _raw_read(self, size):
        data = self._raw.read(size)
        if not data:
            self.at_end = True
        if self._count:
            self.lines += count_lines(data)
        if self.hasher is not None and data:
            self.hasher.update(data)
        return data

    def peek_head(self, size):
        """Read up to ``size`` more bytes ahead (kept for ``read``); return the whole head so far."""
        more = self._raw_read(size)
        self._head += more
        return self._head, not more

    def read(self, size=-1):
        if size is None or size < 0:
            size = CHUNK_SIZE
        if self._head:
            data, self._head = self._head[:size], self._head[size:]
        else:
            data = self._raw_read(size)
        self._count_bytes(len(data))
        return data

    def read_all(self):
        """The rest of the source in one piece, with the checks of ``read`` (see ``parse_whole``)."""
        data, self._head = self._head + self._raw_read(-1), b""
        self.at_end = True
        self._count_bytes(len(data))
        return data

    def _count_bytes(self, size):
        self.position += size
        if self.max_bytes is not None and self.position > self.max_bytes:
            raise TileError(tr("The file is larger than the limit of {limit} MB.").format(
                limit=self.max_bytes // (1 << 20)))
        if self.position - self._object_start > self.max_object_bytes + CHUNK_SIZE:
            raise TileError(tr(
                "A single object in the file is larger than {limit} MB: refused (a broken or hostile file?)."
            ).format(limit=self.max_object_bytes // (1 << 20)))

    def object_done(self):
        """The parser finished a city object: the per-object budget starts again here."""
        self._object_start = self.position

    def drain(self):
        """Read the rest of the source (so that the hash covers the whole file)."""
        while self._head or self._raw_read(CHUNK_SIZE):
            self._head = b""


def count_lines(data):
    """Newlines in ``data``: with numpy where it is loaded (10x faster than bytes.count), which a parse
    worker, started without it, does without."""
    numpy = sys.modules.get("numpy")
    if numpy is None:
        return data.count(b"\n")
    return int(numpy.count_nonzero(numpy.frombuffer(data, numpy.uint8) == 10))


def _decoded(head):
    """The head of the file as text, with its encoding guessed the way XML allows."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return head[len(bom):].decode(encoding, errors="ignore")
    if head[:4] == b"<\x00?\x00":
        return head.decode("utf-16-le", errors="ignore")
    if head[:4] == b"\x00<\x00?":
        return head.decode("utf-16-be", errors="ignore")
    return head.decode("latin-1")  # every ASCII-compatible encoding: markup is ASCII


def _prolog_state(text):
    """'root' once the root element starts, 'more' if more text is needed, or raise TileError."""
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in " \t\r\n":
            i += 1
        if i + 1 >= n:
            return "more"
        if text.startswith("<?", i):
            end, skip = text.find("?>", i + 2), 2
        elif text.startswith("<!--", i):
            end, skip = text.find("-->", i + 4), 3
        elif text.startswith("<!DOCTYPE", i):
            bracket, close = text.find("[", i), text.find(">", i)
            if close < 0:
                return "more"
            end, skip = close, 1
            if 0 <= bracket < close:  # an internal subset: up to its "]" (then ">")
                end = text.find("]", bracket)
                if end >= 0 and "<!ENTITY" in text[bracket:end]:
                    raise TileError(tr(
                        "The file declares XML entities in a DOCTYPE: refused for safety (CityGML needs none)."))
        elif text[i] == "<" and (text[i + 1].isalpha() or text[i + 1] in "_:"):
            return "root"
        elif text.startswith(("<", "<!", "<!-", "<!D", "<!DO", "<!DOC", "<!DOCT", "<!DOCTY", "<!DOCTYP"), i) \
                and n - i < 9:
            return "more"
        else:
            raise TileError(tr("The file is not XML."))
        if end < 0:
            return "more"
        i = end + skip


def check_prolog(stream):
    """Read the start of ``stream`` up to its root element and refuse entity declarations.

    Raises TileError for DOCTYPEs with entities, files that are not XML, empty
    files and prologs over 1 MB. What was read is replayed to the parser.
    """
    size = 4096
    while True:
        head, at_end = stream.peek_head(size)
        state = _prolog_state(_decoded(head))
        if state == "root":
            return
        if at_end:
            raise TileError(tr("The file is empty or has no root element."))
        if len(head) > PROLOG_LIMIT:
            raise TileError(tr("The file has more than 1 MB before its root element: refused."))
        size = min(size * 4, PROLOG_LIMIT)


_SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False,
         "dtd_validation": False, "attribute_defaults": False, "remove_comments": True, "remove_pis": True,
         "remove_blank_text": True, "collect_ids": False}  # collect_ids: no xml:id table (CityGML has gml:id)


def iterparse(stream, events, tags):
    """lxml's iterparse over ``stream`` with every resolver and network access off."""
    return etree.iterparse(stream, events=events, tag=tags, **_SAFE)


def parse_whole(stream):
    """The root element of ``stream`` (a GuardedStream) parsed in one go, with the same safety as
    ``iterparse``: for a document known to be small (a slice of a tile, see tile_slices), where that is
    faster. Its bytes go to the parser in one piece: lxml pulls a file object in small reads, each through
    Python (a dense tile's slices: 0.18 -> 0.10 s)."""
    return etree.fromstring(stream.read_all(), etree.XMLParser(**_SAFE))


def syntax_error(error, stream=None, root_closed=True):
    """TileError for an lxml XMLSyntaxError, with the line where the file went wrong.

    A file that ends (on its last line) before its root element does is called
    truncated: lxml's own message then often speaks of "extra content", which
    would mislead the user.
    """
    message = str(error.msg if getattr(error, "msg", None) else error)
    line = getattr(error, "lineno", None) or (error.position[0] if getattr(error, "position", None) else 0)
    lowered = message.lower()
    truncated = (stream is not None and stream.at_end and not root_closed and line >= stream.lines
                 and "mismatch" not in lowered)
    if truncated or "premature end" in lowered:
        reason = tr("The file ends too early (truncated?) at line {line}.")
    elif "depth" in lowered:
        reason = tr("The file is nested too deeply at line {line}: refused.")
    else:
        reason = tr("The file is not well-formed XML at line {line}.")
    return TileError(reason.format(line=line), detail=message)
