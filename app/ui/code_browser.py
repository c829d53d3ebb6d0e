"""The offline code reference: search as you type, a code-book tree, PCS tables and a detail pane.

Passive like every view: it only asks the read-only `CodeSet` for data and renders it
(app/ui/code_detail.py builds the HTML). Links in the detail pane use private URL schemes
and are handled here, so nothing is ever fetched. Other parts open codes through
`open_code` and hear about it through `code_opened`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.codeset import CodeInfo, CodeSet, CodeSystem
from app.ui.code_detail import DETAIL_CSS, code_html, code_link, resolve_ref
from app.ui.code_results import NODE_ROLE, PAGE_SIZE, ResultsPane
from app.ui.code_tree import Node, child_with_key, fill_roots, load_children
from app.ui.pcs_table import PcsTableView

if TYPE_CHECKING:
    from app.codesets.database import PcsStep, TreeNode
    from app.codesets.forgiving import Found

SEARCH_DELAY_MS = 120
RESULT_LIMIT = PAGE_SIZE  # the first page of results; "Show more" / "Show all" add to it
HISTORY_LIMIT = 200  # codes remembered for Back; older ones drop off
WELCOME = "<p class=meta>Type words or a code above, or browse the code book on the left.</p>"
TAB_HINTS = {
    "results": "<p class=meta>Choose a search result on the left to see the code here.</p>",
    "tree": "<p class=meta>Choose a code in the code book on the left to see it here.</p>",
    "pcs": "<p class=meta>Choose a character in each column of the table; the code opens here"
           " when all seven are chosen.</p>",
}
FILTERS: tuple[tuple[str, CodeSystem | None], ...] = (
    ("All code sets", None),
    ("ICD-10-CM", CodeSystem.ICD10CM),
    ("ICD-10-PCS", CodeSystem.ICD10PCS),
    ("HCPCS", CodeSystem.HCPCS),
    ("CPT", CodeSystem.CPT),
)


class BrowsableCodes(CodeSet, Protocol):
    """The read-only questions the browser asks beyond `CodeSet` (SqliteCodeSet answers them)."""

    def tree_children(self, system: CodeSystem, key: str | None) -> list[TreeNode]: ...
    def tree_path(self, system: CodeSystem, code: str) -> list[str]: ...
    def pcs_step(self, prefix: str) -> PcsStep: ...
    def has_user_cpt(self) -> bool: ...
    def find(self, query: str, system: CodeSystem | None = None, billable_only: bool = False,
             limit: int = 25) -> Found: ...


@dataclass(frozen=True)
class Origin:
    """A history entry for the place a code link was followed from (a practice item): Back returns there."""

    label: str
    go_back: Callable[[], None]


class CodeBrowser(QWidget):
    code_opened = Signal(str)

    def __init__(self, codes: BrowsableCodes, parent: QWidget | None = None):
        super().__init__(parent)
        self.codes = codes
        self.history: list[tuple[str, CodeSystem] | Origin] = []
        self.position = -1
        self.current: CodeInfo | None = None
        self._following = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._run_search)
        self._build_controls()
        self._build_panes()
        self._build_layout()
        fill_roots(self.tree, [system for _label, system in FILTERS[1:] if system is not None])
        self._update_buttons()
        self.detail.setHtml(WELCOME)

    # -- construction ---------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.back_button = QPushButton("◀ Back")
        self.forward_button = QPushButton("Forward ▶")
        self.back_button.setToolTip("Back (Alt+Left)")
        self.forward_button.setToolTip("Forward (Alt+Right)")
        self.back_button.clicked.connect(self.back)
        self.forward_button.clicked.connect(self.forward)
        QShortcut(QKeySequence("Alt+Left"), self, self.back)
        QShortcut(QKeySequence("Alt+Right"), self, self.forward)
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search words (\"dog bite\") or a code (S52.5, 0DTJ, J1100)…")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search codes")
        self.search_box.textChanged.connect(lambda _text: self._timer.start())
        self.search_box.returnPressed.connect(self._open_typed)
        self.search_box.installEventFilter(self)
        self.filter = QComboBox()
        for label, system in FILTERS:
            self.filter.addItem(label, system)
        self.filter.currentIndexChanged.connect(lambda _i: self._run_search())
        self.billable_only = QCheckBox("Billable only")
        self.billable_only.toggled.connect(lambda _on: self._run_search())
        self.status = QLabel()
        self.status.setObjectName("pageHint")
        self.status.setTextFormat(Qt.TextFormat.PlainText)

    def _build_panes(self) -> None:
        self.results_pane = ResultsPane()
        self.results_pane.more_requested.connect(self._run_search)
        self.results_pane.suggestion_chosen.connect(self.search)
        self.results = self.results_pane.list
        self.results.currentItemChanged.connect(self._result_selected)
        self.results.itemActivated.connect(lambda item: self._result_selected(item, None))
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.itemExpanded.connect(lambda item: load_children(item, self.codes))
        self.tree.currentItemChanged.connect(self._tree_selected)
        self.pcs = PcsTableView(self.codes)
        self.pcs.code_chosen.connect(lambda code: self.open_code(code, CodeSystem.ICD10PCS))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.results_pane, "Search results")
        self.tabs.addTab(self.tree, "Code book")
        self.tabs.addTab(self.pcs, "PCS tables")
        self.tabs.currentChanged.connect(lambda _i: self._sync_with_tab())
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.setAccessibleName("Code details")
        self.detail.setOpenExternalLinks(False)
        self.detail.document().setDefaultStyleSheet(DETAIL_CSS)
        self.detail.anchorClicked.connect(self._link_clicked)

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.back_button)
        bar.addWidget(self.forward_button)
        bar.addWidget(self.search_box, 1)
        bar.addWidget(self.filter)
        bar.addWidget(self.billable_only)
        splitter = QSplitter()
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([380, 620])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)

    # -- search -------------------------------------------------------------------------------
    def search(self, text: str) -> None:
        """Put `text` in the search box and search now (no typing delay)."""
        self.search_box.setText(text)
        self._run_search()

    def _run_search(self, limit: int = RESULT_LIMIT) -> None:
        self._timer.stop()
        text = self.search_box.text().strip()
        if not text:
            self.results_pane.clear()
            self.status.setText("")
            return
        found = self.codes.find(text, self.filter.currentData(), self.billable_only.isChecked(), limit)
        self.results_pane.show_found(found, text, limit)
        hits = found.hits
        shown = f"{len(hits)}{'+' if len(hits) >= limit else ''}"
        self.status.setText(f"{shown} result(s) for “{found.suggestion or text}”  ·  ✓ billable  · header" if hits
                            else f"Nothing found for “{text}”.")
        self.tabs.setCurrentWidget(self.results_pane)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        """Down in the search box moves into the results, as in an encoder's look-up."""
        down = isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down
        if watched is self.search_box and down and self.results.count():
            self.tabs.setCurrentWidget(self.results_pane)
            self.results.setFocus()
            self.results.setCurrentRow(max(self.results.currentRow(), 0))
            return True
        return super().eventFilter(watched, event)

    def _open_typed(self) -> None:
        """Enter opens the typed code if it is one, else the first result."""
        text = self.search_box.text().strip()
        if text and self.open_code(text, self.filter.currentData()):
            return
        self._run_search()
        if self.results.count():
            self.results.setCurrentRow(0)

    def _result_selected(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is not None:
            code, system = item.data(NODE_ROLE)
            self.open_code(code, CodeSystem(system))

    # -- opening codes and history -------------------------------------------------------------
    def open_code(self, code: str, system: CodeSystem | None = None) -> bool:
        """Show `code` in the detail pane and remember it in the history; False if unknown."""
        info = self.codes.lookup(code, system)
        if info is None:
            self.status.setText(f"No code “{code}” in the code sets.")
            return False
        if self.current is not None and (info.code, info.system) == (self.current.code, self.current.system):
            self._keep_tab_in_step(info)  # shown already: the visible list marks it
            return True
        del self.history[self.position + 1:]
        self.history.append((info.code, info.system))
        del self.history[:-HISTORY_LIMIT]
        self.position = len(self.history) - 1
        self._show(info)
        return True

    def open_from(self, code: str, origin: str, go_back: Callable[[], None], system: CodeSystem | None = None) -> bool:
        """Open a code followed from elsewhere (a practice item's feedback): Back returns there."""
        info = self.codes.lookup(code, system)
        if info is None:
            self.status.setText(f"No code “{code}” in the code sets.")
            return False
        del self.history[self.position + 1:]
        self.history.append(Origin(origin, go_back))
        self.position = len(self.history) - 1
        self.current = None  # the code enters the history after the origin even if it is shown already
        return self.open_code(info.code, info.system)

    def back(self) -> None:
        if self.position > 0:
            self.position -= 1
            self._show_history()

    def forward(self) -> None:
        while self.position < len(self.history) - 1:
            self.position += 1
            if not isinstance(self.history[self.position], Origin):
                self._show_history()
                return

    def _show_history(self) -> None:
        entry = self.history[self.position]
        if isinstance(entry, Origin):
            self._update_buttons()
            entry.go_back()  # leave the browser for the item the link was in
            return
        info = self.codes.lookup(*entry)
        if info is not None:
            self._show(info)

    def _show(self, info: CodeInfo) -> None:
        self.current = info
        has_cpt = info.system is CodeSystem.CPT and self.codes.has_user_cpt()
        self.detail.setHtml(code_html(info, self.codes, has_cpt))
        self._update_buttons()
        if info.system is CodeSystem.ICD10PCS and self.pcs.prefix() != info.code:
            self.pcs.set_code(info.code)
        self._keep_tab_in_step(info)
        self.code_opened.emit(info.code)

    def _update_buttons(self) -> None:
        before = self.history[self.position - 1] if self.position > 0 else None
        self.back_button.setEnabled(before is not None)
        self.back_button.setText(f"◀ Back to {before.label}" if isinstance(before, Origin) else "◀ Back")
        self.forward_button.setEnabled(any(not isinstance(e, Origin) for e in self.history[self.position + 1:]))

    # -- keeping the visible tab and the detail pane about the same code -------------------------
    def _keep_tab_in_step(self, info: CodeInfo) -> None:
        """The tab on show marks the code shown, or marks nothing: never a code from elsewhere."""
        tab = self.tabs.currentWidget()
        if tab is self.results_pane:
            self.results_pane.select_quietly(self.results_pane.row_of(info.code, info.system))
        elif tab is self.tree:
            self._follow_in_tree()
        elif tab is self.pcs and info.system is not CodeSystem.ICD10PCS:
            self.tabs.setCurrentWidget(self.tree)  # a PCS table cannot show a CPT code: the code book can

    def _sync_with_tab(self) -> None:
        """After a tab switch the detail pane shows what that tab has chosen (or asks for a choice)."""
        tab = self.tabs.currentWidget()
        info = self.current
        if tab is self.results_pane:
            item = self.results.currentItem()
            if item is not None:
                return self._result_selected(item, None)
            row = self.results_pane.row_of(info.code, info.system) if info else -1
            return self.results_pane.select_quietly(row) if row >= 0 else self._hint("results")
        if tab is self.tree:
            if info is not None and self._follow_in_tree():
                return None
            item = self.tree.currentItem()
            return self._tree_selected(item, None) if item is not None else self._hint("tree")
        if info is None or info.system is not CodeSystem.ICD10PCS:
            code = self.pcs.prefix()
            return None if len(code) == 7 and self.open_code(code, CodeSystem.ICD10PCS) else self._hint("pcs")
        return None

    def _hint(self, tab: str) -> None:
        self.current = None
        self.detail.setHtml(TAB_HINTS[tab])

    def _link_clicked(self, url: QUrl) -> None:
        self.open_link(url.toString(QUrl.ComponentFormattingOption.FullyDecoded))

    def open_link(self, target: str) -> None:
        """`code:SYSTEM/CODE` opens a code; `ref:S52.-` / `ref:E10-E13` opens what it points at."""
        scheme, _, rest = target.partition(":")
        if scheme == "code":
            system, _, code = rest.partition("/")
            self.open_code(code, CodeSystem(system))
        elif scheme == "ref":
            code = resolve_ref(rest, self.codes)
            if code is None or not self.open_code(code, CodeSystem.ICD10CM):
                self.search(rest.split("-")[0].rstrip("."))

    # -- tree -----------------------------------------------------------------------------------
    def _follow_in_tree(self) -> bool:
        """Expand the tree down to the open code and select it (without reopening it).

        Only while the tree is showing: finding the path costs more than the rest of
        opening a code, so a hidden tree catches up when its tab is chosen. A code the
        tree does not hold (a CPT code known by its format only) clears the selection,
        so no other code stays marked beside it. False when the code is not in the tree.
        """
        info = self.current
        if info is None or self.tabs.currentWidget() is not self.tree:
            return False
        current = self.tree.currentItem()
        if current is not None and current.data(0, NODE_ROLE) == Node(info.system, info.code, info.code):
            return True
        roots = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        item = next((r for r in roots if r.data(0, NODE_ROLE).system is info.system), None)
        for key in self.codes.tree_path(info.system, info.code):
            item = child_with_key(item, key, self.codes) if item is not None else None
        self._following = True
        try:
            self.tree.setCurrentItem(item)  # None clears it
            if item is not None:
                self.tree.scrollToItem(item)
        finally:
            self._following = False
        return item is not None

    def _tree_selected(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        if self._following or item is None:
            return
        node = item.data(0, NODE_ROLE)
        if node is None:
            return
        if node.code:
            self.open_code(node.code, node.system)
        else:
            self._show_group(item, node)

    def _show_group(self, item: QTreeWidgetItem, node: Node) -> None:
        """A chapter, block or PCS table heading: its title and what is below it, as links."""
        children = self.codes.tree_children(node.system, node.key) if node.key else []
        rows = "".join(
            f"<li>{code_link(c.code, node.system, c.title) if c.code else escape(c.title)}</li>" for c in children
        )
        self.detail.setHtml(f"<h2>{escape(item.text(0))}</h2><p class=meta>{escape(node.system.label)}</p>"
                            f"<ul>{rows}</ul><p class=meta>Expand it in the tree to go further.</p>")
