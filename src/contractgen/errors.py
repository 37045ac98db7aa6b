"""The one error tree of contractgen.

Every failure the library raises on purpose is a :class:`ContractgenError`. Each class carries the exit code the
command line turns it into (see ``security-notes.md``), so the CLI has exactly one place that maps errors to
messages and codes. Messages are written for the user, in Chinese, and name what was wrong with which input.

This module must not import anything heavy, nor print: raising is the library's only way to report a failure.
"""

from __future__ import annotations

from collections.abc import Sequence

TYPE_CHECKING = False  # as in contractgen/__init__.py: no ``typing`` import at run time
if TYPE_CHECKING:
    from typing import ClassVar

    from contractgen.diagnostics import Diagnostic

__all__ = [
    "EXIT_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_RENDER",
    "EXIT_TEMPLATE",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "EXIT_VERIFY",
    "AmountError",
    "ContractgenError",
    "FontError",
    "GlyphError",
    "InputError",
    "NumeralError",
    "OutputError",
    "RenderError",
    "SpecError",
    "TemplateError",
    "Terminated",
    "VerificationError",
]

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_TEMPLATE = 4
EXIT_RENDER = 5
EXIT_VERIFY = 6
EXIT_INTERRUPTED = 130
#: Stopped by SIGTERM (what CI sends on cancel): 128 + 15, as a shell reports it.
EXIT_TERMINATED = 143


class ContractgenError(Exception):
    """Base of every error contractgen raises on purpose; ``exit_code`` is what the CLI exits with."""

    exit_code: ClassVar[int] = EXIT_RENDER

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(ContractgenError):
    """The user's input is wrong: a spec, an amount, an option value."""

    exit_code = EXIT_INPUT


class NumeralError(InputError):
    """A number, date or rate could not be converted; ``value`` is the offending input."""

    def __init__(self, message: str, *, value: object = None, position: int | None = None) -> None:
        super().__init__(message)
        self.value = value
        #: 0-based index into the input text where the problem starts, when the input is text.
        self.position = position


class AmountError(NumeralError):
    """An amount cannot be written or read as 人民币大写."""


class SpecError(InputError):
    """A spec failed to load or validate. ``diagnostics`` holds every problem found, sorted by position."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)


class TemplateError(ContractgenError):
    """A template is broken: bad syntax, an undefined variable, bad markup, a hostile Word file."""

    exit_code = EXIT_TEMPLATE


class RenderError(ContractgenError):
    """Rendering failed: fonts, blocked resources, WeasyPrint or Word-writing failures, time budget."""

    exit_code = EXIT_RENDER


class FontError(RenderError):
    """A font that was asked for is missing, or the PDF does not embed the intended faces."""


class GlyphError(FontError):
    """The text holds ``characters`` that the face ``family`` has no glyph for (they would print as boxes)."""

    def __init__(self, message: str, *, family: str = "", characters: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.family = family
        self.characters = characters


class OutputError(ContractgenError):
    """Output could not be written: disk, permissions, unsafe names, a locked output directory."""

    exit_code = EXIT_RENDER


class VerificationError(ContractgenError):
    """A bundle failed verification: a hash, a file list or a signature does not hold."""

    exit_code = EXIT_VERIFY


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so every clean-up that an interrupt runs also runs for it (exit 143)."""
