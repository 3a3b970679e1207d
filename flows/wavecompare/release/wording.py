"""How a release row is named in text: its group, code label and level, as every writer words them."""

from __future__ import annotations

from .model import NET_PREFIX


def group_name(group: str) -> str:
    return "All interviews" if group == "All" else group


def level_name(level: str) -> str:
    """A level as printed: capitalised, and "net: aware|very familiar" as "Net: aware or very familiar"."""
    if level.startswith(NET_PREFIX):
        return "Net: " + " or ".join(level.removeprefix(NET_PREFIX).split("|"))
    return level[:1].upper() + level[1:]


def row_name(group: str, label: str, level: str) -> str:
    """"All interviews · Awareness of the theory · Aware": the parts a row has, joined."""
    return " · ".join(part for part in (group_name(group), label, level and level_name(level)) if part)
