"""Run notebooks from a fresh kernel and store their outputs so that every run is identical.

``python -m defection_course execute notebooks/*.ipynb`` re-executes notebooks in place.
After execution, :func:`normalize` removes what differs between runs (widget model ids
and saved widget state, timing metadata, the Python patch version), so a re-run of an
unchanged notebook produces the same file byte for byte. The test suite uses
:func:`outputs_of` to compare a fresh execution with the committed outputs.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from traitlets.config import Config

from ..errors import CourseError
from ..paths import socket_temp_base

#: Every execution gets a timeout (nbclient can otherwise wait forever on a lost reply).
CELL_TIMEOUT = 120
#: Set for every kernel that stores or checks outputs (the test suite sets the same).
KERNEL_ENV = {"IPYKERNEL_CELL_NAME": "<cell>", "PYTHONHASHSEED": "0"}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: The private folder of a kernel's channels (``tempfile``'s eight random characters follow) and its
#: connection file there; jupyter_client names the sockets after the file: ``kernel-ipc-1`` ...
KERNEL_FOLDER_PREFIX = "course-kernel-"
CONNECTION_FILE = "kernel.json"


def execute(
    nb: nbformat.NotebookNode,
    cwd: Path,
    timeout: int = CELL_TIMEOUT,
    kernel_name: str = "python3",
    allow_errors: bool = False,
) -> nbformat.NotebookNode:
    """Execute a notebook in a new kernel (in ``cwd``) and return the executed copy.

    The kernel gets :data:`KERNEL_ENV` in its own environment (this process's is left alone, so
    several notebooks may be executed at once from threads). See :func:`_channels` for how the
    two talk.
    """
    nb = copy.deepcopy(nb)
    with tempfile.TemporaryDirectory(prefix=KERNEL_FOLDER_PREFIX, dir=socket_temp_base()) as runtime:
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name=kernel_name,
            record_timing=False,
            allow_errors=allow_errors,
            resources={"metadata": {"path": str(cwd)}},
            config=_channels(runtime),
        )
        env = {**os.environ, **KERNEL_ENV}
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # the usual case: an event loop of its own, closed after (safe in a thread)
            asyncio.run(client.async_execute(env=env))
        else:
            client.execute(env=env)
    return nb


def _channels(runtime: str) -> Config:
    """The kernel's channels: Unix sockets in the private folder ``runtime`` where the platform has
    them, not TCP ports on localhost (which other accounts on the machine could reach, and which
    ipykernel warns about on every start); TCP on Windows, where ZeroMQ has no Unix sockets."""
    if os.name != "posix":
        return Config()
    connection_file = os.path.join(runtime, CONNECTION_FILE)
    return Config(KernelManager={"transport": "ipc", "connection_file": connection_file})


def merge_streams(outputs: list[Any]) -> list[Any]:
    """Join consecutive stream outputs of the same name (stdout, stderr) into one.

    How many stream outputs two ``print`` calls produce depends on when the kernel flushes,
    which depends on how busy the machine is; the text does not. nbval merges them too.
    """
    merged: list[Any] = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            merged[-1] = nbformat.from_dict(
                {**previous, "text": _text(previous["text"]) + _text(output["text"])}
            )
        else:
            merged.append(output)
    return merged


def _text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def normalize(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove run-to-run noise: widget ids and state, timings, interpreter patch version.

    Consecutive stream outputs are merged, so the stored file does not depend on timing.
    """
    nb.metadata.pop("widgets", None)
    info = nb.metadata.get("language_info")
    if isinstance(info, dict):
        info.pop("version", None)
    counter = 0
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_MIME in data:
                counter += 1
                data[WIDGET_MIME]["model_id"] = f"widget-{counter:04d}"
    return nb


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a notebook; a missing or damaged file is a :class:`CourseError` that names it."""
    try:
        return nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise CourseError(f"{path}: no such notebook.") from None
    except (ValueError, KeyError) as exc:  # not JSON, not UTF-8, not a notebook
        raise CourseError(f"{path} is not a readable notebook ({exc.__class__.__name__}: {exc}).") from None


def run_in_place(path: Path, timeout: int = CELL_TIMEOUT) -> None:
    """Execute ``path`` and overwrite it with normalized outputs."""
    nb = read_notebook(path)
    executed = normalize(execute(nb, cwd=path.parent, timeout=timeout))
    nbformat.write(executed, path)


_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,16}\b")


def outputs_of(nb: nbformat.NotebookNode) -> list[list[dict[str, Any]]]:
    """Each code cell's outputs in a comparable form (widget ids and addresses masked)."""
    result = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outs = []
        for output in merge_streams(cell.get("outputs", [])):
            item = {k: v for k, v in output.items() if k not in ("execution_count", "metadata")}
            item = json.loads(_ADDRESS.sub("0xADDRESS", json.dumps(item, sort_keys=True)))
            data = item.get("data", {})
            if WIDGET_MIME in data:
                data[WIDGET_MIME] = {"model": "widget"}
            outs.append(item)
        result.append(outs)
    return result


def configure(parser: argparse.ArgumentParser) -> None:
    """The ``execute`` job's arguments (see :mod:`defection_course.cli`)."""
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument(
        "--timeout", type=int, default=CELL_TIMEOUT, help="seconds per cell (default %(default)s)"
    )
    parser.set_defaults(run=run_job)


def run_job(args: argparse.Namespace) -> int:
    """Execute each notebook in place: 0 if all ran, 1 if a cell failed (the file is left as it was)."""
    for path in args.notebooks:  # every file readable before any is run
        read_notebook(path)
    for path in args.notebooks:
        print(f"executing {path}", flush=True)
        try:
            run_in_place(path, timeout=args.timeout)
        except CellExecutionError as exc:
            print(f"{path}: a cell failed, the notebook was not changed:\n{exc}", file=sys.stderr)
            return 1
    return 0
