"""Start the Society DB Migrator: the window, or a command-line verb.

``python main.py [--migrations DIR] [DB]`` opens the window (on the sample
database when no file is given); ``python main.py status|upgrade|backup|restore ...``
runs the same engine from the command line without importing Qt.
"""

from __future__ import annotations

import sys

import cli


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in cli.COMMANDS:
        return cli.main(args)
    if args and args[0] in ("-h", "--help"):
        print(__doc__.strip())
        print()
        print("Command-line verbs: " + ", ".join(cli.COMMANDS) + " (python main.py VERB --help).")
        return 0
    from gui.app import run  # Qt is imported only when the window is wanted

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
