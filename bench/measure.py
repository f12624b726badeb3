"""Wall time, CPU time and peak memory of one child process, for the benchmark and quality scripts.

The peak comes from GNU time (/usr/bin/time, Debian package `time`, installed by scripts/bootstrap), not from
os.wait4 on a child of this Python: a forked child's ru_maxrss starts from the RSS of the process it was forked from
(Linux keeps the high-water mark across execve), so a Python holding pandas frames of a big run would be counted in
every later measurement. GNU time is small, so the process it forks carries nothing over. Without it the figure is
os.wait4's, an upper bound, and a note says so once.
"""
import os
import subprocess
import sys
import tempfile
import time

GNU_TIME = "/usr/bin/time"
_warned = False


def measured(cmd, stdout, stderr, preexec_fn=None):
    """Runs cmd (a list) with the given stdout and stderr (files, or subprocess.DEVNULL) until it exits.

    Returns (exit code, wall seconds, CPU seconds, peak RSS bytes) of cmd's own process."""
    global _warned
    gnu_time = os.access(GNU_TIME, os.X_OK)
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        full = ([GNU_TIME, "-f", "%M", "-o", tf.name] if gnu_time else []) + [str(c) for c in cmd]
        start = time.perf_counter()
        proc = subprocess.Popen(full, stdout=stdout, stderr=stderr, preexec_fn=preexec_fn)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        rc = os.waitstatus_to_exitcode(status)
        peak = usage.ru_maxrss * 1024
        if gnu_time:
            # GNU time writes "Command exited with non-zero status N" before the figure when the command fails.
            lines = [x for x in open(tf.name).read().splitlines() if x.strip()]
            peak = int(lines[-1]) * 1024 if lines and lines[-1].strip().isdigit() else 0
        elif not _warned:
            print(f"note: {GNU_TIME} not found (Debian package `time`): peak memory figures include the RSS of this "
                  "script at each fork, an upper bound", file=sys.stderr)
            _warned = True
    # GNU time's own CPU time (a few milliseconds) is in the rusage of its children too; it is left in.
    return rc, wall, usage.ru_utime + usage.ru_stime, peak
