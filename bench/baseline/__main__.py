"""``python -m bench.baseline``: the canonical bot, configured like ``innspill run``."""

from bench.baseline.bot import main

if __name__ == "__main__":
    main()
