#!/usr/bin/python3
"""Compile gettext PO files into a C++ source file with constant tables.

The library looks translations up per request, so it cannot use libintl:
libintl selects the language through the process-wide locale, and one httpd
process serves requests in many languages at once. This script runs at
build time and writes lib/i18n/catalogs.cc, which defines
certhelp::built_in_catalogs() (declared in lib/certhelp/i18n.h).

Usage: po2cc.py --output FILE PO_FILE...

Each PO file is named after its language ("de.po") and must say the same
language in its "Language" header. Only what the pages need is accepted:
UTF-8, msgid/msgid_plural/msgstr entries, the escapes \\" \\\\ \\n \\t, and
a Plural-Forms expression in gettext's C syntax over n. Anything else is an
error with the file and line. Fuzzy entries, obsolete entries (#~) and
entries with an empty msgstr count as untranslated and are left out, as
gettext itself does at run time.
"""

import argparse
import gettext
import os
import re
import sys

LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}")
PLURAL_FORMS_PATTERN = re.compile(
    r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]+);?\s*")
# Characters of a gettext plural expression: n, decimal numbers and C
# operators. Checked before the expression is copied into C++ source.
PLURAL_EXPRESSION_PATTERN = re.compile(r"[n0-9 ()!=<>&|?:%+*/-]+")
KEYWORD_PATTERN = re.compile(
    r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(.*)")
ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


class PoError(Exception):
    """An invalid PO file, with the file and line in the message."""


class Entry:
    """One message of a PO file while it is being read."""

    def __init__(self, line):
        self.line = line
        self.flags = set()
        self.msgid = None
        self.msgid_plural = None
        self.msgstr = {}
        self.last_field = None


def parse_string(text, where):
    """Decode one C string literal of a PO file."""
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise PoError(f"{where}: expected a string in double quotes")
    body = text[1:-1]
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == '"':
            raise PoError(f"{where}: unescaped '\"' inside a string")
        if c != "\\":
            out.append(c)
            i += 1
            continue
        if i + 1 >= len(body) or body[i + 1] not in ESCAPES:
            escape = body[i:i + 2]
            raise PoError(f"{where}: unsupported escape {escape!r}; "
                          "only \\\" \\\\ \\n and \\t are allowed")
        out.append(ESCAPES[body[i + 1]])
        i += 2
    return "".join(out)


def append_to_field(entry, field, index, value):
    if field == "msgid":
        entry.msgid = (entry.msgid or "") + value
    elif field == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + value
    else:
        entry.msgstr[index] = entry.msgstr.get(index, "") + value


def read_entries(path):
    """Split a PO file into entries, skipping comments other than flags."""
    try:
        with open(path, encoding="utf-8") as stream:
            lines = stream.read().splitlines()
    except UnicodeDecodeError as error:
        raise PoError(f"{path}: not valid UTF-8: {error}") from None

    entries = []
    entry = None
    for number, raw in enumerate(lines, start=1):
        where = f"{path}:{number}"
        line = raw.strip()
        if not line or line.startswith("#~"):
            entry = None if not line else entry
            continue
        if line.startswith("#,"):
            if entry is not None and entry.msgid is not None:
                entry = None
            if entry is None:
                entry = Entry(number)
                entries.append(entry)
            entry.flags.update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue

        if line.startswith('"'):
            if entry is None or entry.last_field is None:
                raise PoError(f"{where}: string without a keyword before it")
            field, index = entry.last_field
            append_to_field(entry, field, index, parse_string(line, where))
            continue

        match = KEYWORD_PATTERN.fullmatch(line)
        if match is None:
            raise PoError(f"{where}: expected msgid, msgid_plural or msgstr")
        keyword, index, rest = match.group(1), match.group(2), match.group(3)
        if keyword == "msgctxt":
            raise PoError(f"{where}: msgctxt is not supported")
        field = "msgstr" if keyword.startswith("msgstr") else keyword
        index = int(index) if index is not None else None

        if field == "msgid":
            if entry is None or entry.msgid is not None:
                entry = Entry(number)
                entries.append(entry)
        elif entry is None or entry.msgid is None:
            raise PoError(f"{where}: {keyword} without a msgid before it")
        if field == "msgstr":
            plural = entry.msgid_plural is not None
            if plural != (index is not None):
                raise PoError(f"{where}: use msgstr[N] exactly for entries "
                              "with msgid_plural")
            if index in entry.msgstr:
                raise PoError(f"{where}: {keyword} appears twice")
        entry.last_field = (field, index)
        append_to_field(entry, field, index, parse_string(rest, where))
    return entries


def parse_header(entry, path):
    fields = {}
    for line in entry.msgstr.get(None, "").splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def compile_plural(fields, path):
    """Return (nplurals, C expression) after checking the expression."""
    text = fields.get("Plural-Forms")
    if text is None:
        raise PoError(f"{path}: the header has no Plural-Forms field")
    match = PLURAL_FORMS_PATTERN.fullmatch(text)
    if match is None:
        raise PoError(f"{path}: invalid Plural-Forms {text!r}")
    count, expression = int(match.group(1)), match.group(2).strip()
    if not 1 <= count <= 6:
        raise PoError(f"{path}: nplurals={count} is outside 1 to 6")
    if not PLURAL_EXPRESSION_PATTERN.fullmatch(expression):
        raise PoError(f"{path}: the plural expression {expression!r} may "
                      "contain only n, numbers and C operators")
    try:
        # gettext's own parser rejects anything that is not a valid
        # expression, so the text compiles as C++ too.
        function = gettext.c2py(expression)
    except (ValueError, RecursionError) as error:
        raise PoError(f"{path}: invalid plural expression {expression!r}: "
                      f"{error}") from None
    for n in range(0, 1001):
        if not 0 <= function(n) < count:
            raise PoError(f"{path}: the plural expression gives form "
                          f"{function(n)} for n={n}, but nplurals={count}")
    return count, expression


def read_catalog(path):
    """Read one PO file into (language, nplurals, expression, messages)."""
    language = os.path.splitext(os.path.basename(path))[0]
    if not LANGUAGE_PATTERN.fullmatch(language):
        raise PoError(f"{path}: the file name must be a lower-case ISO 639 "
                      "language code, such as de.po")

    entries = read_entries(path)
    headers = [e for e in entries if e.msgid == ""]
    if len(headers) != 1:
        raise PoError(f"{path}: expected one header entry (msgid \"\")")
    fields = parse_header(headers[0], path)
    if fields.get("Language") != language:
        raise PoError(f"{path}: the Language header is "
                      f"{fields.get('Language')!r}, expected {language!r}")
    content_type = fields.get("Content-Type", "").replace(" ", "").lower()
    if content_type != "text/plain;charset=utf-8":
        raise PoError(f"{path}: Content-Type must be "
                      "'text/plain; charset=UTF-8'")
    count, expression = compile_plural(fields, path)

    messages = {}
    for entry in entries:
        where = f"{path}:{entry.line}"
        if entry.msgid is None:
            raise PoError(f"{where}: flags without a message")
        if entry.msgid == "":
            continue
        if entry.msgid in messages:
            raise PoError(f"{where}: msgid {entry.msgid!r} appears twice")
        if entry.msgid_plural is None:
            forms = [entry.msgstr.get(None, "")]
        else:
            if sorted(entry.msgstr) != list(range(count)):
                raise PoError(f"{where}: expected msgstr[0] to "
                              f"msgstr[{count - 1}] (nplurals={count})")
            forms = [entry.msgstr[i] for i in range(count)]
        if "fuzzy" in entry.flags or not all(forms):
            continue
        messages[entry.msgid] = (entry.msgid_plural or "", forms)
    return language, count, expression, messages


def cxx_string(text):
    """Return `text` as a C++ string literal, non-ASCII bytes in octal."""
    out = ['"']
    for byte in text.encode("utf-8"):
        c = chr(byte)
        if c == '"' or c == "\\":
            out.append("\\" + c)
        elif 0x20 <= byte < 0x7f and c != "?":
            out.append(c)
        else:
            out.append(f"\\{byte:03o}")
    out.append('"')
    return "".join(out)


def generate(catalogs, sources):
    lines = [
        "// Generated by lib/i18n/po2cc.py from "
        + ", ".join(sources) + ". Do not edit.",
        '#include "certhelp/i18n.h"',
        "",
        "#include <cstddef>",
        "#include <iterator>",
        "",
        "namespace certhelp {",
        "",
        "namespace {",
        "",
    ]

    table = []
    for language, count, expression, messages in catalogs:
        lines.append(f"std::size_t plural_form_{language}(unsigned long n)")
        lines.append("{")
        lines.append("    static_cast<void>(n);")
        lines.append(f"    return static_cast<std::size_t>({expression});")
        lines.append("}")
        lines.append("")
        keys = sorted(messages, key=lambda m: m.encode("utf-8"))
        for number, msgid in enumerate(keys):
            forms = ", ".join(cxx_string(f) for f in messages[msgid][1])
            lines.append(f"constexpr std::string_view "
                         f"kForms_{language}_{number}[] = {{{forms}}};")
        lines.append("")
        lines.append(f"constexpr CatalogEntry kEntries_{language}[] = {{")
        for number, msgid in enumerate(keys):
            plural = messages[msgid][0]
            lines.append(f"    {{{cxx_string(msgid)},")
            lines.append(f"     {cxx_string(plural)},")
            lines.append(f"     kForms_{language}_{number},")
            lines.append(f"     std::size(kForms_{language}_{number})}},")
        lines.append("};")
        lines.append("")
        table.append(f"    {{{cxx_string(language)}, plural_form_{language}, "
                     f"{count}, kEntries_{language}, "
                     f"std::size(kEntries_{language})}},")

    lines.append("constexpr Catalog kCatalogs[] = {")
    lines.extend(table)
    lines.append("};")
    lines.append("")
    lines.append("}  // namespace")
    lines.append("")
    lines.append("CatalogList built_in_catalogs()")
    lines.append("{")
    lines.append("    return {kCatalogs, std::size(kCatalogs)};")
    lines.append("}")
    lines.append("")
    lines.append("}  // namespace certhelp")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", required=True,
                        help="the C++ file to write")
    parser.add_argument("po_files", nargs="+", help="PO files, one per "
                        "language")
    args = parser.parse_args()

    try:
        catalogs = sorted((read_catalog(path) for path in args.po_files),
                          key=lambda catalog: catalog[0])
    except (OSError, PoError) as error:
        print(f"po2cc.py: {error}", file=sys.stderr)
        return 1
    languages = [catalog[0] for catalog in catalogs]
    if len(set(languages)) != len(languages) or "en" in languages:
        print("po2cc.py: each language may have one PO file, and English "
              "needs none because the msgids are English",
              file=sys.stderr)
        return 1

    text = generate(catalogs, [os.path.basename(p) for p in args.po_files])
    temporary = args.output + ".tmp"
    with open(temporary, "w", encoding="ascii") as stream:
        stream.write(text)
    os.replace(temporary, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
