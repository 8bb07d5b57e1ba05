"""Who a submission belongs to: one identity per student, whatever the spelling of the name.

A student's name reaches the grader from a file name, a folder name or a learning platform's
download, so the same person can arrive as ``José`` (NFC) and ``José`` (NFD), ``Alice`` and
``alice``, or ``bob `` with a trailing space. Three things are derived from a raw name, each for
one job, and never confused:

* :attr:`Identity.key`: what makes two names the same student (Unicode NFC, case-folded,
  runs of white space made one space, ends stripped, zero-width joiners left out). The
  gradebook, the review files, the marks and the shards are keyed by it, never by line position
  or raw spelling.
* :attr:`Identity.display`: what a teacher reads (NFC, white space tidied, original case).
* :attr:`Identity.filename`: a short, safe file name for that student's feedback files (ASCII
  letters, digits, ``-`` and ``_`` only, at most 64 bytes, ending in a digest of the key so that
  two students never share one), so a 240-byte or ``../`` name cannot break a write.

A raw name with a newline or another control character is not an identity at all:
:func:`identity` raises :class:`BadName` with a reason for that student's row.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

MAX_FILENAME = 64  #: bytes of a derived file name, digest included
DIGEST_CHARS = 10  #: hex characters of the key's SHA-256 kept in a file name
MAX_NAME_CHARS = 200  #: longer raw names are refused (no platform produces them)
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


class BadName(ValueError):
    """A raw name that cannot identify a student; the message says why, for the gradebook."""


@dataclass(frozen=True, order=True)
class Identity:
    """One student: ``key`` for matching, ``display`` for people, ``filename`` for files."""

    key: str
    display: str
    filename: str


#: the zero-width non-joiner and joiner: format characters that belong inside names written in
#: Persian, Hindi, Malayalam and other scripts (they choose a letter's joined or separate form).
#: Between two letters or marks they are part of the name; elsewhere they are refused like any
#: other format character; the key leaves them out, so a name typed with or without them is one.
JOINERS = "\u200c\u200d"
_NO_JOINERS = str.maketrans("", "", JOINERS)


def _inside_a_word(name: str, i: int) -> bool:
    return 0 < i < len(name) - 1 and all(unicodedata.category(name[j])[0] in "LM" for j in (i - 1, i + 1))


def _control_characters(name: str) -> list[str]:
    """Line breaks and other control or format characters (a tab counts as a space; a joiner
    inside a word is part of the name, see :data:`JOINERS`)."""
    return [
        c
        for i, c in enumerate(name)
        if c != "\t"
        and unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")
        and not (c in JOINERS and _inside_a_word(name, i))
    ]


def display_name(raw: str) -> str:
    """The name as a teacher should read it: NFC, white space runs made one space, ends stripped."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", raw)).strip()


def identity_key(raw: str) -> str:
    """What makes two spellings the same student (see the module docstring)."""
    return unicodedata.normalize("NFC", display_name(raw).casefold().translate(_NO_JOINERS))


_BARE = re.compile(r"[a-z0-9_][a-z0-9_-]{0,52}")
_DIGESTED = re.compile(rf"-[0-9a-f]{{{DIGEST_CHARS}}}$")
_RESERVED = re.compile(r"(con|prn|aux|nul|com\d|lpt\d)", re.I)  # device names on Windows


def safe_filename(key: str) -> str:
    """A file name for the student with this key: readable where possible, always unique and short.

    A key that is already a plain, short file name (``alice``, ``partly_wrong``) is used as it is;
    any other gets a readable ASCII stem and a digest of the key. A plain key that merely looks
    like a digested name (``jose-0123456789``) gets a digest too, so no student can take
    another's file by naming themselves after it.
    """
    if _BARE.fullmatch(key) and not _DIGESTED.search(key) and not _RESERVED.fullmatch(key):
        return key
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:DIGEST_CHARS]
    ascii_name = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode("ascii")
    stem = _UNSAFE.sub("-", ascii_name).strip("-_")[: MAX_FILENAME - DIGEST_CHARS - 1]
    return f"{stem}-{digest}" if stem else f"student-{digest}"


def identity(raw: str) -> Identity:
    """The identity of a raw student name, or :class:`BadName` saying why it cannot be one."""
    if any(0xDC80 <= ord(c) <= 0xDCFF for c in raw):
        raise BadName(
            "the student name is not valid text (bytes that are not UTF-8 in the file name); rename "
            "the file or folder to the student's name and grade again"
        )
    bad = _control_characters(raw)
    if bad:
        shown = ", ".join(sorted({f"U+{ord(c):04X}" for c in bad}))
        raise BadName(
            f"the student name contains a line break or control character ({shown}); rename the file "
            "or folder to the student's name and grade again"
        )
    display = display_name(raw)
    if not display:
        raise BadName("the student name is empty; rename the file or folder to the student's name")
    if len(display) > MAX_NAME_CHARS:
        raise BadName(
            f"the student name is {len(display)} characters long (at most {MAX_NAME_CHARS}); "
            "rename the file or folder to the student's name"
        )
    key = identity_key(display)
    return Identity(key=key, display=display, filename=safe_filename(key))


def shard_of(key: str, shards: int) -> int:
    """The shard (0 .. shards-1) that grades the student with this identity key; stable everywhere."""
    if shards < 1:
        raise ValueError("the number of shards must be at least 1")
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big") % shards


def shown(raw: str) -> str:
    """A raw name that is not an identity, made printable for its row: control characters and
    undecodable bytes written as escapes, an overlong name cut with its length and a digest (so
    two bad names never share a row)."""
    out = "".join(
        f"\\x{ord(c) - 0xDC00:02x}"
        if 0xDC80 <= ord(c) <= 0xDCFF  # a byte that was not UTF-8 (surrogateescape)
        else (c if c == "\t" or not _control_characters(c) else f"\\u{ord(c):04x}")
        for c in raw
    )
    if len(out) > 80:
        digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        out = f"{out[:60]}… ({len(raw)} characters, #{digest})"
    return out


def file_name_of(student: str) -> str:
    """The feedback file name (without suffix) of a gradebook row's student, whatever the name."""
    try:
        return identity(student).filename
    except BadName:
        return safe_filename("\0" + student)  # never the file of a valid identity


def key_of(student: str) -> str:
    """The identity key of a gradebook row's student (a name that is not an identity: itself)."""
    try:
        return identity(student).key
    except BadName:
        return "\0" + student
