"""`python -m cli`: the `havn` command, run from a source tree without installing it."""

from cli.commands import main

if __name__ == "__main__":
    main()
