"""Toy tasks for the batch runner's tests: importable by worker processes (module-level functions)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from contractgen.diagnostics import Diagnostic
from contractgen.errors import RenderError, SpecError


def echo(spec: Path, options: dict[str, float]) -> str:
    """The spec's text and the worker's pid; ``bad`` fails as invalid, ``broken`` as a render."""
    text = spec.read_text(encoding="utf-8").strip()
    time.sleep(options.get("sleep", 0.0))
    if text == "bad":
        raise SpecError("", [Diagnostic(str(spec), 1, 1, "type", "缺少必填字段")])
    if text == "broken":
        raise RenderError("渲染失败")
    if text == "bug":
        raise ZeroDivisionError("division by zero")
    if text == "die":  # a worker killed mid-task: out of memory, say
        os.kill(os.getpid(), 9)
    return f"{text}@{os.getpid()}"
