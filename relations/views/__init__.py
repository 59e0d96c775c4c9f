"""Public pages: thin views over published records, filtered and paginated through the query string, one module
per area as in `relations.models`. The addresses are in `relations.urls` and `config.urls`."""
