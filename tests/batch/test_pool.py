"""The batch runner: spec discovery, every outcome collected, exit codes, workers, progress."""

from __future__ import annotations

import io
import os
from concurrent.futures import ALL_COMPLETED, Future
from pathlib import Path
from typing import Any

import pytest
from batch_tasks import echo
from processes import session_processes

from contractgen.batch import (
    BarProgress,
    Outcome,
    PlainProgress,
    choose_progress,
    discover_specs,
    exit_code,
    pool,
    run_batch,
    summary,
)
from contractgen.errors import InputError, RenderError, SpecError, TemplateError


def _specs(folder: Path, texts: dict[str, str]) -> list[Path]:
    paths = []
    for name, text in texts.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def test_discover_specs_from_files_and_folders(tmp_path: Path) -> None:
    _specs(tmp_path, {"d/b.yaml": "", "d/a.yml": "", "d/sub/c.yaml": "", "d/notes.txt": "", "e.yaml": ""})
    found = discover_specs([tmp_path / "e.yaml", tmp_path / "d", tmp_path / "d" / "b.yaml"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "e.yaml",
        "d/a.yml",
        "d/b.yaml",
        "d/sub/c.yaml",
    ]


def test_discover_specs_reports_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="找不到"):
        discover_specs([tmp_path / "nope.yaml"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="没有找到"):
        discover_specs([tmp_path / "empty"])


@pytest.mark.parametrize(
    ("codes", "expected"),
    [([0, 0], 0), ([0, 3], 3), ([5, 3, 0], 3), ([5, 4], 4), ([5], 5), ([], 0)],
)
def test_exit_code_is_the_lowest_failure(codes: list[int], expected: int) -> None:
    assert exit_code([Outcome(Path("x"), code=code) for code in codes]) == expected


def test_summary_counts_successes_and_failures() -> None:
    assert summary([Outcome(Path("a")), Outcome(Path("b"), code=3), Outcome(Path("c"))]) == "成功 2 份，失败 1 份"


@pytest.mark.parametrize(
    ("outcome", "kind"),
    [
        (Outcome(Path("a"), code=3, message="重名"), InputError),
        (Outcome(Path("a"), code=4, message="模板坏了"), TemplateError),
        (Outcome(Path("a"), code=5, message="缺字体"), RenderError),
    ],
)
def test_a_failed_outcome_is_an_error_again_with_its_exit_code(outcome: Outcome[Any], kind: type) -> None:
    error = outcome.error()
    assert type(error) is kind
    assert (error.exit_code, error.message) == (outcome.code, outcome.message)


def test_a_failed_outcome_keeps_its_diagnostics(tmp_path: Path) -> None:
    [outcome] = run_batch(_specs(tmp_path, {"a.yaml": "bad"}), echo, {})
    error = outcome.error()
    assert isinstance(error, SpecError)
    assert error.diagnostics == outcome.diagnostics


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_spec_gets_an_outcome_in_input_order(tmp_path: Path, jobs: int) -> None:
    specs = _specs(tmp_path, {"1.yaml": "one", "2.yaml": "bad", "3.yaml": "three", "4.yaml": "broken", "5.yaml": "bug"})
    outcomes = run_batch(specs, echo, {}, jobs=jobs)
    assert [o.spec for o in outcomes] == specs
    assert [o.code for o in outcomes] == [0, 3, 0, 5, 5]
    assert outcomes[0].value is not None
    assert outcomes[0].value.startswith("one@")
    assert [d.message for d in outcomes[1].diagnostics] == ["缺少必填字段"]
    assert outcomes[3].message == "渲染失败"
    assert "ZeroDivisionError" in outcomes[4].message
    assert exit_code(outcomes) == 3


def test_jobs_run_in_separate_processes(tmp_path: Path) -> None:
    specs = _specs(tmp_path, {f"{n}.yaml": str(n) for n in range(4)})
    outcomes = run_batch(specs, echo, {"sleep": 0.3}, jobs=2)
    pids = {o.value.split("@")[1] for o in outcomes if o.value}
    assert len(pids) == 2
    assert str(os.getpid()) not in pids


def test_on_result_runs_here_and_can_fail_a_spec(tmp_path: Path) -> None:
    specs = _specs(tmp_path, {"a.yaml": "a", "b.yaml": "b"})
    seen: list[str] = []

    def place(spec: Path, value: str) -> str:
        seen.append(value)
        if spec.name == "b.yaml":
            raise InputError("重名")
        return value.upper()

    outcomes = run_batch(specs, echo, {}, jobs=2, on_result=place)
    assert len(seen) == 2
    assert outcomes[0].value is not None
    assert outcomes[0].value.startswith("A@")
    assert (outcomes[1].code, outcomes[1].message) == (3, "重名")


def test_results_are_settled_in_input_order_whatever_finishes_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_wait = pool.wait

    def last_spec_first(pending: set[Future[Outcome[str]]], return_when: str) -> tuple[set[Any], set[Any]]:
        # Every task done, but reported one at a time, the last spec first.
        done, _ = real_wait(pending, return_when=ALL_COMPLETED)
        latest = max(done, key=lambda future: future.result().spec)
        return {latest}, set(pending) - {latest}

    monkeypatch.setattr(pool, "wait", last_spec_first)
    specs = _specs(tmp_path, {f"{n}.yaml": str(n) for n in range(4)})
    seen: list[str] = []
    stream = io.StringIO()

    def place(spec: Path, value: str) -> str:
        seen.append(spec.name)
        return value

    run_batch(specs, echo, {}, jobs=2, on_result=place, progress=PlainProgress(stream))
    assert seen == ["0.yaml", "1.yaml", "2.yaml", "3.yaml"]
    assert stream.getvalue().splitlines() == [f"[{n + 1}/4] {spec}: 完成" for n, spec in enumerate(specs)]


def test_plain_progress_lines(tmp_path: Path) -> None:
    specs = _specs(tmp_path, {"a.yaml": "a", "b.yaml": "bad"})
    stream = io.StringIO()
    run_batch(specs, echo, {}, progress=PlainProgress(stream), describe=lambda value: "→ ok")
    lines = stream.getvalue().splitlines()
    assert lines[0] == f"[1/2] {specs[0]}: 完成 → ok"
    assert lines[1] == f"[2/2] {specs[1]}: 失败（退出码 3）"
    assert lines[2] == f"{specs[1]}:1:1: type: 缺少必填字段"  # exactly as validate prints it


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "environ", "kind"),
    [
        (_Tty(), {}, BarProgress),
        (_Tty(), {"CI": "true"}, PlainProgress),
        (_Tty(), {"CI": "false"}, BarProgress),
        (io.StringIO(), {}, PlainProgress),
    ],
)
def test_progress_is_a_bar_only_on_a_terminal_outside_ci(
    stream: io.StringIO, environ: dict[str, str], kind: type
) -> None:
    assert isinstance(choose_progress(stream, environ=environ), kind)


