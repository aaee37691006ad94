"""Fills the first sheet of an .xlsx template the way a street office would, with openpyxl
(Debian's python3-openpyxl): appends the rows given as JSON (a list of lists, one value per
column of the header) and saves the workbook under a new name."""
import json
import sys

import openpyxl


def main(template, rows_json, out):
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    for row in json.loads(open(rows_json, encoding="utf-8").read()):
        sheet.append(row)
    book.save(out)


if __name__ == "__main__":
    main(*sys.argv[1:4])
