"""Write the XLSX templates of the import (issue 16) into static/xls/.

Usage: .venv/bin/python tools/import_templates.py

- import_rodzin.xlsx: families and their members, for Odoo's own import (Rodziny,
  Importuj rekordy). Its headers are the Polish labels of the fields, so that Odoo
  maps them by itself for a user working in Polish.
- import_spraw_w_toku.xlsx: the open cases, for the head's wizard (Konfiguracja,
  Import spraw w toku). Its headers are those of `COLUMNS` in
  wizards/assist_case_import.py.

tests/test_import.py checks both against the addon (the family headers map to the
right fields, the case headers are the wizard's, every value of the drop-down lists
is accepted): change them together.
"""

from datetime import datetime
from pathlib import Path

import xlsxwriter

OUT = Path(__file__).resolve().parent.parent / "static" / "xls"
CREATED = datetime(2026, 11, 26)

STAGES = [
    "Asystent przydzielony",
    "Dokumenty przekazane",
    "Diagnoza i plan",
    "Współpraca",
    "Monitoring",
]
BASES = [
    "Wniosek pracownika socjalnego po wywiadzie środowiskowym",
    "Postanowienie sądu",
    "Ustawa „Za życiem”",
    "Małoletni rodzic opuszczający placówkę (art. 11 ust. 1a)",
    "Ponowne objęcie wsparciem po monitoringu (zał. 13)",
]
GROUNDS = [
    (
        "Trudności w wypełnianiu funkcji opiekuńczo-wychowawczych, których rodzina nie jest "
        "w stanie samodzielnie przezwyciężyć"
    ),
    (
        "Rodzicem jest małoletni opuszczający młodzieżowy ośrodek wychowawczy, młodzieżowy "
        "ośrodek socjoterapii, schronisko dla nieletnich lub zakład poprawczy"
    ),
    "Potrzeba zgłoszona przez instytucję zewnętrzną",
]
ZA_ZYCIEM = [
    "Kobieta w ciąży i jej rodzina",
    "W rodzinie przyjdzie albo przyszło na świat ciężko chore dziecko",
    "Dziecko może umrzeć w trakcie ciąży lub porodu",
    "Dziecko zmarło bezpośrednio po porodzie na skutek wad wrodzonych",
    "Po porodzie dziecko nie zostanie zabrane do domu",
]
END_REASONS = [
    "Osiągnięcie celów planu",
    "Brak współpracy rodziny",
    "Pisemna rezygnacja rodziny",
    "Przeprowadzka poza gminę",
    "Inne",
]
YES_NO = ["tak", "nie"]
DIFFICULTY = ["Standard", "Trudna"]
ROLES = [
    "Matka",
    "Ojciec",
    "Opiekun prawny",
    "Partner rodzica",
    "Dziecko",
    "Dziadek / babcia",
    "Inne",
]

# (header, width, kind, list of values or None, what to write)
FAMILY_COLUMNS = [
    (
        "Identyfikator zewnętrzny",
        24,
        "text",
        None,
        (
            "Własny, niepowtarzalny znacznik rodziny, np. rodzina_0001 (numer teczki). Wskazuje "
            "rodzinę w imporcie spraw w toku; ponowny import z tym samym znacznikiem poprawia "
            "rodzinę zamiast dodawać drugą. Zalecany."
        ),
    ),
    ("Rodzina", 22, "text", None, "Nazwa gospodarstwa domowego, np. Kowalscy. Wymagana."),
    (
        "Pracownik socjalny",
        22,
        "text",
        None,
        (
            "Imię i nazwisko pracownika socjalnego odpowiedzialnego za rodzinę, tak jak w "
            "systemie. Puste: importujący pracownik."
        ),
    ),
    ("Ulica", 24, "text", None, "Ulica i numer domu/mieszkania."),
    ("Kod pocztowy", 12, "text", None, "np. 66-210"),
    ("Miasto", 16, "text", None, "Miejscowość (potrzebna do karty informacyjnej, zał. 4)."),
    ("Gmina", 16, "text", None, ""),
    ("Telefon", 14, "text", None, ""),
    (
        "Stopień trudności",
        16,
        "list",
        DIFFICULTY,
        "Standard albo Trudna (rodzina trudna liczy się podwójnie do limitu asystenta).",
    ),
    (
        "Członkowie/Imię i nazwisko",
        24,
        "text",
        None,
        (
            "Członek rodziny. Każdy kolejny członek w następnym wierszu, z pustymi kolumnami "
            "rodziny (od Identyfikatora do Stopnia trudności)."
        ),
    ),
    (
        "Członkowie/Rola w rodzinie",
        18,
        "list",
        ROLES,
        "Matka, Ojciec, Opiekun prawny, Partner rodzica, Dziecko, Dziadek / babcia, Inne.",
    ),
    (
        "Członkowie/PESEL",
        14,
        "pesel",
        None,
        (
            "11 cyfr (komórki sformatowane jako tekst: zera na początku zostają). Sprawdzana "
            "suma kontrolna; data urodzenia wypełnia się z numeru."
        ),
    ),
    (
        "Członkowie/Data urodzenia",
        16,
        "date",
        None,
        "dd.mm.rrrr, gdy osoba nie ma numeru PESEL.",
    ),
]

