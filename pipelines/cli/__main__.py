"""`python -m pipelines.cli`: the same as the `cctv` command."""

from pipelines.cli.cctv import main

main()
