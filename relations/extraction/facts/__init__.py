"""The rules finding each kind of fact, by the areas of `relations/resources/`."""
