"""Where the server's time goes under a class: py-spy samples the app process (the thread holding the GIL) while classroom_load.py's
students move sliders; prints the top functions by own time (the leaf frame of each sample) and by total.

    python benchmarks/profile_server.py [--page explore] [--students 20] [--seconds 30] [--top 10]

Needs py-spy (``pip install py-spy``) and permission to ptrace the server (root, or ptrace_scope 0).
The raw samples (collapsed stacks) are kept in ``--out`` for a flame graph.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def top(collapsed: Path, n: int) -> str:
    own: collections.Counter = collections.Counter()
    total: collections.Counter = collections.Counter()
    samples = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        k = int(count)
        frames = stack.split(";")
        if frames and frames[0].startswith("process "):
            frames = frames[1:]
        if frames and frames[0].startswith("thread "):
            frames = frames[1:]
        if not frames:
            continue
        frames = [re.sub(r":\d+\)$", ")", f) for f in frames]  # a function, not a line
        samples += k
        own[frames[-1]] += k
        for f in set(frames):
            total[f] += k
    lines = [f"{samples} samples (non-idle)", "top by own time:"]
    lines += [f"  {100 * c / samples:5.1f}%  {f}" for f, c in own.most_common(n)]
    lines += ["top by total time (inclusive), app code only:"]
    ours = [(f, c) for f, c in total.most_common() if "(ui/" in f or "(model/" in f or "/ui/" in f or "/model/" in f]
    lines += [f"  {100 * c / samples:5.1f}%  {f}" for f, c in ours[:n]]
    return "\n".join(lines)


def main() -> None:
    import classroom_load as cl

    from tests.servers import free_port, streamlit_server

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--page", default="explore", help="a page id (ui/pages.py) or 'trivial'")
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    parser.add_argument("--out", default="/tmp/profile_server.txt")
    args = parser.parse_args()
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    script = ROOT / "benchmarks" / "trivial_app.py" if args.page == "trivial" else None
    with streamlit_server(free_port(), script=script, with_pid=True) as (url, pid):
        out = Path(args.out)
        # warm up first (imports, the first runs), so the profile shows a class at work, not a start
        asyncio.run(cl.load(url, [pid], 2, 5, seed=99, page=args.page))
        rec = subprocess.Popen([spy, "record", "--pid", str(pid), "--rate", str(args.rate), "--format", "raw",
                                "--output", str(out), "--nonblocking", "--gil"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
        time.sleep(1.0)
        r = asyncio.run(cl.load(url, [pid], args.students, args.seconds, seed=1, page=args.page))
        rec.send_signal(2)  # SIGINT: py-spy writes its file and stops
        rec.wait(30)
    print(cl.report(f"{args.page} under py-spy (slower than unprofiled)", r))
    print(top(out, args.top))


if __name__ == "__main__":
    main()
