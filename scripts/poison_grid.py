"""How a column writes its numbers, shared by the two poison injectors (poison-inject.py and
poison-inject-confusable.py), so that `--round-outliers` puts a moved value on the same grid in both.
"""


def column_decimals(cells):
    """The most decimals any value of a column is written with (0 for a column of whole numbers).

    Values in exponent notation (1.2e-05) say nothing about the grid and are passed over; more than 12
    decimals is float noise, not a grid.
    """
    most = 0
    for c in cells:
        text = c.strip().lower()
        if "e" in text or "." not in text:
            continue
        most = max(most, len(text.split(".", 1)[1]))
    return min(most, 12)


def on_grid(value, decimals):
    """A moved value written as the column writes its values: rounded to its decimals."""
    return str(int(round(value))) if decimals == 0 else f"{value:.{decimals}f}"
