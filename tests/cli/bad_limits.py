#!/usr/bin/env python3
"""Runs a command with its output to files and tells whether it kept to
the limits of a bad input: usage: bad_limits.py MAX_MB MAX_SECONDS OUT ERR CMD...

Exits with the command's status; when the command took more than MAX_MB of
resident memory or MAX_SECONDS of wall time (it is then killed), prints
why on stderr and exits 125.  Peak memory is the child's ru_maxrss, which
an AddressSanitizer build inflates by its shadow, hence a generous MAX_MB.
"""
import resource
import subprocess
import sys
import time

max_mb, max_seconds = float(sys.argv[1]), float(sys.argv[2])
out_path, err_path, command = sys.argv[3], sys.argv[4], sys.argv[5:]
start = time.monotonic()
with open(out_path, "wb") as out, open(err_path, "wb") as err:
    try:
        status = subprocess.run(command, stdout=out, stderr=err,
                                timeout=max_seconds).returncode
    except subprocess.TimeoutExpired:
        print(f"took more than {max_seconds:g} s", file=sys.stderr)
        sys.exit(125)
seconds = time.monotonic() - start
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
if peak_mb > max_mb:
    print(f"took {peak_mb:.0f} MB (at most {max_mb:g})", file=sys.stderr)
    sys.exit(125)
sys.exit(status if status >= 0 else 128 - status)
