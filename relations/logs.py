import logging


class OneLineFormatter(logging.Formatter):
    """One log line per record, tracebacks included, so log collectors keep an error together."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record):
        return super().format(record).replace("\n", " | ")