def test_bar_progress_lists_failures_at_the_end(tmp_path: Path) -> None:
    specs = _specs(tmp_path, {"a.yaml": "a", "b.yaml": "broken"})
    stream = _Tty()
    run_batch(specs, echo, {}, progress=BarProgress(stream))
    assert f"{specs[1]}: 失败（退出码 5）" in stream.getvalue()
    assert "渲染失败" in stream.getvalue()


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        run_batch(_specs(tmp_path, {"a.yaml": "a"}), echo, {}, jobs=0)


def test_a_worker_that_dies_fails_its_spec_in_words_not_as_an_internal_error(tmp_path: Path) -> None:
    specs = _specs(tmp_path, {"1.yaml": "die", "2.yaml": "two"})
    outcomes = run_batch(specs, echo, {}, jobs=2)
    assert outcomes[0].code == 5
    assert "工作进程意外退出" in outcomes[0].message
    assert "内部错误" not in "".join(o.message for o in outcomes)


def test_workers_end_when_the_run_is_killed(tmp_path: Path) -> None:
    # SIGKILL gives the run no chance to stop its workers: they watch it and end by themselves, and with them
    # the fork server and the resource tracker, whose pipes they held open.
    import signal
    import subprocess
    import sys
    import time

    specs = _specs(tmp_path, {f"{n}.yaml": str(n) for n in range(4)})
    code = (
        "import sys; from pathlib import Path; from batch_tasks import echo; from contractgen.batch import run_batch;"
        " run_batch([Path(p) for p in sys.argv[1:]], echo, {'sleep': 30}, jobs=2)"
    )
    support = str(Path(__file__).resolve().parents[1] / "support")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [support, os.environ.get("PYTHONPATH")]))}
    run = subprocess.Popen([sys.executable, "-c", code, *map(str, specs)], start_new_session=True, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(session_processes(run.pid)) < 4:  # the run, fork server, two workers
        time.sleep(0.1)
    assert len(session_processes(run.pid)) >= 4, "the workers never started"
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 15
    while session_processes(run.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = session_processes(run.pid)
    for pid in left:  # do not leave them to the next test, whatever the verdict
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_workers_are_recycled_after_max_tasks_and_say_who_they_were(tmp_path: Path) -> None:
    specs = _specs(tmp_path, {f"{n}.yaml": f"s{n}" for n in range(5)})
    outcomes = run_batch(specs, echo, {}, jobs=1, max_tasks_per_worker=2)  # more specs than one worker may run
    pids = [outcome.value.split("@")[1] for outcome in outcomes if outcome.value]
    assert pids[0] == pids[1] != pids[2] == pids[3] != pids[4]
    assert str(os.getpid()) not in pids  # in worker processes, not in this one
    assert [outcome.worker.rsplit(":", 1)[1] for outcome in outcomes] == pids
    assert all(outcome.seconds >= 0 for outcome in outcomes)


def test_every_outcome_is_settled_in_order_failures_too(tmp_path: Path) -> None:
    specs = _specs(tmp_path, {"a.yaml": "ok", "b.yaml": "bad", "c.yaml": "broken"})
    seen: list[tuple[str, str]] = []
    run_batch(specs, echo, {}, jobs=2, on_settled=lambda o: seen.append((o.spec.name, o.status)))
    assert seen == [("a.yaml", "rendered"), ("b.yaml", "invalid"), ("c.yaml", "failed")]
