class PeriodConverter:
    """A promise's period in a URL: "2021", or "2023-2024" for a promise of several years."""

    regex = r"[0-9]{4}(?:-[0-9]{4})?"

    def to_python(self, value):
        start, _, end = value.partition("-")
        return int(start), int(end or start)

    def to_url(self, value):
        start, end = value
        return str(start) if start == end else f"{start}-{end}"


class IdConverter:
    """A database id in a URL: at most 18 digits, so that any address fits the database's
    integers (a longer one is simply not found, instead of overflowing in SQLite)."""

    regex = r"[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)
