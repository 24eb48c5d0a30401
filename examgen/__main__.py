"""`python -m examgen`: the same command line as the `examgen` script."""

from examgen.cli import main

main()
