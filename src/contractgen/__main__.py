"""``python -m contractgen`` runs the command line."""

from contractgen.cli import main

main()
