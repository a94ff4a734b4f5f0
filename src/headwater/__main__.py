"""``python -m headwater``: the same as the ``headwater`` command.

``python -m headwater run-worker RUN_ID``, the command line the launcher starts, goes straight
to the run worker: a worker then does not import the command-line interface (click and every
command module) before it starts its run.
"""

import sys

if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "run-worker" and not sys.argv[2].startswith("-"):
        from headwater.orchestration.run_worker import main as run_worker_main

        sys.exit(run_worker_main(sys.argv[2]))
    from headwater.cli.main import main

    main()
