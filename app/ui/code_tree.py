"""The code browser's code-book tree: one root per code set, children loaded when first expanded.

Loading on expand keeps the browser quick to open: ICD-10-CM alone has ~100,000 entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from app.core.codeset import CodeSystem
from app.ui.code_results import NODE_ROLE

if TYPE_CHECKING:
    from app.ui.code_browser import BrowsableCodes

PLACEHOLDER = "…"
BILLABLE_COLOUR = QColor("#1e7b34")  # billable codes in the tree, as in the status hint


@dataclass(frozen=True)
class Node:
    """What a tree item stands for: a tree key in one code set, and its code if it has one."""

    system: CodeSystem
    key: str | None
    code: str | None


def fill_roots(tree: QTreeWidget, systems: Iterable[CodeSystem]) -> None:
    for system in systems:
        item = QTreeWidgetItem([system.label])
        item.setData(0, NODE_ROLE, Node(system, None, None))
        item.addChild(QTreeWidgetItem([PLACEHOLDER]))
        tree.addTopLevelItem(item)


def load_children(item: QTreeWidgetItem, codes: BrowsableCodes) -> None:
    """Fill an item's children the first time it is expanded."""
    if item.childCount() != 1 or item.child(0).data(0, NODE_ROLE) is not None:
        return
    node: Node = item.data(0, NODE_ROLE)
    item.takeChild(0)
    for child in codes.tree_children(node.system, node.key):
        entry = QTreeWidgetItem([child.title])
        entry.setData(0, NODE_ROLE, Node(node.system, child.key, child.code))
        billable = child.billable and child.code and node.system is CodeSystem.ICD10CM
        entry.setToolTip(0, child.title + ("\nbillable" if billable else ""))
        if billable:
            entry.setForeground(0, BILLABLE_COLOUR)
        if child.has_children:
            entry.addChild(QTreeWidgetItem([PLACEHOLDER]))
        item.addChild(entry)


def child_with_key(item: QTreeWidgetItem, key: str, codes: BrowsableCodes) -> QTreeWidgetItem | None:
    """The child of `item` with tree key `key`, expanding (and loading) `item` on the way."""
    item.setExpanded(True)
    load_children(item, codes)
    for index in range(item.childCount()):
        node = item.child(index).data(0, NODE_ROLE)
        if node is not None and node.key == key:
            return item.child(index)
    return None
