"""Loading a spec: bytes → strict UTF-8 text → YAML composed without its traps → plain data with positions.

:func:`load_spec` is the only way into the pipeline. It reads at most :attr:`Limits.max_bytes`, decodes
strictly as UTF-8 (a BOM is allowed), reports every forbidden character with its field, line and code point,
and composes the YAML with :mod:`contractgen.spec.yaml_compose` (no anchors, aliases, tags, merge keys or duplicate
keys; scalars kept as source text). It reports *every* problem it can find in one go, and raises
:class:`SpecError` if there is any.

This stage must not validate against a schema, convert text to numbers or dates, or know what a field means:
that is :mod:`contractgen.validation.validator` and :mod:`contractgen.document.build`.
"""

from __future__ import annotations

import errno
import os
import select
import stat
import time
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from contractgen.diagnostics import Diagnostic, sort_key
from contractgen.errors import SpecError
from contractgen.spec.text_rules import decode_problem, describe_char, find_bad_chars, neutralise, value_problems
from contractgen.spec.yaml_compose import Composition, Limits, compose

__all__ = ["LIMITS", "Limits", "Loaded", "Spec", "load_spec", "read_spec"]

LIMITS = Limits()

_BOM = "\ufeff"
_MAX_CHAR_DIAGNOSTICS = 50  # a binary file would otherwise give thousands


def _frozen(mapping: Mapping[str, tuple[int, int]]) -> Mapping[str, tuple[int, int]]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Spec:
    """A loaded spec. ``data`` is plain data whose scalars are source text (only true/false/null typed).

    ``positions`` maps a dotted path (``signing.place``, ``acknowledge[1].reason``, ``""`` for
    the whole document) to the 1-based (line, column) where its value starts; ``key_positions`` maps the same
    paths to where their key was written.
    """

    path: str
    data: Any
    positions: Mapping[str, tuple[int, int]] = field(default_factory=lambda: MappingProxyType({}))
    key_positions: Mapping[str, tuple[int, int]] = field(default_factory=lambda: MappingProxyType({}))

    def locate(self, path: str, *, key: bool = False) -> tuple[int, int]:
        """Where to point for ``path``: its key (``key=True``) or value, else the nearest ancestor's key."""
        probe = path
        while True:
            if key and probe in self.key_positions:
                return self.key_positions[probe]
            if probe in self.positions:
                return self.positions[probe]
            if not probe:
                return (1, 1)
            probe = _parent(probe)
            key = True  # for an ancestor, its key line is where the reader looks


def _parent(path: str) -> str:
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


@dataclass(frozen=True)
class Loaded:
    """What reading a spec gave: the spec (``None`` when nothing usable came out) and every loader problem."""

    spec: Spec | None
    diagnostics: tuple[Diagnostic, ...]


def load_spec(source: str | os.PathLike[str], *, text: str | bytes | None = None) -> Spec:
    """Load the spec at ``source`` (or ``text``, with ``source`` as its display name).

    Raises :class:`SpecError` carrying every loader problem, sorted by position, if there is any.
    """
    loaded = read_spec(source, text=text)
    if loaded.diagnostics or loaded.spec is None:
        count = len(loaded.diagnostics)
        raise SpecError(f"{os.fspath(source)}：有 {count} 个错误，无法读取", loaded.diagnostics)
    return loaded.spec


def read_spec(
    source: str | os.PathLike[str], *, text: str | bytes | None = None, limits: Limits = LIMITS
) -> Loaded:
    """Like :func:`load_spec`, but returns the problems instead of raising.

    The spec is returned along with its problems when they leave the data's structure intact (a bad character,
    a duplicate key, an anchor), so validation can go on and report everything at once.
    """
    name = os.fspath(source)
    if text is None:
        raw = _read_file(name, limits)
        if isinstance(raw, Diagnostic):
            return Loaded(None, (raw,))
        text = raw
    if isinstance(text, bytes):
        decoded = _decode(text, name, limits)
        if isinstance(decoded, Diagnostic):
            return Loaded(None, (decoded,))
        text = decoded
    else:
        text = text.removeprefix(_BOM)
        if len(text) * 4 > limits.max_bytes and len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes:
            return Loaded(None, (_too_large(name, limits),))
    return _parse(text, name, limits)


#: How long a spec that is a pipe or a device may take to deliver its text (``validate <(generate-spec)``).
PIPE_SECONDS = 10.0


