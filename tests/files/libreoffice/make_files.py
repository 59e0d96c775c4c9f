"""How the files beside this script were made: invented records typed into LibreOffice Calc as a Turkish
editor types them, then saved as an editor saves them.

    /usr/bin/python3 tests/files/libreoffice/make_files.py

Needs LibreOffice Calc and its Python bridge (Debian: `libreoffice-calc python3-uno`); neither is a
dependency of the project, whose tests read the saved files only.

Each cell is entered through LibreOffice's own input line (the .uno:EnterString command, as if typed and
Enter pressed), in a document whose language is Turkish: `29.07.2025` becomes a date cell, `2012` and
`39,9237` numbers, `DOĞRU` and `YANLIŞ` (true, false) yes-or-no cells, `03.2024` stays text. The
statistics' amounts are then formatted with thousands separators (`#.##0,00`), as an editor makes money readable, on a block reaching past the last row, and two
columns beyond the last are shaded: LibreOffice saves such formatted cells in a workbook as rows and
columns of their own, with nothing in them. Each sheet is saved as LibreOffice saves it:

- `<type>.ods`: the editor's document;
- `<type>-utf8.csv`: "Text CSV", character set Unicode (UTF-8), comma-separated;
- `<type>-windows1254.csv`: "Text CSV", character set Turkish (Windows-1254), semicolon-separated;
- `<type>.xlsx`: "Excel 2007-365".

Cells are saved "as shown" (LibreOffice's default): a date as 29.07.2025, an amount as 1.234.567.890,50.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.lang import Locale

HERE = Path(__file__).resolve().parent

VISITS = [
    [
        "Slug",
        "Guest",
        "Host",
        "Destination country",
        "City",
        "Start date",
        "Date precision",
        "End date",
        "Kind",
        "At the invitation of",
        "Summary",
        "Notable protocol",
        "Topics",
        "Source",
        "Quotation",
        "Publication status",
    ],
    [
        "calisma-ziyareti-sudby",
        "ana-guest",
        "bo-host",
        "SA",
        "sudby",
        "29.07.2025",
        "",
        "31.07.2025",
        "Working visit",
        "bo-host",
        "Görüşmelerde enerji, ulaştırma ve eğitim işbirliği ele alındı; iki taraf çalışma grubu kurdu.",
        "Konuk, havalimanında Dışişleri Bakanı tarafından karşılandı (istisnai uygulama).",
        "energy, trade",
        "report",
        "“İşbirliğimiz her alanda güçleniyor,” dedi Bo Host.",
        "Published",
    ],
    [
        "devlet-ziyareti-nordby-2012",
        "bo-host",
        "ana-guest",
        "NA",
        "nordby",
        "2012",
        "",
        "",
        "State visit",
        "",
        "İlk devlet ziyareti; ağır kış şartlarına rağmen gerçekleşti, çarşıdaki çiçekçi Gülşen Öztürk de ziyaret edildi.",
        "",
        "trade",
        "report",
        "",
        "Draft",
    ],
    [
        "resmi-ziyaret-sudby-2024-03",
        "ana-guest",
        "bo-host",
        "SA",
        "sudby",
        "03.2024",
        "",
        "",
        "Official visit",
        "",
        "Mart ayında yapılan resmî ziyaret: Iğdır, Şanlıurfa ve Çeşme'den heyetler katıldı.",
        "",
        "energy",
        "ministry",
        "",
        "Published",
    ],
]

STATISTICS = [
    [
        "Indicator",
        "Relationship",
        "Period",
        "Period start",
        "Period end",
        "From country",
        "To country",
        "Qualifier",
        "Value",
        "Unit",
        "Equivalent value",
        "Equivalent unit",
        "Preferred value",
        "Note",
        "Source",
        "Quotation",
        "Publication status",
    ],
    # The figure the tests' site already holds, typed again: unchanged.
    [
        "bilateral-trade",
        "northland-southland",
        "Calendar year",
        "01.01.2024",
        "31.12.2024",
        "",
        "",
        "exactly",
        "5000000000",
        "USD",
        "202860000000",
        "TRY",
        "DOĞRU",
        "",
        "report",
        "",
        "Published",
    ],
    [
        "bilateral-trade",
        "northland-southland",
        "Range of months",
        "01.01.2025",
        "31.05.2025",
        "NA",
        "SA",
        "exceeded",
        "1.234.567.890,5",
        "USD",
        "49382715620,25",
        "TRY",
        "evet",
        "Ocak–Mayıs dönemi; geçici (ön) veri, ihracat ağırlıklı.",
        "ministry",
        "",
        "Published",
    ],
    [
        "bilateral-trade",
        "northland-southland",
        "Calendar year",
        "01.01.2023",
        "31.12.2023",
        "SA",
        "NA",
        "about",
        "1.234,5",
        "USD",
        "",
        "",
        "hayır",
        "Küçük ölçekli ticaret; şüpheli kalemler çıkarıldı.",
        "report",
        "",
        "Draft",
    ],
]

PLACES = [
    ["Slug", "Current name", "Country", "Capital city", "Latitude", "Longitude"],
    ["igdir", "Iğdır", "NA", "hayır", "39,9237", "44,045"],
    ["sanliurfa", "Şanlıurfa", "NA", "hayır", "37,1591", "38,7969"],
    ["canakkale", "Çanakkale", "SA", "hayır", "40,1553", "26,4142"],
    ["odemis", "Ödemiş", "SA", "hayır", "38,2311", "27,9719"],
    ["inegol", "İnegöl", "NA", "YANLIŞ", "40,0806", "29,5097"],
]

SHEETS = {
    "visits": (VISITS, {}),
    "statistics": (STATISTICS, {"Value": "#.##0,00", "Equivalent value": "#.##0,00"}),
    "places": (PLACES, {}),
}

# LibreOffice's language settings (Tools ▸ Options ▸ Language Settings), Turkish: what an editor in
# Türkiye works with, and what LibreOffice reads typed dates and numbers by.
TURKISH_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>tr-TR</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>tr-TR</value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale" oor:op="fuse"><value>tr-TR</value></prop></item>
</oor:items>
"""

