"""The grader's resource limits, declared once: default, unit and help of each.

:class:`Limits` is the one place a limit is written. The ``grade`` command's flags and their
help text are built from it (:func:`add_arguments`, :func:`from_arguments`), and the figures in
``docs/teaching.md`` are tagged as prose facts and compared with it by the test suite. Adding a
limit is one line here (``name: type = limit(default, unit, help)``); the flag, its help and
its documentation check follow, and the grader reads it from the ``Limits`` it is given.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field, fields
from typing import Any


def limit(default: float, unit: str, help: str) -> Any:
    """A limit's field: its default, its unit (``s``, ``MB``, ...) and what it caps (for ``--help``)."""
    return field(default=default, metadata={"unit": unit, "help": help})


@dataclass
class Limits:
    """Resource limits for one submission."""

    cell_timeout: int = limit(30, "s", "time per cell")
    notebook_timeout: int = limit(180, "s", "time per submission")
    memory_mb: int = limit(2048, "MB", "memory per submission")
    output_mb: float = limit(5.0, "MB", "output a submission may print or display; the rest is discarded")
    file_mb: int = limit(50, "MB", "size of each file a submission writes")
    submission_mb: int = limit(20, "MB", "size of a submitted file (larger ones are rejected unread)")
    message_mb: int = limit(
        8, "MB", "size of one message from a kernel (an output); a larger one is dropped before it is held"
    )
    threads: int = limit(64, "threads", "threads a submission may run at once (new processes are refused)")
    open_files: int = limit(1024, "files", "files and sockets a submission may hold open")
    isolate: bool = True  #: isolate each kernel by the operating system (see isolation.py)
    workdir: str | None = None  #: where scratch folders go (the batch gives each run its own)


def declared() -> list[Any]:
    """The limits' fields (those declared with :func:`limit`), in declaration order."""
    return [f for f in fields(Limits) if "unit" in f.metadata]


def flag(name: str) -> str:
    """The command-line flag of a limit: ``cell_timeout`` -> ``--cell-timeout``."""
    return "--" + name.replace("_", "-")


def describe(name: str, value: float | None = None) -> str:
    """A limit's value with its unit, as the documentation writes it (``30 s``, ``2048 MB``)."""
    f = next(f for f in declared() if f.name == name)
    value = f.default if value is None else value
    return f"{value:g} {f.metadata['unit']}"


def _positive(kind: type) -> Any:
    """An argparse type: a number of ``kind`` above zero (anything else is a usage error)."""

    def convert(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            kind_name = "an integer" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"{text!r} is not {kind_name}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text} is not above zero")
        return value

    convert.__name__ = kind.__name__
    return convert


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """One flag per limit, typed as its default, with its help, unit and default."""
    for f in declared():
        unit = f.metadata["unit"]
        parser.add_argument(
            flag(f.name),
            dest=f.name,
            type=_positive(type(f.default)),
            default=f.default,
            metavar={"s": "SECONDS"}.get(unit, unit.upper()),
            help=f"{f.metadata['help']} (default {describe(f.name)})",
        )


def from_arguments(args: argparse.Namespace, **others: Any) -> Limits:
    """The :class:`Limits` that parsed flags give (``others``: fields that are not limits)."""
    return Limits(**{f.name: getattr(args, f.name) for f in declared()}, **others)
