"""Interrupted replacements: SIGINT, SIGTERM and SIGKILL after random delays, the invariant checked after each.

A folder holds the outputs of an earlier version of three specs; a run of the new version (``render -j 2`` and
``bundle -j 2``) is interrupted at a random moment. After every interruption:

- every output is complete, and is exactly the old version or exactly the new one — never missing, never a mix;
- the exit code is the signal's (130 Ctrl-C, 143 SIGTERM), or 0 if the run had finished;
- no process of the run is left alive (workers, fork server, resource tracker);
- the next run, uninterrupted, sweeps what a kill left and leaves exactly the new version.

Bounded: a fixed number of trials with seeded delays, so CI time stays predictable and a failure repeats.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from output_listing import entries
from processes import session_processes

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "customer-service.yaml"
OLD_ADDRESS = "上海市浦东新区张江路88号5楼"

pytestmark = pytest.mark.slow


def _write_specs(folder: Path, address: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = SAMPLE.read_text(encoding="utf-8")
    assert OLD_ADDRESS in text
    for n in range(3):
        spec = text.replace("contract_no: KF-2026-0001", f"contract_no: KF-INT-{n}").replace(OLD_ADDRESS, address)
        (folder / f"{n}.yaml").write_text(spec, encoding="utf-8")


def _command(kind: str, specs: Path, out: Path) -> list[str]:
    extra = ["--to", "docx"] if kind == "render" else []
    return [sys.executable, "-m", "contractgen", kind, str(specs), "-o", str(out), "-j", "2", *extra]


def _env() -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}, "CI": "true"}


def _state(out: Path) -> dict[str, str]:
    """Each output's identity: a file's SHA-256, a bundle folder's manifest SHA-256 (after checking it)."""
    from contractgen.bundling import verify

    state = {}
    for path in entries(out):
        if path.name.startswith(".contractgen"):
            continue  # a staging folder or a records file being saved that a kill left: swept by the next run
        if path.is_dir():
            assert verify(path) == [], f"{path.name} is not a complete bundle"
            state[path.name] = hashlib.sha256((path / "manifest.json").read_bytes()).hexdigest()
        else:
            state[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


def _no_process_left(session: int) -> None:
    deadline = time.monotonic() + 15
    while (alive := session_processes(session)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive, f"processes of the run still alive: {alive}"


_VERSIONS: dict[str, dict[str, object]] = {}


def _versions(kind: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The old outputs, the new outputs' identities, and how long an uninterrupted new run takes (once per kind)."""
    if kind not in _VERSIONS:
        _VERSIONS[kind] = _make_versions(kind, tmp_path_factory)
    return _VERSIONS[kind]


def _make_versions(kind: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp(kind)
    specs, old, new = root / "specs", root / "old", root / "new"
    _write_specs(specs, OLD_ADDRESS)
    subprocess.run(_command(kind, specs, old), env=_env(), check=True, capture_output=True)
    _write_specs(specs, "上海市浦东新区张江路99号6楼")
    started = time.monotonic()
    subprocess.run(_command(kind, specs, new), env=_env(), check=True, capture_output=True)
    return {
        "kind": kind,
        "specs": specs,
        "old": old,
        "old_state": _state(old),
        "new_state": _state(new),
        "seconds": time.monotonic() - started,
    }


EXPECTED_CODE = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGKILL: -signal.SIGKILL}


# Render (DOCX, about a second a run) gets two moments per signal, bundle (PDFs, several seconds) one.
TRIALS = [
    *((kind, signum, seed) for kind, seeds in (("render", (1, 2)), ("bundle", (1,))) for seed in seeds
      for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL)),
]


@pytest.mark.parametrize(("kind", "signum", "seed"), TRIALS, ids=[f"{k}-{s.name}-{n}" for k, s, n in TRIALS])
def test_an_interrupted_replacement_keeps_old_or_new_complete(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, kind: str, signum: signal.Signals, seed: int
) -> None:
    versions = _versions(kind, tmp_path_factory)
    old_state, new_state = versions["old_state"], versions["new_state"]
    assert isinstance(old_state, dict)
    assert isinstance(new_state, dict)
    assert old_state.keys() == new_state.keys()
    assert all(old_state[name] != new_state[name] for name in old_state)  # every output really changes
    out = tmp_path / "out"
    shutil.copytree(str(versions["old"]), out)
    command = _command(str(versions["kind"]), Path(str(versions["specs"])), out)
    delay = random.Random(f"{versions['kind']}-{signum}-{seed}").uniform(0.2, float(str(versions["seconds"])))
    process = subprocess.Popen(
        command, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    time.sleep(delay)
    if process.poll() is None:
        # Ctrl-C goes to the whole foreground process group; CI's cancel and a kill go to the run itself.
        if signum == signal.SIGINT:
            os.killpg(process.pid, signum)
        else:
            os.kill(process.pid, signum)
    _, stderr = process.communicate(timeout=120)
    assert b"Traceback" not in stderr, stderr.decode()
    # 0: finished before the signal; the signal's code; or, for a signal landing while the interpreter exits after
    # the work is done (its handlers already gone), death by that signal — the outputs are checked below either way.
    assert process.returncode in (0, EXPECTED_CODE[signum], -signum), stderr.decode()
    _no_process_left(process.pid)

    state = _state(out)
    assert state.keys() == old_state.keys(), f"an output went missing after {delay:.2f} s"
    for name, digest in state.items():
        assert digest in (old_state[name], new_state[name]), f"{name} is neither version after {delay:.2f} s"

    again = subprocess.run(command, env=_env(), capture_output=True, check=False)
    assert again.returncode == 0, again.stderr.decode()
    assert _state(out) == new_state
    assert not [p.name for p in entries(out) if p.name.startswith(".contractgen")]
