"""Statistical secrecy as pure functions: nothing here reads the database or the settings.

Three states of a cell stay distinct everywhere: a value (0 included), Insee's secret `s` (SECRET) and
not available (NOT_AVAILABLE). Counts the platform computes (searches, referrals, screenings) are hidden
when they are between 1 and `threshold - 1` (primary suppression; 0 tells nothing about anyone and is
published); then secondary suppression hides more cells, smallest first, until no hidden cell of a line
can be derived from its total and its published cells (`derivable`). A table with lines and columns is
suppressed line by line and column by column until nothing changes.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

VALUE, SECRET, NOT_AVAILABLE = "value", "secret", "na"
HIDDEN = "hidden"  # a platform count not published (below the threshold, or to protect one that is)


def is_primary(count: int, threshold: int) -> bool:
    """A count that points at too few people to be published."""
    return 0 < count < threshold


def derivable(cells: Mapping[Hashable, int], hidden: set, primary: set, threshold: int) -> set:
    """The hidden cells whose exact value follows from the line's published total and published cells.

    The reader knows the total and every published cell, hence S = the sum of the hidden cells, and that a
    cell hidden for being small lies in [1, threshold - 1] (any hidden cell: in [0, S]). A cell is
    derivable when its bounds meet: lower = max(low_i, S - sum of the others' upper bounds), upper =
    min(high_i, S - sum of the others' lower bounds)."""
    if not hidden:
        return set()
    total_hidden = sum(cells[key] for key in hidden)
    bounds = {}
    for key in hidden:
        if key in primary:
            bounds[key] = (1, threshold - 1)
        else:
            bounds[key] = (0, total_hidden)
    found = set()
    for key in hidden:
        others_high = sum(min(bounds[o][1], total_hidden) for o in hidden if o != key)
        others_low = sum(bounds[o][0] for o in hidden if o != key)
        low = max(bounds[key][0], total_hidden - others_high)
        high = min(bounds[key][1], total_hidden - others_low)
        if low >= high:
            found.add(key)
    return found


def suppress_line(cells: Mapping[Hashable, int], threshold: int, hidden: set | None = None) -> set:
    """The cells of one line (parts of a published total) to hide: the small ones, then the smallest
    others until none of the hidden can be derived. `hidden`: cells already hidden by another line."""
    primary = {key for key, count in cells.items() if is_primary(count, threshold)}
    hidden = set(hidden or ()) | primary
    while True:
        exposed = derivable(cells, hidden, primary, threshold)
        if not exposed:
            return hidden
        candidates = sorted((count, str(key), key) for key, count in cells.items() if key not in hidden)
        if not candidates:
            return hidden  # every cell hidden: the total alone gives none of them
        hidden.add(candidates[0][2])


def suppress_table(cells: Mapping[tuple, int], threshold: int) -> set:
    """Cells (row, column) -> count of a table published with its row and column totals: the cells to hide
    so that no row or column lets a reader derive a hidden cell. A line whose cells are all hidden and still
    derivable from its total (`derivable`) must not publish that total: the caller checks it, as
    `publish_line` does for one line."""
    rows: dict = {}
    columns: dict = {}
    for key in cells:
        rows.setdefault(key[0], []).append(key)
        columns.setdefault(key[1], []).append(key)
    hidden = {key for key, count in cells.items() if is_primary(count, threshold)}
    primary = set(hidden)
    changed = True
    while changed:
        changed = False
        for groups in (rows, columns):
            for keys in groups.values():
                line = {key: cells[key] for key in keys}
                before = hidden & set(keys)
                after = _suppress_with_primary(line, threshold, before, primary)
                if after != before:
                    hidden |= after
                    changed = True
    return hidden


def _suppress_with_primary(line: dict, threshold: int, hidden: set, primary: set) -> set:
    hidden = set(hidden)
    while True:
        if not derivable(line, hidden, primary & set(line), threshold):
            return hidden
        candidates = sorted((count, str(key), key) for key, count in line.items() if key not in hidden)
        if not candidates:
            return hidden
        hidden.add(candidates[0][2])


def published(count: int | None, threshold: int) -> int | None:
    """A count standing alone (no parts shown): None when it must be hidden."""
    if count is None or is_primary(count, threshold):
        return None
    return count


def publish_line(cells: Mapping[Hashable, int], threshold: int) -> tuple[dict, int | None]:
    """(cells with hidden ones as None, the total or None when the total itself is too small)."""
    total = sum(cells.values())
    if is_primary(total, threshold):
        return {key: None for key in cells}, None
    hidden = suppress_line(cells, threshold)
    primary = {key for key, count in cells.items() if is_primary(count, threshold)}
    if derivable(cells, hidden, primary, threshold):
        # every cell is hidden and the total still gives them away (10 + 10 = 20 with a threshold of 11):
        # the total is hidden too
        return {key: None for key in cells}, None
    return {key: (None if key in hidden else count) for key, count in cells.items()}, total


def combine_status(statuses) -> str:
    """The status of a sum or a ratio of cells: secret if any part is secret, else n.a. if any is."""
    statuses = list(statuses)
    if SECRET in statuses:
        return SECRET
    if NOT_AVAILABLE in statuses or not statuses:
        return NOT_AVAILABLE
    return VALUE