def _read_file(name: str, limits: Limits) -> bytes | Diagnostic:
    # Opened without blocking: a FIFO nobody writes to must not hang the run at open(), nor at read().
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        return Diagnostic(name, 0, 0, "", _os_message(error), rule="file")
    try:
        kind = os.fstat(fd).st_mode
        if stat.S_ISDIR(kind):
            return Diagnostic(name, 0, 0, "", _os_message(OSError(errno.EISDIR, "")), rule="file")
        if stat.S_ISREG(kind):
            os.set_blocking(fd, True)
            # Read one byte past the cap rather than trusting the size.
            data = _read_up_to(fd, limits.max_bytes + 1)
        elif stat.S_ISFIFO(kind) or stat.S_ISCHR(kind):
            data = _read_pipe(fd, limits.max_bytes + 1, name)
        else:
            return Diagnostic(name, 0, 0, "", "不是普通文件（套接字或块设备），请给出一个 .yaml 文件", rule="file")
    except TimeoutError:
        message = f"不是普通文件（管道或设备），{PIPE_SECONDS:g} 秒内没有读到内容；请给出一个 .yaml 文件"
        return Diagnostic(name, 0, 0, "", message, rule="file")
    except OSError as error:
        return Diagnostic(name, 0, 0, "", _os_message(error), rule="file")
    finally:
        os.close(fd)
    if len(data) > limits.max_bytes:
        return _too_large(name, limits)
    return data


def _read_up_to(fd: int, size: int) -> bytes:
    chunks: list[bytes] = []
    while size > 0 and (chunk := os.read(fd, min(size, 1 << 20))):
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _read_pipe(fd: int, size: int, name: str) -> bytes:
    """Read a pipe or device until its end, ``size`` bytes, or :data:`PIPE_SECONDS` (TimeoutError)."""
    deadline = time.monotonic() + PIPE_SECONDS
    chunks: list[bytes] = []
    while size > 0:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            raise TimeoutError(name)
        try:
            chunk = os.read(fd, min(size, 1 << 16))
        except BlockingIOError:
            continue
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _os_message(error: OSError) -> str:
    messages = {
        errno.ENOENT: "文件不存在",
        errno.EACCES: "没有读取这个文件的权限",
        errno.EISDIR: "这是一个文件夹，不是规格文件",
    }
    return messages.get(error.errno or 0, f"无法读取文件（{error.strerror or error}）")


def _too_large(name: str, limits: Limits) -> Diagnostic:
    size = f"{limits.max_bytes // 1024} KB"
    return Diagnostic(
        name, 0, 0, "", f"文件过大（超过 {size}）：规格文件通常只有几 KB，请确认没有选错文件", rule="file"
    )


def _decode(data: bytes, name: str, limits: Limits) -> str | Diagnostic:
    if len(data) > limits.max_bytes:
        return _too_large(name, limits)
    data = data.removeprefix(b"\xef\xbb\xbf")
    problem = decode_problem(data)
    if problem is not None:
        message, line, column = problem
        return Diagnostic(name, line, column, "", message, rule="encoding")
    return data.decode("utf-8")


def _parse(text: str, name: str, limits: Limits) -> Loaded:
    bad = list(find_bad_chars(text))
    composition = compose(neutralise(text) if bad else text, name, limits)
    diagnostics = list(composition.diagnostics)
    diagnostics += _character_diagnostics(bad, composition, name)
    diagnostics += _value_diagnostics(composition, name)
    diagnostics.sort(key=sort_key)
    if len(diagnostics) > limits.max_diagnostics:
        rest = len(diagnostics) - limits.max_diagnostics
        diagnostics = diagnostics[: limits.max_diagnostics]
        diagnostics.append(Diagnostic(name, 0, 0, "", f"还有 {rest} 个问题未列出", rule="yaml.limit"))
    if composition.fatal:
        return Loaded(None, tuple(diagnostics))
    spec = Spec(
        path=name,
        data=composition.data,
        positions=_frozen(composition.positions),
        key_positions=_frozen(composition.key_positions),
    )
    return Loaded(spec, tuple(diagnostics))


def _character_diagnostics(bad: list[Any], composition: Composition, name: str) -> list[Diagnostic]:
    scalars = sorted(composition.scalars, key=lambda s: s.start)
    starts = [s.start for s in scalars]
    out: list[Diagnostic] = []
    for char in bad[:_MAX_CHAR_DIAGNOSTICS]:
        path, where = "", "此处"
        i = bisect_right(starts, char.index) - 1
        if i >= 0 and scalars[i].start <= char.index < max(scalars[i].end, scalars[i].start + 1):
            path, where = scalars[i].path, ("字段名" if scalars[i].is_key else "")
        else:
            # Outside any scalar: most often a comment after a value; name the field written on that line.
            on_line = [s for s in scalars[: i + 1] if s.line == char.line]
            if on_line:
                path, where = on_line[-1].path, "注释中"
        out.append(
            Diagnostic(
                name,
                char.line,
                char.column,
                path,
                f"{where}含有{describe_char(char.char)}：请删除",
                rule="text",
            )
        )
    if len(bad) > _MAX_CHAR_DIAGNOSTICS:
        rest = len(bad) - _MAX_CHAR_DIAGNOSTICS
        out.append(Diagnostic(name, 0, 0, "", f"还有 {rest} 个不允许的字符未列出", rule="text"))
    return out


def _value_diagnostics(composition: Composition, name: str) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for scalar in composition.scalars:
        for _index, message in value_problems(scalar.value, double_quoted=scalar.double_quoted):
            label = "字段名" if scalar.is_key else ""
            out.append(
                Diagnostic(name, scalar.line, scalar.column, scalar.path, label + message, rule="text")
            )
    return out
