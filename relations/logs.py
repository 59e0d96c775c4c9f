import logging


class OneLineFormatter(logging.Formatter):
    """One log line per record, tracebacks included, so log collectors keep an error together."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record):
        return super().format(record).replace("\n", " | ")


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx answer (a bad query string, an unknown host) is the client's doing: Django logs it with the
    exception's traceback, which says nothing about our code and floods the log. One line is kept."""

    def filter(self, record):
        if 400 <= getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