# Rows after the last record whose cells are formatted, as when an editor formats a block larger than the data.
BLANK_ROWS_FORMATTED = 40

SAVED = [
    ("-utf8.csv", "Text - txt - csv (StarCalc)", "44,34,76"),
    ("-windows1254.csv", "Text - txt - csv (StarCalc)", "59,34,36"),
    (".xlsx", "Calc MS Excel 2007 XML", ""),
    (".ods", "calc8", ""),
]


def prop(name, value):
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _attempt in range(60):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.5)
    sys.exit("LibreOffice did not start.")


def type_sheet(context, rows, formats):
    manager = context.ServiceManager
    desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
    document = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, (prop("Hidden", True),))
    document.CharLocale = Locale("tr", "TR", "")
    controller = document.getCurrentController()
    frame = controller.getFrame()
    sheet = document.Sheets.getByIndex(0)
    for row_number, row in enumerate(rows):
        for column, text in enumerate(row):
            if text:
                controller.select(sheet.getCellByPosition(column, row_number))
                dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, (prop("StringName", text),))
    number_formats = document.NumberFormats
    for header, code in formats.items():
        key = number_formats.queryKey(code, Locale("tr", "TR", ""), False)
        if key == -1:
            key = number_formats.addNew(code, Locale("tr", "TR", ""))
        column = rows[0].index(header)
        sheet.getCellRangeByPosition(column, 1, column, len(rows) + BLANK_ROWS_FORMATTED).NumberFormat = key
    if formats:
        shaded = sheet.getCellRangeByPosition(len(rows[0]), 0, len(rows[0]) + 1, len(rows) + BLANK_ROWS_FORMATTED)
        shaded.CellBackColor = 0xFFF2CC
    return document


def main():
    pipe = f"relations-files-{os.getpid()}"
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    (Path(profile) / "user").mkdir()
    (Path(profile) / "user" / "registrymodifications.xcu").write_text(TURKISH_PROFILE, encoding="utf-8")
    office = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--invisible",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;",
        ]
    )
    try:
        context = connect(pipe)
        for name, (rows, formats) in SHEETS.items():
            document = type_sheet(context, rows, formats)
            for suffix, filter_name, options in SAVED:
                target = uno.systemPathToFileUrl(str(HERE / f"{name}{suffix}"))
                arguments = [prop("FilterName", filter_name), prop("Overwrite", True)]
                if options:
                    arguments.append(prop("FilterOptions", options))
                document.storeToURL(target, tuple(arguments))
            document.close(True)
    finally:
        office.terminate()
        office.wait(timeout=30)


if __name__ == "__main__":
    main()