FAMILY_EXAMPLE = [
    [
        "rodzina_0001",
        "Kowalscy",
        "",
        "ul. Lipowa 5/2",
        "66-210",
        "Zbąszynek",
        "Zbąszynek",
        "600100200",
        "Standard",
        "Joanna Kowalska",
        "Matka",
        "88031212344",
        "",
    ],
    ["", "", "", "", "", "", "", "", "", "Zofia Kowalska", "Dziecko", "12252034524", ""],
    ["", "", "", "", "", "", "", "", "", "Jan Kowalski", "Dziecko", "", "03.04.2019"],
]

FAMILY_NOTES = [
    "Import rodzin i ich członków",
    "",
    (
        "Gdzie: Asystent rodziny → Rodziny → ikona koła zębatego (⚙) → Zaimportuj rekordy → "
        "Upload Data File (wczytaj wypełniony plik). Importuje pracownik socjalny (swoje "
        "rodziny) albo kierownik OPS."
    ),
    (
        "Wypełnij arkusz „Rodziny” od drugiego wiersza; nie zmieniaj nagłówków: Odoo sam "
        "dopasuje je do pól (użytkownik pracujący po polsku)."
    ),
    (
        "Jedna rodzina: wiersz z jej danymi i pierwszym członkiem; kolejni członkowie w "
        "następnych wierszach, z pustymi kolumnami rodziny (przykład niżej)."
    ),
    (
        "Wszystko albo nic: jeśli choć jeden wiersz jest błędny (np. PESEL z 10 cyframi), nie "
        "zapisze się żadna rodzina, a Odoo pokaże błędy z numerami wierszy. Przycisk „Test” "
        "sprawdza plik bez zapisywania. Do 2000 rodzin w jednym pliku (tyle Odoo importuje "
        "w jednej partii)."
    ),
    (
        "Potem: sprawy w toku importuje kierownik OPS (Konfiguracja → Import spraw w toku), "
        "wskazując rodzinę jej identyfikatorem zewnętrznym."
    ),
]

