"""The suite's one run of each notebook (``tests/support/notebook_run.py``) can fail, for real causes.

Two throw-away notebooks go through nbval with the plugin, in a nested pytest run: both ask for
the network and display the same PNG; one stores the PNG it displays, the other a PNG one byte
apart, which nbval alone does not notice (it compares only an image's text).
"""

from __future__ import annotations

import base64
import os
import zlib

import nbformat
import pytest
from support import ROOT

pytestmark = pytest.mark.slow  # starts two kernels

NETWORK = """\
import socket
try:
    socket.getaddrinfo("example.org", 443)
except ConnectionRefusedError as exc:
    print("blocked:", "offline test" in str(exc))"""

IMAGE = """\
import base64
from IPython.display import Image, display
display(Image(data=base64.b64decode({png!r})))"""


def _png(red: int) -> str:
    """A real 1x1 PNG of the given red level, base64 (as a notebook stores it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = chunk(b"IHDR", (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0]))
    pixel = chunk(b"IDAT", zlib.compress(bytes([0, red, 0, 0])))
    return base64.b64encode(b"\x89PNG\r\n\x1a\n" + header + pixel + chunk(b"IEND", b"")).decode()


def _notebook(stored_png: str) -> str:
    shown = _png(200)
    network = nbformat.v4.new_code_cell(NETWORK, execution_count=1)
    network.outputs = [nbformat.v4.new_output("stream", name="stdout", text="blocked: True\n")]
    image = nbformat.v4.new_code_cell(IMAGE.format(png=shown), execution_count=2)
    image.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"image/png": stored_png, "text/plain": "<IPython.core.display.Image object>"},
        )
    ]
    return nbformat.writes(nbformat.v4.new_notebook(cells=[network, image]))


def test_the_run_is_offline_and_compares_images_byte_for_byte(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT / "tests"), str(ROOT)]))
    pytester.makeconftest(
        "from support.notebook_run import NotebookRun\n\n"
        "def pytest_configure(config):\n"
        "    config.pluginmanager.register(NotebookRun(), 'course-notebook-run')\n"
    )
    pytester.path.joinpath("same.ipynb").write_text(_notebook(_png(200)), encoding="utf-8")
    pytester.path.joinpath("other.ipynb").write_text(_notebook(_png(201)), encoding="utf-8")
    result = pytester.runpytest_subprocess("--nbval", "--nbval-current-env", "-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(
        [
            "PASSED same.ipynb::fresh offline run reproduces the stored outputs",
            "FAILED other.ipynb::fresh offline run reproduces the stored outputs*",
        ]
    )
    assert "other.ipynb code cell 1 differs when re-run" in result.stdout.str()
