"""Stack room: a call made from the start of a large chunk of CPython's frame stack returns what it returns,
and deep recursion under it no longer maps and unmaps a chunk at every crossing."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from contractgen.writers import pdf
from contractgen.writers.stack_room import roomy, with_room


def test_the_call_returns_and_raises_as_it_would() -> None:
    assert with_room(lambda: 42) == 42

    def fails() -> None:
        raise ValueError("as raised")

    with pytest.raises(ValueError, match="as raised"):
        with_room(fails)
    assert with_room(lambda: "again") == "again"  # the room is left behind an exception too


def test_a_call_inside_the_room_is_made_directly_and_each_thread_has_its_own() -> None:
    import inspect

    def depth() -> int:
        return len(inspect.stack(0))

    outer = with_room(lambda: with_room(depth))
    assert outer == with_room(depth) + 2  # the inner with_room and its lambda: no second roomy frame
    seen: list[int] = []
    thread = threading.Thread(target=lambda: seen.append(with_room(lambda: 7)))
    thread.start()
    thread.join()
    assert seen == [7]


def test_the_layout_is_made_in_the_room() -> None:
    assert pdf.lay_out_pdf.__wrapped__.__name__ == "lay_out_pdf"  # type: ignore[attr-defined]

    @roomy
    def add(a: int, *, b: int) -> int:
        return a + b

    assert add(2, b=3) == 5


#: Recursion that goes 600 frames down and back, 1,000 times: past the first 16 KB chunk each time. Prints the
#: minor page faults of the loop alone.
RECURSION = """
import resource, sys
sys.setrecursionlimit(5000)
from contractgen.writers.stack_room import with_room
def down(n):
    return 0 if n == 0 else down(n - 1)
def loop():
    for _ in range(1000):
        down(600)
loop()  # anything the loop itself allocates, allocated before counting
with_room(lambda: None)  # and the roomy frame's code
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
{call}
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="CPython's frame stack")
def test_deep_recursion_in_the_room_maps_no_chunk_per_crossing() -> None:
    def faults(call: str) -> int:
        code = RECURSION.format(call=call)
        done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
        return int(done.stdout)

    roomy_faults = faults("with_room(loop)")
    assert roomy_faults < 100
    if sys.version_info < (3, 13):  # the CPython this was measured on: a chunk mapped, touched and unmapped each time
        assert faults("loop()") > 1000 > roomy_faults
