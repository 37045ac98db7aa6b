"""The processes of a session: what a run started (with ``start_new_session=True``) left alive."""

from __future__ import annotations

from pathlib import Path


def session_processes(session: int) -> list[int]:
    """Live processes of ``session`` (zombies excluded), from /proc."""
    alive = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":  # fields[3]: the session id
            alive.append(int(stat_file.parent.name))
    return alive