CASE_COLUMNS = [
    (
        "Rodzina",
        20,
        "text",
        None,
        (
            "Identyfikator zewnętrzny z importu rodzin (np. rodzina_0001) albo nazwa rodziny, "
            "jeśli w OPS jest tylko jedna o tej nazwie. Wymagana."
        ),
    ),
    (
        "Asystent rodziny (login)",
        20,
        "text",
        None,
        "Login asystenta rodziny w systemie (z grupą Asystent rodziny, w tym OPS). Wymagany.",
    ),
    (
        "Pracownik socjalny (login)",
        20,
        "text",
        None,
        "Login pracownika socjalnego sprawy. Puste: pracownik odpowiedzialny za rodzinę.",
    ),
    (
        "Etap",
        20,
        "list",
        STAGES,
        "Etap sprawy teraz. Wymagany. Od etapu zależy, które daty trzeba podać (niżej).",
    ),
    ("Podstawa", 24, "list", BASES, "Puste: wniosek pracownika socjalnego po wywiadzie."),
    (
        "Przesłanki",
        24,
        "list",
        GROUNDS,
        "Wymagane przy wniosku po wywiadzie i ponownym objęciu wsparciem (pkt 1 procedury).",
    ),
    ("Data wniosku", 14, "date", None, "Wymagana."),
    (
        "Data wywiadu środowiskowego",
        14,
        "date",
        None,
        "Wymagana, z wyjątkiem postanowienia sądu i ustawy „Za życiem”.",
    ),
    ("Instytucja zgłaszająca", 20, "text", None, "Gdy potrzebę zgłosiła instytucja."),
    ("Sąd", 20, "text", None, "Przy postanowieniu sądu: wymagany."),
    ("Sygnatura akt", 14, "text", None, "Przy postanowieniu sądu: wymagana."),
    ("Data postanowienia sądu", 14, "date", None, ""),
    (
        "Data wpływu informacji z sądu",
        14,
        "date",
        None,
        "Przy postanowieniu sądu: wymagana.",
    ),
    (
        "Kategoria „Za życiem”",
        24,
        "list",
        ZA_ZYCIEM,
        "Przy ustawie „Za życiem”: wymagana.",
    ),
    ("Przewidywana data porodu", 14, "date", None, "Może być w przyszłości."),
    ("Dzieci w pieczy zastępczej", 12, "list", YES_NO, "tak / nie"),
    ("Uzasadnienie", 30, "text", None, ""),
    (
        "Data decyzji kierownika",
        14,
        "date",
        None,
        "Przydzielenie asystenta (zał. 1). Wymagana na każdym etapie.",
    ),
    (
        "Data przekazania dokumentów",
        14,
        "date",
        None,
        "Zał. 2. Wymagana od etapu Dokumenty przekazane.",
    ),
    (
        "Data pierwszego spotkania",
        14,
        "date",
        None,
        "Rozpoczęcie pracy z rodziną (pkt 4-6). Wymagana od etapu Diagnoza i plan.",
    ),
    (
        "Data zgody rodziny",
        14,
        "date",
        None,
        "Gdy rodzina zgodziła się później niż na pierwszym spotkaniu.",
    ),
    ("Data karty informacyjnej", 14, "date", None, "Zał. 4, jeśli już sporządzona."),
    (
        "Data rozpoczęcia współpracy",
        14,
        "date",
        None,
        "Pkt 10.2. Wymagana na etapie Współpraca.",
    ),
    (
        "Współpraca przedłużona do 3 lat",
        12,
        "list",
        YES_NO,
        "tak, gdy kierownik już przedłużył współpracę.",
    ),
    (
        "Data rozpoczęcia monitoringu",
        14,
        "date",
        None,
        "Pkt 10.3. Wymagana na etapie Monitoring.",
    ),
    (
        "Powód zakończenia wsparcia",
        22,
        "list",
        END_REASONS,
        (
            "Na etapie Monitoring: wymagany. Po rezygnacji albo braku współpracy monitoruje "
            "pracownik socjalny (pkt 14)."
        ),
    ),
    (
        "Miesiące monitoringu",
        10,
        "number",
        None,
        "Od 2 do 6, gdy monitoruje asystent; puste, gdy pracownik socjalny.",
    ),
    (
        "Dotychczasowy numer sprawy",
        16,
        "text",
        None,
        "Trafia do historii sprawy; system nadaje sprawie nowy numer.",
    ),
]

CASE_NOTES = [
    "Import spraw w toku",
    "",
    (
        "Gdzie: Asystent rodziny → Konfiguracja → Import spraw w toku (tylko kierownik OPS). "
        "Najpierw zaimportuj rodziny (szablon „Rodziny i ich członkowie”)."
    ),
    (
        "Jeden wiersz = jedna sprawa w toku; jedna otwarta sprawa na rodzinę. Nie zmieniaj "
        "nagłówków. Daty: dd.mm.rrrr (albo komórka z datą), nie z przyszłości, w kolejności "
        "kroków: wniosek ≤ decyzja ≤ dokumenty ≤ pierwsze spotkanie ≤ zgoda ≤ karta ≤ "
        "współpraca ≤ monitoring."
    ),
    (
        "Daty etapów: Asystent przydzielony — decyzja; Dokumenty przekazane — + przekazanie "
        "dokumentów; Diagnoza i plan — + pierwsze spotkanie; Współpraca — + rozpoczęcie "
        "współpracy; Monitoring — decyzja, dokumenty, rozpoczęcie monitoringu, powód "
        "zakończenia wsparcia i miesiące. Dat późniejszych kroków nie wpisuj."
    ),
    (
        "„Sprawdź plik” wypisuje każdy błędny wiersz z numerem i powodem; „Importuj” tworzy "
        "sprawy tylko wtedy, gdy wszystkie wiersze są poprawne — inaczej nie zapisuje nic."
    ),
    (
        "Sprawdzane są też: limit rodzin asystenta (rodzina trudna liczy się podwójnie), "
        "czy rodzina nie ma już otwartej sprawy, czy loginy należą do asystenta / pracownika "
        "socjalnego tego OPS."
    ),
    (
        "Po imporcie każda sprawa ma wpis „Zaimportowano z …” w historii, a terminy procedury "
        "(np. wizyta, plan, koniec monitoringu) trafiają na listy zadań."
    ),
    (
        "W kolumnach z listą można wpisać też kod: approved, handover, diagnosis, cooperation, "
        "monitoring; interview, court, za_zyciem, youth_centre, reinclusion."
    ),
]

