"""Prints every sheet of an .xlsx file as read by openpyxl (Debian's python3-openpyxl), one line per
row: the sheet name, a tab, then the cells joined by tabs (None as empty, numbers with repr).
Used by the tests to check that Excel-compatible readers open yike's summary.xlsx."""
import sys

import openpyxl


def main(path):
    book = openpyxl.load_workbook(path, read_only=False)
    for sheet in book.worksheets:
        if sheet.freeze_panes != "A2":
            sys.exit(f"{path}: sheet {sheet.title} has no frozen header row")
        for row in sheet.iter_rows(values_only=True):
            cells = ["" if v is None else (repr(v) if isinstance(v, float) else str(v)) for v in row]
            print(sheet.title + "\t" + "\t".join(cells))


if __name__ == "__main__":
    main(sys.argv[1])
