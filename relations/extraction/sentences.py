"""An article cut into sentences and clauses, each keeping its place in the text (for highlighting)."""

import re
from dataclasses import dataclass

# A full stop after these is not the end of a sentence: "Dec. 16, 1991", "Mr. Aliyev", "U.S. officials".
ABBREVIATIONS = {
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "vs", "approx", "gen", "lt", "col", "sen", "rep", "inc",
    "ltd", "co", "corp", "est", "etc", "u.s", "u.k", "e.g", "i.e",
}  # fmt: skip

# The end of a sentence: . ! or ? (and a closing quote), then space and a capital, a digit or an opening quote.
END = re.compile(r"[.!?][”\"’')]*(?=\s+[\"“‘(]?[A-Z0-9À-ÖØ-ÞİÇŞĞÜÖ])")


# A dateline before the first sentence is not part of it: "date 2025-07-29 President …", "ASTANA (Wire) – The …".
DATELINE = re.compile(
    r"\A\s*(?:date\s+\d{4}-\d{2}-\d{2}\s+|[A-ZÇĞİÖŞÜ]{3,}(?:,[^–—\n]{1,30})?\s*(?:\([^)\n]{1,40}\))?\s*[–—]\s*)"
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of the article: its text and where it starts and ends in the article."""

    index: int
    start: int
    end: int
    text: str

    def clauses(self):
        """(start, end) of its clauses, relative to the sentence: ", and 300 students …" starts a clause, as a
        semicolon and "Meanwhile" do; commas alone do not (a list of cities is one clause)."""
        cuts = [0]
        for match in CLAUSE_BREAK.finditer(self.text):
            cuts.append(match.start())
        cuts.append(len(self.text))
        return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


CLAUSE_BREAK = re.compile(r"(?:,|;)\s+(?:and|while|whereas|but)\s+(?=\S)|;\s+|\bwhile\b")


def split_sentences(text):
    """The sentences of `text`, paragraphs first (a blank line or a line break always ends one)."""
    sentences = []
    dateline = DATELINE.match(text)
    skipped = dateline.end() if dateline else 0
    for paragraph in re.finditer(r"[^\n]+", text):
        start = max(paragraph.start(), skipped)
        chunk = text[start : paragraph.end()]
        position = 0
        for match in END.finditer(chunk):
            word = re.search(r"([\w.]+)$", chunk[position : match.start()])
            if word and word.group(1).lower().rstrip(".") in ABBREVIATIONS:
                continue
            if word and len(word.group(1)) == 1 and word.group(1).isupper():  # an initial: "John F. Kennedy"
                continue
            sentences.append((start + position, start + match.end()))
            position = match.end()
        sentences.append((start + position, start + len(chunk)))
    result = []
    for first, last in sentences:
        piece = text[first:last]
        stripped = piece.strip()
        if not stripped:
            continue
        offset = first + (len(piece) - len(piece.lstrip()))
        result.append(Sentence(len(result), offset, offset + len(stripped), stripped))
    return result
