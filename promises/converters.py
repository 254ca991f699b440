class PeriodConverter:
    """A promise's period in a URL: "2021", or "2023-2024" for a promise of several years."""

    regex = r"[0-9]{4}(?:-[0-9]{4})?"

    def to_python(self, value):
        start, _, end = value.partition("-")
        return int(start), int(end or start)

    def to_url(self, value):
        start, end = value
        return str(start) if start == end else f"{start}-{end}"
