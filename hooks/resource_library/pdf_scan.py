"""Every object a PDF holds, read from its bytes, whatever its indexes say.

A PDF is read through its cross-reference tables, and readers choose
different ones: pypdf and qpdf take the table the last `startxref` names,
while Chromium's viewer and pdf.js take the one after a linearisation
dictionary whose length is right (twenty-second round: a first-page table
named a catalogue with an /OpenAction script, the last table a clean one,
and the script ran in Chromium). Older revisions, objects no table lists,
and objects packed into object streams that only one table names are all
there for some reader. So the file is read here as a sequence of tokens,
with no table at all: every name outside strings and stream data, in the
file and in every object stream, and every /URI's string. Content streams
(what a page draws) are passed over: they hold no objects.
"""
from __future__ import annotations

import re
import zlib

# What ends a name or a number (PDF 32000-1, 7.2.2): white space and delimiters.
NAME_RE = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
# The next token that matters to this reading.
# Keywords are whole tokens: in a PDF, `'`, `*`, `@` are ordinary characters,
# so `'stream` is one token and no stream (twenty-third round: it hid the
# objects up to a `%endstream` comment). An object starts `N G obj`.
REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
NEXT_RE = re.compile(rb"[(%/<]|>>|(?<!" + REGULAR + rb")(?:endobj|trailer)(?!" + REGULAR + rb")|(?<!" + REGULAR + rb")\d+[\x00\t\n\x0c\r ]+\d+[\x00\t\n\x0c\r ]+obj(?!" + REGULAR
                     + rb")|(?<!" + REGULAR + rb")stream(?=\r\n|\r|\n)")
STRING_STEP_RE = re.compile(rb"[()\\]")
ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}
ENDSTREAM_RE = re.compile(rb"endstream")
MAX_DEPTH = 2  # object streams within object streams: a reader goes one level


# What follows /OpenAction when it is an array: a page and a view, no action.
DESTINATION = b"["
ACTION = b"<<"  # an /OpenAction given as a dictionary or by reference: the readers that resolve it judge it
REFERENCE_RE = re.compile(rb"\d{1,10}\s+\d{1,5}\s+R\b")


class Unreadable(Exception):
    """Something in the file this reading cannot follow; said as a reason."""


def _name(raw: bytes) -> str:
    """`/Java#53cript` as readers read it: `/JavaScript`."""
    return "/" + re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1")


def _literal(data: bytes, at: int) -> tuple[bytes, int]:
    """The literal string starting after the `(` at `at - 1`: its bytes as
    read (escapes and nested brackets), and where it ends."""
    out, depth, pos = bytearray(), 1, at
    while True:
        step = STRING_STEP_RE.search(data, pos)
        if step is None:
            raise Unreadable("a string that never ends")
        out += data[pos:step.start()]
        char = data[step.start()]
        pos = step.end()
        if char == ord("\\"):
            escaped = data[pos:pos + 1]
            if not escaped:
                raise Unreadable("a string that never ends")
            octal = re.match(rb"[0-7]{1,3}", data[pos:pos + 3])
            if octal:
                out.append(int(octal.group(), 8) & 0xFF)
                pos += len(octal.group())
            elif escaped in (b"\r", b"\n"):
                pos += 2 if data[pos:pos + 2] == b"\r\n" else 1
            else:
                out += ESCAPES.get(escaped[0], escaped)
                pos += 1
        elif char == ord("("):
            depth += 1
            out.append(char)
        else:
            depth -= 1
            if depth == 0:
                return bytes(out), pos
            out.append(char)


def _hex(data: bytes, at: int) -> tuple[bytes, int]:
    end = data.find(b">", at)
    if end < 0:
        raise Unreadable("a hex string that never ends")
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", data[at:end])
    return bytes.fromhex((digits + b"0" if len(digits) % 2 else digits).decode()), end + 1


def _decoded(data: bytes, filters: list[str], spend) -> bytes:
    """A stream's bytes through its filters, as far as an object stream may
    need: Flate (without predictors), ASCIIHex, ASCII85 and RunLength."""
    import base64
    for name in filters:
        if name in ("/FlateDecode", "/Fl"):
            inflater = zlib.decompressobj()
            out = bytearray()
            try:
                chunk = inflater.decompress(data, 1 << 20)
                while chunk:
                    spend(len(chunk))
                    out += chunk
                    chunk = inflater.decompress(inflater.unconsumed_tail, 1 << 20) if inflater.unconsumed_tail else b""
            except zlib.error:
                raise Unreadable("an object stream whose packed data is damaged") from None
            if not inflater.eof:
                raise Unreadable("an object stream whose packed data is cut short")
            data = bytes(out)
        elif name in ("/ASCIIHexDecode", "/AHx"):
            data = _hex(data.split(b">")[0] + b">", 0)[0]
        elif name in ("/ASCII85Decode", "/A85"):
            text = re.sub(rb"\s", b"", data)
            text = text[2:] if text.startswith(b"<~") else text
            try:
                data = base64.a85decode(text.split(b"~>")[0], adobe=False)
            except ValueError:
                raise Unreadable("an object stream whose ASCII85 text is damaged") from None
        elif name in ("/RunLengthDecode", "/RL"):
            out, pos = bytearray(), 0
            while pos < len(data) and data[pos] != 128:
                length = data[pos]
                if length < 128:
                    out += data[pos + 1:pos + 2 + length]
                    pos += length + 2
                else:
                    out += data[pos + 1:pos + 2] * (257 - length)
                    pos += 2
                spend(len(out))
            data = bytes(out)
        else:
            raise Unreadable(f"an object stream packed with {name[1:]}, which this check does not unpack")
    return data


