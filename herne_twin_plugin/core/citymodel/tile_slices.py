"""A CityGML tile cut into slices of whole city objects, each readable on its own.

A slice is the file's head (everything before the first ``cityObjectMember``:
the XML declaration, the root element with its namespaces, the envelope with
the srsName), then a run of whole ``cityObjectMember``s, then the root's end
tag; the last slice ends with the rest of the file instead. Parsed on its own,
a slice yields exactly the buildings the whole file yields in that run, with
the same checks (``CityGMLReader`` reads it as it reads a file; ``SlicePlan.line_offset``
turns its line numbers into those of the whole file).

``SlicePlan`` finds the cuts in one pass over the file (and feeds the file's
hash), holding at most a slice or two of bytes, never the document: the end
tag of a member is searched as bytes. The cut is only a plan: where the file
is not of the usual shape (a member end tag inside a comment, nested members,
no member near the start, a member bigger than the limit, a file over the size
limit) a slice does not parse, or ``SliceUnsuitable`` is raised, and the
importer reads the tile as a whole instead, which gives the precise error.
"""

import re

from lxml import etree

from .xml_safety import count_lines

_MEMBER_START = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)cityObjectMember[\s>]")


class SliceUnsuitable(Exception):  # noqa: N818 (not an error: the tile is read as a whole)
    """The file cannot be cut safely; read it as a whole."""


class Slice:
    """Bytes ``start`` to ``end`` of the file (``end`` None: to the end, with the file's own end tag)."""

    __slots__ = ("start", "end")

    def __init__(self, start, end):
        self.start = start
        self.end = end


class SlicePlan:
    """Cuts the open binary file ``handle`` into slices of about ``slice_bytes`` (half to one and a half).

    After the first slice ``head_end`` (bytes of the head) and ``tail`` (the root's end tag) are
    known; ``hasher`` sees every byte of the file; ``max_bytes`` and ``max_object_bytes`` are the
    reader's limits (over them: SliceUnsuitable, the whole-file reader then reports it).
    """

    def __init__(self, handle, slice_bytes, hasher=None, max_bytes=None, max_object_bytes=None):
        self._handle = handle
        self._slice_bytes = slice_bytes
        self._hasher = hasher
        self._max_bytes = max_bytes
        self._max_object_bytes = max_object_bytes
        self._read_bytes = 0
        self._lines_counted = None  # (offset, newlines from head_end to offset), see line_offset
        self.head_end = None
        self.tail = None

    def _read(self):
        data = self._handle.read(self._slice_bytes)
        self._read_bytes += len(data)
        if self._max_bytes is not None and self._read_bytes > self._max_bytes:
            raise SliceUnsuitable("larger than the size limit")
        if self._hasher is not None and data:
            self._hasher.update(data)
        return data

    def slices(self):
        """Yield each Slice as soon as its end is read. Only positions are kept between reads (a member end
        tag that two reads cut in two is found where they meet): the bytes are read and hashed once, never
        joined."""
        first = self._read()
        match = _MEMBER_START.search(first)
        if match is None:
            raise SliceUnsuitable("no cityObjectMember near the start")
        self.head_end = match.start()
        self.tail = _root_end_tag(first[:self.head_end])
        close = b"</" + match.group(1) + b"cityObjectMember>"
        start = self.head_end
        found = first.rfind(close, start)
        last_close = found + len(close) if found >= 0 else start  # just after the last member end tag read
        read_end = len(first)
        edge = first[-(len(close) - 1):]  # the last bytes read, for a tag cut in two
        at_end = False
        while True:
            if last_close > start and (read_end - start >= self._slice_bytes // 2 or at_end):
                yield Slice(start, last_close)
                start = last_close
            if at_end:
                break
            more = self._read()
            if not more:
                at_end = True
                continue
            found = more.rfind(close)
            if found >= 0:
                last_close = read_end + found + len(close)
            else:
                across = (edge + more[:len(close) - 1]).rfind(close)
                if across >= 0:
                    last_close = read_end - len(edge) + across + len(close)
            read_end += len(more)
            edge = (edge + more)[-(len(close) - 1):] if len(more) < len(close) else more[-(len(close) - 1):]
            if self._max_object_bytes is not None and read_end - start > self._max_object_bytes + 2 * self._slice_bytes:
                raise SliceUnsuitable("a member larger than the object limit")
        yield Slice(start, None)

    def line_offset(self, piece, handle):
        """What to add to a line number in the slice's document to get the line in the file: the newlines
        between the head and the slice, counted (from the open file ``handle``) only where needed, for
        failures (in file order, each count going on from the last)."""
        offset, lines = self._lines_counted or (self.head_end, 0)
        if piece.start < offset:
            offset, lines = self.head_end, 0
        handle.seek(offset)
        while offset < piece.start:
            data = handle.read(min(self._slice_bytes, piece.start - offset))
            if not data:
                break
            lines += count_lines(data)
            offset += len(data)
        self._lines_counted = (offset, lines)
        return lines


def _root_end_tag(head):
    """The end tag of the root element the head opens (its qualified name as written)."""
    parser = etree.XMLPullParser(events=("start",), resolve_entities=False, no_network=True, load_dtd=False,
                                 huge_tree=False)
    try:
        parser.feed(head)
        for _event, root in parser.read_events():
            name = etree.QName(root).localname
            return "</{}>".format(root.prefix + ":" + name if root.prefix else name).encode("utf-8")
    except etree.XMLSyntaxError:
        pass
    raise SliceUnsuitable("no root element in the head")


def read_slice(handle, head_end, tail, piece):
    """The bytes of ``piece`` (a Slice) as a document of its own, read from the open file ``handle``."""
    handle.seek(0)
    head = handle.read(head_end)
    handle.seek(piece.start)
    if piece.end is None:
        return head + handle.read()
    return b"".join((head, handle.read(piece.end - piece.start), tail))  # one copy of the body, not two