CASE_EXAMPLE = [
    ["rodzina_0001", "asystent", "", "Współpraca", "", GROUNDS[0], "05.01.2026",
     "02.01.2026", "", "", "", "", "", "", "", "nie", "", "12.01.2026", "14.01.2026",
     "20.01.2026", "", "27.01.2026", "16.02.2026", "nie", "", "", "", "12/2026"],
]  # fmt: skip


def write_values(book, columns, formats):
    """A sheet with the lists of values; {header: its range} for the drop-downs."""
    sheet = book.add_worksheet("Wartości")
    ranges = {}
    col = 0
    for header, _width, _kind, options, _note in columns:
        if not options:
            continue
        sheet.write(0, col, header, formats["header"])
        sheet.set_column(col, col, 40)
        for row, option in enumerate(options, 1):
            sheet.write_string(row, col, option)
        letter = xlsxwriter.utility.xl_col_to_name(col)
        ranges[header] = f"='Wartości'!${letter}$2:${letter}${len(options) + 1}"
        col += 1
    return ranges


def write_notes(book, notes, columns, example, formats):
    sheet = book.add_worksheet("Instrukcja")
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 100, formats["wrap"])
    sheet.write(0, 0, notes[0], formats["title"])
    row = 1
    for line in notes[1:]:
        sheet.write(row, 1, line, formats["wrap"])
        row += 1
    row += 1
    sheet.write(row, 0, "Kolumna", formats["header"])
    sheet.write(row, 1, "Co wpisać", formats["header"])
    for header, _width, _kind, _options, note in columns:
        row += 1
        sheet.write(row, 0, header, formats["bold"])
        sheet.write(row, 1, note, formats["wrap"])
    row += 2
    sheet.write(row, 0, "Przykład", formats["title"])
    for index, (header, *_rest) in enumerate(columns):
        sheet.write(row + 1, index, header, formats["header"])
    for offset, values in enumerate(example, 2):
        for index, value in enumerate(values):
            sheet.write_string(row + offset, index, value)


def make(path, data_sheet, columns, notes, example):
    book = xlsxwriter.Workbook(path)
    book.set_properties({"created": CREATED, "author": "Asystent rodziny"})
    formats = {
        "header": book.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True}),
        "bold": book.add_format({"bold": True}),
        "title": book.add_format({"bold": True, "font_size": 14}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "date": book.add_format({"num_format": "dd.mm.yyyy"}),
        "pesel": book.add_format({"num_format": "@"}),
        "text": book.add_format({"num_format": "@"}),
    }
    # the data sheet first: Odoo's import and the wizard read the first sheet
    data = book.add_worksheet(data_sheet)
    values = write_values(book, columns, formats)
    write_notes(book, notes, columns, example, formats)
    data.freeze_panes(1, 0)
    for index, (header, width, kind, options, _note) in enumerate(columns):
        data.write(0, index, header, formats["header"])
        data.set_column(index, index, width, formats.get(kind))
        validation = None
        if options:
            validation = {
                "validate": "list",
                "source": values[header],
                "error_type": "warning",
                "error_message": "Wybierz wartość z listy albo wpisz jej kod.",
            }
        elif kind == "date":
            validation = {
                "validate": "date",
                "criteria": "between",
                "minimum": datetime(1900, 1, 1),
                "maximum": datetime(2100, 12, 31),
                "error_type": "warning",
                "error_message": "Wpisz datę, np. 31.12.2025.",
            }
        if validation:
            data.data_validation(1, index, 5000, index, validation)
    book.close()


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    make(OUT / "import_rodzin.xlsx", "Rodziny", FAMILY_COLUMNS, FAMILY_NOTES, FAMILY_EXAMPLE)
    make(
        OUT / "import_spraw_w_toku.xlsx",
        "Sprawy",
        CASE_COLUMNS,
        CASE_NOTES,
        CASE_EXAMPLE,
    )


if __name__ == "__main__":
    main()