def entries(data: bytes, spend, depth: int = 0):
    """(name, the string after it or None) for every name in `data` outside
    strings and stream data, in order, object streams unpacked in place.
    `spend(n)` is told of each token and of every n bytes inflated; it
    raises to stop the reading."""
    pos, dictionary = 0, []  # the names since the last `obj`: a stream's dictionary
    closed = -1  # where the last `>>` ended: a stream's data follows its dictionary, and nothing else
    in_object = False  # between `N G obj` and `endobj`: a trailer's dictionary has no stream
    while True:
        found = NEXT_RE.search(data, pos)
        if found is None:
            return
        spend(1)
        token = found.group()
        pos = found.end()
        if token == b"(":
            _, pos = _literal(data, pos)
        elif token == b"%":
            end = LINE_END_RE.search(data, pos)
            pos = end.end() if end else len(data)
        elif token == b"<":
            if data[pos:pos + 1] == b"<":
                pos += 1
            else:
                _, pos = _hex(data, pos)
        elif token == b">>":
            closed = pos
        elif token in (b"endobj", b"trailer"):
            in_object = False
        elif token.endswith(b"obj"):
            dictionary, in_object = [], True
        elif token == b"/":
            match = NAME_RE.match(data, found.start())
            pos = match.end()
            name = _name(match.group(1))
            value = None
            if name == "/OpenAction":
                start = SPACE_RE.match(data, pos).end()
                after = data[start:start + 24]
                value = DESTINATION if after[:1] == b"[" else ACTION if after[:2] == b"<<" or REFERENCE_RE.match(
                    after) else None
            if name in ("/URI", "/Base"):
                after = SPACE_RE.match(data, pos).end()
                if data[after:after + 1] == b"(":
                    value, pos = _literal(data, after + 1)
                elif data[after:after + 1] == b"<" and data[after + 1:after + 2] != b"<":
                    value, pos = _hex(data, after + 1)
            dictionary.append(name)
            yield name, value
        else:  # `stream`, then an end of line: its data runs to `endstream`
            if not in_object or closed < 0 or COMMENTS_RE.sub(b"", data[closed:found.start()]).strip(
                    b"\x00\t\n\x0c\r "):
                # Not right after an object's dictionary: no reader takes it for a stream's start.
                continue
            pos += 2 if data[pos:pos + 2] == b"\r\n" else 1
            end = ENDSTREAM_RE.search(data, pos)
            if end is None:
                raise Unreadable("a stream that never ends")
            if "/F" in dictionary:
                raise Unreadable("a stream whose data is in another file")
            if "/ObjStm" in dictionary or ("/N" in dictionary and "/First" in dictionary):
                if depth >= MAX_DEPTH:
                    raise Unreadable("object streams inside object streams")
                if "/DecodeParms" in dictionary or "/DP" in dictionary:
                    raise Unreadable("an object stream with decoding parameters, which this check does not follow")
                after = dictionary[dictionary.index("/Filter") + 1:] if "/Filter" in dictionary else []
                filters = [name for name in after if name in FILTER_NAMES]
                # Readers take a stream's length from /Length: packed data
                # that holds the bytes `endstream` runs on to a later one.
                while True:
                    try:
                        unpacked = _decoded(data[pos:end.start()], filters, spend)
                        break
                    except Unreadable:
                        end = ENDSTREAM_RE.search(data, end.end())
                        if end is None:
                            raise
                yield from entries(unpacked, spend, depth + 1)
            pos, dictionary, in_object = end.end(), [], True


LINE_END_RE = re.compile(rb"[\r\n]")
COMMENTS_RE = re.compile(rb"%[^\r\n]*")
SPACE_RE = re.compile(rb"[\x00\t\n\x0c\r ]*")


FILTER_NAMES = frozenset({"/FlateDecode", "/Fl", "/ASCIIHexDecode", "/AHx", "/ASCII85Decode", "/A85",
                          "/RunLengthDecode", "/RL", "/LZWDecode", "/LZW", "/CCITTFaxDecode", "/CCF", "/DCTDecode",
                          "/DCT", "/JBIG2Decode", "/JPXDecode", "/Crypt"})
