"""Entry point for `python -m datagen`."""

from .cli import main

raise SystemExit(main())
