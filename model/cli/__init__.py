"""``python -m model``: solve, check, analyse and convert scenarios from the command line.

Bad input of any kind exits with status 2 and one line on stderr starting with ``error:``.
The sub-commands are the file commands of ``files_commands`` and every analysis that declares a
``COMMAND`` (``model.analyses.commands``); ``parser`` turns them into ``argparse`` and runs one.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ..errors import ScenarioError
from .parser import build_parser, run


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        text = run(args, out=sys.stdout)
        if text:
            print(text)
        return 0
    except ScenarioError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # never a traceback in the terminal
        print(f"error: unexpected failure ({type(err).__name__}: {err}); please report it", file=sys.stderr)
        return 1
