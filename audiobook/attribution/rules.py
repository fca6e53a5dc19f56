"""Attribution rules (sieves), from the most to the least certain.

Every rule has the same shape: it sees one undecided quote in its `Story`
(the paragraph and its neighbours) and returns a `Decision` or None.  The
rules run in the order of `RULES`, each over every quote still undecided
(and again while it decides more); whenever a quote is decided, the quotes
linked to it (the other quotes of its paragraph, a quote running on into the
next paragraph, an unnamed speaker described alike) inherit its speaker.
The last rules only guess; they decide one quote at a time, and turn-taking
carries each guess along its conversation before the next guess is made.
After each rule, pronoun tags still unresolved are tried again, as the
speakers decided meanwhile give their pronouns something to stand for.
Adding or reordering a rule is a one-line change to `RULES`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator, Optional

from audiobook.attribution.context import Quote, Story, is_subject
from audiobook.attribution.names import FEMALE_NOUNS, MALE_NOUNS, gender_of_noun, is_group, title_of
from audiobook.model import UNKNOWN_SPEAKER

SPEECH_VERBS = frozenset("""
say says said saying ask asks asked asking reply replies replied answer answers answered cry cries cried
exclaim exclaims exclaimed add adds added continue continues continued begin begins began remark remarks
remarked observe observes observed return returns returned rejoin rejoins rejoined retort retorts retorted
shout shouts shouted call calls called whisper whispers whispered mutter mutters muttered murmur murmurs
murmured repeat repeats repeated respond responds responded suggest suggests suggested inquire inquires
inquired enquire enquires enquired demand demands demanded declare declares declared interrupt interrupts
interrupted explain explains explained laugh laughs laughed sigh sighs sighed groan groans groaned gasp gasps
gasped sob sobs sobbed stammer stammers stammered falter falters faltered plead pleads pleaded urge urges urged
insist insists insisted protest protests protested admit admits admitted agree agrees agreed think thinks
thought resume resumes resumed persist persists persisted speak speaks spoke scream screams screamed yell
yells yelled roar roars roared growl growls growled snap snaps snapped spit spits spat tease teases teased
lie lies lied refute refutes refuted accuse accuses accused thunder thunders thundered start starts started
whine whines whined hiss hisses hissed grunt grunts grunted venture ventures ventured conclude concludes
concluded announce announces announced warn warns warned command commands commanded beg begs begged
assent assents assented affirm affirms affirmed muse muses mused wonder wonders wondered query queries queried
question questions questioned sneer sneers sneered chuckle chuckles chuckled giggle giggles giggled drawl
drawls drawled smile smiles smiled bawl bawls bawled moan moans moaned wail wails wailed sing sings sang
breathe breathes breathed gulp gulps gulped sniff sniffs sniffed snort snorts snorted reason reasons reasoned
object objects objected confess confesses confessed echo echoes echoed shriek shrieks shrieked squeak squeaks
squeaked pant pants panted blurt blurts blurted chime chimes chimed put puts broke struck quoted went goes
tell tells told interposed interpose pursued proceeded stuttered grinned nodded bellowed grumbled complained
instruct instructs instructed hint hints hinted advise advises advised ejaculate ejaculates ejaculated scoff scoffs
scoffed propose proposes proposed lament laments lamented challenge challenges challenged assert asserts
asserted mumble mumbles mumbled whimper whimpers whimpered jeer jeers jeered snarl snarls snarled screech screeches
screeched squeal squeals squealed bark barks barked lisp lisps lisped croak croaks croaked quaver quavers quavered
hazard hazards hazarded volunteer volunteers volunteered concede concedes conceded counter counters countered
prompt prompts prompted promise promises promised remind reminds reminded remonstrate remonstrates remonstrated
entreat entreats entreated implore implores implored beseech beseeches besought order orders ordered vociferate
vociferates vociferated soothe soothes soothed correct corrects corrected
""".split())
PRONOUN_GENDER = {"he": "male", "she": "female"}
OBJECT_PRONOUNS = {"him": "he", "her": "she"}
DESCRIBED_AGAIN = "described_again"
#: How many paragraphs back a pronoun looks first for a character who is a sentence's subject.
SUBJECT_REACH = 1
#: How many paragraphs back a chain of sentences opening with one pronoun may run.
CHAIN_REACH = 2
#: How many paragraphs apart two descriptions of one unnamed speaker may be.
DESCRIPTION_REACH = 20
#: How many paragraphs on an unnamed speaker's name may first appear.
INTRODUCTION_REACH = 10
FIRST_PERSON = frozenset({"i", "we"})
#: The most words of a sentence that announces the quote after it (`Then Mrs. Griffin spoke.`).
ANNOUNCEMENT_WORDS = 6
ANNOUNCING_VERBS = frozenset("spoke speaks said says began begins answered answers replied replies".split())
#: Nouns for a parent or a spouse: someone whom the narration usually calls Mr., Mrs. or Lady.
ELDER_NOUNS = frozenset("mother father wife husband aunt uncle grandmother grandfather mamma papa".split())

_SKIP = re.compile(r"[\s,;:—–\-…)]*")
_ADVERB = r"(?:(?:\w+ly|then|now|again|at\s+last|at\s+once|once\s+more|presently|still)\s+)?"
_AUX = r"(?:(?:had|has|was|would|could|did|will)\s+)?"
_PRONOUN = re.compile(r"\b(he|she|i|we)\b(?!['’])", re.I)
_WORD = re.compile(r"[A-Za-z]+")
_POSSESSIVE_WORD = re.compile(r"(?:his|her|my|our|their)\s+", re.I)
#: Words before a name that describe its bearer: `the poet Syme`, `the voice of John Reed`.
_EPITHET = re.compile(r"the\s+(?:voice\s+of\s+|(?:[a-z][\w-]*\s+){1,2}(?=[A-Z]))")
_TO_WHOM = re.compile(r"\bto\s+$")
_WORD_AFTER = re.compile(r"(?:['’]s)?(?:\s*,\s*[a-z]+(?:\s+[a-z]+)?\s*,)?\s+[a-z]")
_AFTER_SUBJECT = re.compile(r"\s+" + _ADVERB + _AUX + _ADVERB + r"(\w+)")
_AFTER_VERB = re.compile(r"(?:\s+(?:out|in|up|back|on|forth|aloud))?\s+" + _ADVERB)
_LEADING_VERB = re.compile(_ADVERB + r"(\w+)")
_DETERMINER = r"(?P<det>a|an|another|some|the|one\s+of\s+the|his|her|their|my|our|your)\s+"
#: A noun phrase followed by its verb: `the old man said`, `his wife cried`.
_NOMINAL_SUBJECT = re.compile(_DETERMINER + r"(?:[\w-]+\s+){0,2}?(?P<head>[\w-]+)\s+" + _ADVERB + r"(?P<verb>\w+)", re.I)
#: A noun phrase after an inverted verb: `said the old man`, `cried his wife impatiently`.
_NP_END = (r"(?=\s*(?:[,.;:!?—–-]|$|\s+(?:\w+ly|to|in|on|by|with|as|who|whose|that|and|from|at|of|but|for|"
           r"into|upon|over|under|after|while|when|without|through|across|behind|beside|near|out|up|down|toward|"
           r"towards|again|then|now|once)\b))")
_NOMINAL_OBJECT = re.compile(_DETERMINER + r"(?:[\w-]+\s+){0,3}?(?P<head>[\w-]+)" + _NP_END, re.I)
#: A noun phrase whose head is a noun of one gender (`My uncle saw me`, `The old lady reached`).
_GENDERED_NOUN_PHRASE = re.compile(_DETERMINER + r"(?:[\w-]+\s+){0,2}?(?P<head>%s)\b" % "|".join(
    sorted(FEMALE_NOUNS | MALE_NOUNS, key=len, reverse=True)), re.I)
#: What a possessive name owns: `'s companion` in `said Cameron's companion`.
_OWNED = re.compile(r"['’]s\s+(?:[\w-]+\s+){0,2}?(?P<head>[a-z][\w-]*)" + _NP_END)
_POSSESSIVE_DETERMINERS = frozenset({"his", "her", "their", "my", "our", "your"})
_POSSESSIVE_VOICE = re.compile(r"['’]s\s+(?:[\w-]+\s+){0,2}?voice\b", re.I)
_SENTENCE_END = re.compile(r"(?<!\bMr)(?<!\bMrs)(?<!\bDr)(?<!\bMs)(?<!\bSt)[.!?]['\"”’]?\s+|;\s+")
#: What may come before a sentence's subject: quote marks, dashes and a linking word (`But`, `Presently`).
_OPENING = re.compile(r"[\s\"“”‘’'—–\-]*(?:(?:and|but|then|so|now|yet|presently|suddenly|at\s+last)\b[\s,]*)?", re.I)
_CLAUSE_PRONOUN = re.compile(r",\s+(he|she)\b(?!['’])", re.I)
_HEARD = re.compile(r"\s+(?:\w+ly\s+)?(?:heard|hears|hear|overheard)\s+", re.I)
#: A name and `heard` ending a clause or before a voice: someone who hears, not says, the words
#: (`were the next words Margaret heard.`, `Margaret heard her aunt's voice again`).
_HEARS = re.compile(r"\s+(?:\w+ly\s+)?(?:heard|overheard)(?:\s*[.,;:!?]|\s+(?:[\w'’]+\s+){1,3}?voices?\b)", re.I)
_OBJECT_PRONOUN = re.compile(r"(him|her)\b(?=\s+[a-z])", re.I)
_VOICE = re.compile(r"(?:a|one|another|some)\s+(?:[a-z]+\s+)?voice\b", re.I)
#: A clause set inside a sentence, up to the comma that closes it (`when he spoke to her,`).
_SUBORDINATE = re.compile(r"\b(?:when|while|whilst|as|if|because|since|after|before|until|though|although|who|whom|"
                          r"whose|which|where)\b[^,;:]*[,;:]", re.I)
#: Words before a verb of speaking that make it a noun (`some former remark of his`).
_NOUN_BEFORE = re.compile(r"\b(?:a|an|the|his|her|their|my|our|your|some|this|that|former|last|first)\s+$", re.I)
#: A tag whose verb says the quote answers the one before (`he replied`, `returned she`).
_REPLY_TAG = re.compile(r"[\s,;:—–\-]*(?:[\w.]+\s+){0,3}?(?:replied|replies|answered|answers|returned|returns|"
                        r"rejoined|rejoins|retorted|retorts|responded|responds)\b", re.I)
_CLAUSE_END = re.compile(r"(?<!\bMr)(?<!\bMrs)(?<!\bDr)(?<!\bMs)(?<!\bSt)[.!?]['\"”’]?\s+")


@dataclass(frozen=True)
class Decision:
    """A rule's answer.  `evident` answers come from the quote's own tag and
    stand even against what the context rules out (the addressee, a pronoun's gender)."""

    speaker: str
    confidence: float
    evident: bool = False


Rule = Callable[[Quote, Story], Optional[Decision]]


# --------------------------------------------------------------------------- tag parsing


@dataclass(frozen=True)
class Subject:
    """Who a tag names: a character, a pronoun to resolve, or somebody unnamed."""

    name: Optional[str] = None
    pronoun: Optional[str] = None
    unnamed: bool = False  # `a voice`, `the stranger`: nobody the text has named
    gender: Optional[str] = None  # what a pronoun or a noun (`his wife`) says of the speaker
    description: Optional[str] = None  # the noun describing an unnamed speaker (`gentleman`)
    noun: Optional[str] = None  # the noun describing any speaker (`gentleman`, `mother` in `her mother`)
    listener: Optional[str] = None  # who hears the speaker (`Mary` in `Mary heard her say`), never the speaker
    owner: Optional[str] = None  # whose relation speaks (`Cameron` in `said Cameron's companion`), never the speaker


def _nominal(story: Story, match: Optional[re.Match]) -> Optional[Subject]:
    """A subject for a described speaker (`the old man`, `his wife`): the one
    cast entry the same words describe (`a thin, elderly gentleman` for `the
    thin gentleman`), else somebody unnamed; one introduced by a possessive is
    someone known, so not `unnamed`."""
    if match is None:
        return None
    head = match.group("head").lower()
    modifiers = _WORD.findall(match.string[match.end("det"):match.start("head")].lower())
    described = story.names.described_as(head, modifiers)
    if len(described) == 1:
        return Subject(name=next(iter(described)))
    gender = gender_of_noun(head)
    unnamed = match.group("det").lower() not in _POSSESSIVE_DETERMINERS
    return Subject(unnamed=unnamed, gender=gender, description=head if unnamed else None, noun=head)


def _subject_at(story: Story, quote: Quote, pos: int) -> tuple[Optional[Subject], int]:
    """A subject starting at `pos` and the offset after it."""
    text = story.text(quote)
    determiner = _POSSESSIVE_WORD.match(text, pos) or _EPITHET.match(text, pos)
    mention = story.mention_at(quote.chapter, pos) or (determiner and story.mention_at(quote.chapter, determiner.end()))
    if mention:
        name = mention.name or _settle(story, quote, mention.names)
        return (Subject(name=name) if name else None), mention.end
    pronoun = _PRONOUN.match(story.text(quote), pos)
    if pronoun:
        word = pronoun.group(1).lower()
        return Subject(pronoun=word, gender=PRONOUN_GENDER.get(word)), pronoun.end()
    return None, pos


def _owned(text: str, subject: Optional[Subject], end: int) -> Optional[Subject]:
    """For a name owning the noun after it (`Cameron's companion`, not `Jo's
    voice`), the one so related to them; else the subject as it is."""
    match = _OWNED.match(text, end) if subject is not None and subject.name else None
    if match is None or match.group("head").lower() == "voice":
        return subject
    head = match.group("head").lower()
    return Subject(gender=gender_of_noun(head), noun=head, owner=subject.name)


def _settle(story: Story, quote: Quote, names: frozenset[str]) -> Optional[str]:
    """Pick among characters sharing a name: the most recent one in context."""
    for name in story.recent_characters(quote, quote.segment.start):
        if name in names:
            return name
    return None


def _verb_follows(text: str, pos: int, any_verb: bool) -> bool:
    """True when a speech verb (or, for `any_verb`, any past-tense verb) follows `pos`."""
    match = _AFTER_SUBJECT.match(text, pos)
    if not match:
        return False
    return _is_tag_verb(match.group(1), any_verb)


def tag_after(quote: Quote, story: Story) -> Optional[Subject]:
    """The subject of a tag right after the quote: `"…," Alex said`,
    `"…," said Alex`, `"…," he began`, `"…" Jo's voice sounded`."""
    text = story.text(quote)
    pos = _SKIP.match(text, quote.after[0], quote.after[1]).end()
    if pos >= quote.after[1]:
        return None
    inner = quote.segment.text.rstrip("\"”’' ")
    comma = inner.endswith((",", "–", "—", "-")) or text[pos].islower()
    subject, end = _subject_at(story, quote, pos)
    if subject is not None:
        if subject.name and _POSSESSIVE_VOICE.match(text, end):
            return subject
        return subject if _verb_follows(text, end, any_verb=comma) else _heard(story, quote, end, subject.name)
    verb = _LEADING_VERB.match(text, pos)
    if verb and verb.group(1).lower() in SPEECH_VERBS:
        after_verb = _AFTER_VERB.match(text, verb.end())
        subject_start = after_verb.end() if after_verb else verb.end()
        subject, end = _subject_at(story, quote, subject_start)
        return _owned(text, subject, end) or _nominal(story, _NOMINAL_OBJECT.match(text, subject_start))
    nominal = _NOMINAL_SUBJECT.match(text, pos)
    if nominal and _is_tag_verb(nominal.group("verb"), comma):
        return _nominal(story, nominal)
    return None


def _heard(story: Story, quote: Quote, pos: int, listener: Optional[str]) -> Optional[Subject]:
    """Whom the listener hears speak, after the listener at `pos`: `Mary heard
    her say`, `he heard Jo tell them`, `she heard a voice say`."""
    text = story.text(quote)
    heard = _HEARD.match(text, pos)
    if heard is None:
        return None
    start = heard.end()
    mention = story.mention_at(quote.chapter, start)
    pronoun = _OBJECT_PRONOUN.match(text, start)
    voice = _VOICE.match(text, start)
    if mention and mention.name:
        subject, end = Subject(name=mention.name, listener=listener), mention.end
    elif pronoun:
        word = OBJECT_PRONOUNS[pronoun.group(1).lower()]
        subject, end = Subject(pronoun=word, gender=PRONOUN_GENDER[word], listener=listener), pronoun.end()
    elif voice:
        subject, end = Subject(unnamed=True, listener=listener), voice.end()
    else:
        return None
    verb = _WORD.match(text, _SKIP.match(text, end).end())
    return subject if verb and is_speech_verb(verb.group()) else None


def is_speech_verb(word: str) -> bool:
    """True for a verb of speaking in any form (`said`, `remarking`, `adds`)."""
    word = word.lower()
    if word in SPEECH_VERBS:
        return True
    stem = word[:-3] if word.endswith("ing") else ""
    return len(stem) > 2 and (stem in SPEECH_VERBS or stem + "e" in SPEECH_VERBS or stem[:-1] in SPEECH_VERBS)


def _is_tag_verb(word: str, any_verb: bool) -> bool:
    """True for a speech verb, or, for `any_verb`, any past-tense verb."""
    word = word.lower()
    return word in SPEECH_VERBS or (any_verb and len(word) > 3 and word.endswith("ed"))


def tag_before(quote: Quote, story: Story) -> Optional[Subject]:
    """The subject of a tag ending the narration before the quote:
    `Alex said, "…"`, `said Alex: "…"`, `Alex interrupted Jo, "…"`."""
    text = story.text(quote)
    start, end = _introduction(quote, story)
    clause_start = _last_sentence_start(text, start, end)
    clause = text[clause_start:end].rstrip(" \n-—–")
    if not clause or clause[-1] not in ",:" and not text[clause_start:end].rstrip().endswith(("—", "-", "–")):
        return _announcement(story, quote, clause_start, clause)
    verbs = [m for m in _WORD.finditer(text, clause_start, end)
             if is_speech_verb(m.group()) and not _NOUN_BEFORE.search(text, clause_start, m.start())]
    if not verbs:
        return None
    finite = [m for m in verbs if not m.group().lower().endswith("ing")]
    verb = (finite or verbs)[-1]
    subject = _last_subject(story, quote, clause_start, verb.start())
    if subject is not None:
        return subject
    after_verb = _AFTER_VERB.match(text, verb.end())
    subject, _ = _subject_at(story, quote, after_verb.end() if after_verb else verb.end())
    return subject


def _announcement(story: Story, quote: Quote, start: int, clause: str) -> Optional[Subject]:
    """The subject of a short sentence that only says someone speaks, just
    before the quote (`Then Mrs. Griffin spoke. "…"`), or a clause that ends
    a longer one (`…; whereupon Mrs. Griffin spoke. "…"`)."""
    cut = max(clause.rfind(";"), clause.rfind(":")) + 1
    start, clause = start + cut, clause[cut:]
    words = _WORD.findall(clause)
    if not clause.endswith(".") or len(words) > ANNOUNCEMENT_WORDS or not _announces(words):
        return None
    return _last_subject(story, quote, start, start + len(clause))


def _announces(words: list[str]) -> bool:
    """True when the words end with a verb of speaking, maybe with an adverb after it (`began again`)."""
    last = [w.lower() for w in words[-2:]]
    if not last:
        return False  # a "sentence" of punctuation only (`. . . .`)
    if last[-1] in ANNOUNCING_VERBS:
        return True
    adverb = last[-1] in ("again", "aloud", "first", "next") or last[-1].endswith("ly")
    return len(last) == 2 and adverb and last[0] in ANNOUNCING_VERBS


def _last_subject(story: Story, quote: Quote, start: int, end: int) -> Optional[Subject]:
    """The subject of the verb ending ``text[start:end]``: the last pronoun or
    name before it that is neither possessive nor after a preposition (`felt
    Tom's shirt, and said` has none) nor in a clause closed before the verb
    (`she smiled when he spoke to her, and then said`), else a description
    opening the clause (`The old lady`, `But Jo's mother`: not Jo)."""
    text = story.text(quote)
    aside = [(m.start(), m.end()) for m in _SUBORDINATE.finditer(text, start, end) if m.end() < end]
    names = [m for m in story.mentions_between(quote.chapter, start, end)
             if is_subject(text, m) and not _within(aside, m.start)]
    pronouns = [p for p in _PRONOUN.finditer(text, start, end) if not _within(aside, p.start())]
    if pronouns and (not names or pronouns[-1].start() > names[-1].start):
        word = pronouns[-1].group(1).lower()
        return Subject(pronoun=word, gender=PRONOUN_GENDER.get(word))
    if names:
        name = names[-1].name or _settle(story, quote, names[-1].names)
        return Subject(name=name) if name else None
    opening = _SKIP.match(text, start, end).end()
    owner, after = _subject_at(story, quote, _OPENING.match(text, start, end).end())
    if owner is not None and owner.name and _OWNED.match(text, after, end):
        return _owned(text, owner, after)
    described = _GENDERED_NOUN_PHRASE.match(text, opening, end) or _NOMINAL_OBJECT.match(text, opening, end)
    return _nominal(story, described)


def _within(spans: list[tuple[int, int]], offset: int) -> bool:
    """True when `offset` falls inside one of the spans."""
    return any(start <= offset < end for start, end in spans)


def _introduction(quote: Quote, story: Story) -> tuple[int, int]:
    """The narration that may introduce the quote: the text before it in its
    paragraph, or the narration ending the paragraph just before (all of it,
    or what follows its last quote) when it ends in a colon or a comma
    (`But Sidney said:`, `"…," said Tom. Then he turned and said:`)."""
    start, end = quote.before
    text = story.text(quote)
    if quote.order or text[start:end].strip():
        return start, end
    paragraphs = story.book.chapters[quote.chapter].paragraphs
    previous = paragraphs[quote.paragraph - 1] if quote.paragraph else None
    if previous is None:
        return start, end
    narration_start = _closing_narration(story, quote.chapter, quote.paragraph - 1)
    if text[narration_start:previous.end].rstrip(" -—–").endswith((":", ",")):
        return narration_start, previous.end
    return start, end


def _closing_narration(story: Story, chapter: int, paragraph: int) -> int:
    """Where the narration that closes a paragraph starts: after its last quote, if any."""
    quotes = story.by_paragraph.get((chapter, paragraph))
    return quotes[-1].after[0] if quotes else story.book.chapters[chapter].paragraphs[paragraph].start


def _last_sentence_start(text: str, start: int, end: int) -> int:
    """Where the last sentence of ``text[start:end]`` begins."""
    sentence_start = start
    for match in _CLAUSE_END.finditer(text, start, end):
        if match.end() < end:
            sentence_start = match.end()
    return sentence_start


def tag_subject(quote: Quote, story: Story) -> Optional[Subject]:
    """The subject of the quote's tag: after it (`"…," he said`), else before
    it (`He said, "…"`).  After a quote that ends its sentence, what follows
    may start something new, so an introduction before it comes first."""
    if quote.segment.text.rstrip("\"”’' ").endswith("."):
        return tag_before(quote, story) or tag_after(quote, story)
    return tag_after(quote, story) or tag_before(quote, story)


def answers_by_description(story: Story) -> Iterator[tuple[Quote, Subject]]:
    """Each quote addressing someone by name in a paragraph whose tag names its
    speaker, with the tag of the answer in the next paragraph when it describes
    its speaker by a noun (`"Am I right, Jack?" said Cotter` / `"…," said my uncle`)."""
    for quote in story.quotes:
        paragraph = story.by_paragraph[(quote.chapter, quote.paragraph)]
        if not quote.addressees or not any(_named_tag(other, story) for other in paragraph):
            continue
        answer = story.by_paragraph.get((quote.chapter, quote.paragraph + 1), [])
        subject = tag_subject(answer[0], story) if answer else None
        if subject is not None and subject.noun and not (subject.name or subject.pronoun):
            yield quote, subject


def _named_tag(quote: Quote, story: Story) -> bool:
    """True when the quote's tag names its speaker."""
    subject = tag_subject(quote, story)
    return bool(subject and subject.name)


def learn_kin(story: Story) -> None:
    """Learn whom a kin noun stands for from the one a line addresses and the
    answer tagged by that noun (`"Am I right, Jack?"` / `"…," said my uncle`)."""
    for quote, subject in answers_by_description(story):
        if len(quote.addressees) == 1 and not subject.unnamed and subject.noun:
            story.kin.setdefault(subject.noun, next(iter(quote.addressees)))


def resolve_pronoun(pronoun: str, quote: Quote, story: Story) -> Optional[str]:
    """The character a tag's pronoun stands for: `I` is the narrator; `he` or
    `she` one of that gender the paragraph makes the subject of a sentence
    after its later quotes, else the character a chain of sentences opening
    with that pronoun starts from, else one of that gender named earlier in
    the paragraph, else the A-B-A speaker, else the one the last line
    addressed, else the most recent one (the subjects of the last two
    paragraphs, then the earlier speakers of the conversation, then known
    gender, first)."""
    if pronoun in FIRST_PERSON:
        return story.narrator
    gender = PRONOUN_GENDER.get(pronoun)
    if gender is None:
        return None
    paragraph_start = story.book.chapters[quote.chapter].paragraphs[quote.paragraph].start
    closing = [name for name in _later_beats(quote, story) if _pronoun_fits(quote, name, story, gender, exact=True)]
    if closing:
        return closing[0]
    chained = _chain_subject(pronoun, quote, story, gender)
    if chained:
        return chained
    in_paragraph = [m.name for m in reversed(story.mentions_between(quote.chapter, paragraph_start, quote.segment.start))
                    if m.name and _pronoun_fits(quote, m.name, story, gender, exact=True)]
    if in_paragraph:
        return in_paragraph[0]
    alternating = _alternating_speaker(quote, story)
    if alternating and _pronoun_fits(quote, alternating, story, gender, exact=False):
        return alternating
    addressed = [n for q in story.by_paragraph.get((quote.chapter, quote.paragraph - 1), []) for n in q.addressees
                 if n != q.speaker and _pronoun_fits(quote, n, story, gender, exact=False)]
    if len(set(addressed)) == 1:
        return addressed[0]
    paragraphs = story.book.chapters[quote.chapter].paragraphs
    near = story.mentions_between(quote.chapter, paragraphs[max(0, quote.paragraph - SUBJECT_REACH)].start,
                                  quote.segment.start)
    subjects = [m.name for m in reversed(near) if m.name and is_subject(story.text(quote), m)]
    candidates = [*subjects, *_earlier_speakers(quote, story), *story.recent_characters(quote, quote.segment.start)]
    recent = [n for n in candidates if _pronoun_fits(quote, n, story, gender, exact=False)]
    exact = [n for n in recent if story.names.gender(n) != "unknown"]
    return (exact or recent or [None])[0]


def _later_beats(quote: Quote, story: Story) -> list[str]:
    """Characters named as the subject of a sentence after a later quote of
    the paragraph (`"…," he replied, "…?" Strether wound up.`)."""
    later = story.by_paragraph[(quote.chapter, quote.paragraph)][quote.order + 1:]
    subjects = [_beat_after(other, story) for other in later]
    return [subject.name for subject in subjects if subject and subject.name]


def _earlier_speakers(quote: Quote, story: Story) -> list[str]:
    """Who spoke in the conversation before the quote, latest first, but for
    the speaker of the paragraph just before it (who is answered, not continued)."""
    last = story.paragraph_speaker(quote.chapter, quote.paragraph - 1)
    return [q.speaker for q in reversed(story.previous_quotes(quote))
            if q.speaker and q.speaker not in (last, UNKNOWN_SPEAKER)]


def _chain_subject(pronoun: str, quote: Quote, story: Story, gender: str) -> Optional[str]:
    """The character a pronoun continues to stand for: going back sentence by
    sentence while each opens with the same pronoun (`Marilla’s lips twitched.
    She had expected Mrs. Rachel; she had known …  "…," she said`), the
    character named at the opening of the sentence that starts the chain, or
    the speaker of the quote whose `he said` the chain reaches.  A sentence
    about nobody who might be meant (`His gloved hands were clasped.`) is
    passed over; one that names somebody else of that gender ends the search."""
    for opening, end, after_quote in _sentences_back(quote, story):
        subject, _ = _subject_at(story, quote, opening)
        if subject is None:
            if _main_clause_pronoun(story.text(quote), opening, end) == pronoun:
                continue
            if any(m.name and _pronoun_fits(quote, m.name, story, gender, exact=True)
                   for m in story.mentions_between(quote.chapter, opening, end)):
                return None
            continue
        if subject.pronoun == pronoun:
            if after_quote is not None and after_quote.speaker:
                speaker = after_quote.speaker
                return speaker if _pronoun_fits(quote, speaker, story, gender, exact=True) else None
            continue
        if subject.name and _pronoun_fits(quote, subject.name, story, gender, exact=True):
            return subject.name
        return None
    return None


def _main_clause_pronoun(text: str, start: int, end: int) -> Optional[str]:
    """The pronoun opening the main clause after a sentence's leading clause
    (`As soon as the bacon was under way, she carried …`), if any."""
    match = _CLAUSE_PRONOUN.search(text, start, end)
    return match.group(1).lower() if match else None


def _sentences_back(quote: Quote, story: Story) -> Iterator[tuple[int, int, Optional[Quote]]]:
    """The sentences of narration, from the quote backwards over its paragraph
    and the ones before it (within `CHAIN_REACH`): where each opens (after a
    leading conjunction) and ends, and the quote it follows when it opens right after one."""
    chapter = story.book.chapters[quote.chapter]
    text = chapter.source_text
    for p in range(quote.paragraph, max(-1, quote.paragraph - CHAIN_REACH - 1), -1):
        segments = [s for s in chapter.paragraphs[p].segments if s.end <= quote.segment.start]
        for i in range(len(segments) - 1, -1, -1):
            segment = segments[i]
            if segment.is_dialogue:
                continue
            starts = [segment.start] + [m.end() for m in _SENTENCE_END.finditer(text, segment.start, segment.end)
                                        if m.end() < segment.end]
            ends = starts[1:] + [segment.end]
            follows = i > 0 and segments[i - 1].is_dialogue
            for k in range(len(starts) - 1, -1, -1):
                opening = _OPENING.match(text, starts[k], segment.end).end()
                previous = story.quote_at(segments[i - 1]) if follows and k == 0 else None
                yield opening, ends[k], previous


def _pronoun_fits(quote: Quote, name: str, story: Story, gender: str, exact: bool) -> bool:
    """True when `he`/`she` may stand for the character (of that very gender, if `exact`)."""
    if name == story.narrator or is_group(name) or name in quote.named or not fits(quote, name, story):
        return False
    return story.names.gender(name) == gender or (not exact and story.names.gender(name) == "unknown")


def _alternating_speaker(quote: Quote, story: Story) -> Optional[str]:
    """In a run of quoted paragraphs, the speaker two paragraphs back when the
    one in between was somebody else."""
    previous = story.paragraph_speaker(quote.chapter, quote.paragraph - 1)
    before = story.paragraph_speaker(quote.chapter, quote.paragraph - 2)
    return before if previous and before and previous != before else None


def fits(quote: Quote, name: str, story: Story) -> bool:
    """True unless the context rules the character out as the quote's speaker:
    an addressee, or, when the tag says `he` or `she`, the narrator or the other gender."""
    if name in quote.excluded:
        return False
    if quote.gender is None:
        return True
    return name != story.narrator and story.names.gender(name) in (quote.gender, "unknown")


# --------------------------------------------------------------------------- rules


def explicit_name_tag(quote: Quote, story: Story) -> Optional[Decision]:
    """A name (or `I`) with a speech verb next to the quote, before or after it."""
    subject = tag_subject(quote, story)
    if subject is None:
        return None
    if subject.name:
        return Decision(subject.name, 0.95, evident=True)
    if subject.pronoun in FIRST_PERSON:
        return Decision(story.narrator, 0.9, evident=True)
    return None


def pronoun_tag(quote: Quote, story: Story) -> Optional[Decision]:
    """`"…," he said`: the most recent character of that gender, not the
    addressee, nor, for a reply (`he replied`), whom it answers."""
    subject = tag_subject(quote, story)
    if subject is None or not subject.pronoun:
        return None
    if _replies(quote, story):
        answered = story.by_paragraph[(quote.chapter, quote.paragraph - 1)]
        if any(q.speaker is None for q in answered):
            return None  # tried again once the line it answers has its speaker
        quote.excluded |= {q.speaker for q in answered}
    speaker = resolve_pronoun(subject.pronoun, quote, story)
    return Decision(speaker, 0.8) if speaker else None


def _replies(quote: Quote, story: Story) -> bool:
    """True for a quote opening its paragraph, after a paragraph with quotes,
    whose tag says it answers them (`"…," he replied`): not their speaker's words."""
    opens = quote.order == 0 and not story.before(quote).strip()
    return (opens and story.has_quotes(quote.chapter, quote.paragraph - 1)
            and bool(_REPLY_TAG.match(story.text(quote), quote.after[0], quote.after[1])))


def kin_tag(quote: Quote, story: Story) -> Optional[Decision]:
    """`"…," said her mother`: the character the text has shown the noun to
    stand for (see `learn_kin`), else someone it knows, of the noun's gender,
    who is neither the last speaker nor whom the line addresses: a character
    named nearby, else the one the narration names most (kin are known by
    name, not by a description such as `an old lady with a basket`)."""
    subject = tag_subject(quote, story)
    if subject is None or subject.unnamed or subject.name or subject.pronoun or not subject.gender:
        return None
    learned = story.kin.get(subject.noun or "")
    if learned and fits(quote, learned, story):
        return Decision(learned, 0.7)
    last = story.paragraph_speaker(quote.chapter, quote.paragraph - 1)
    named = [name for name in _by_prominence(story, quote.chapter) if name[:1].isupper()]
    known = [*story.recent_characters(quote, quote.segment.start), *named]
    candidates = [name for name in known
                  if name != last and _pronoun_fits(quote, name, story, subject.gender, exact=True)]
    if subject.noun in ELDER_NOUNS:
        candidates.sort(key=lambda name: title_of(name) is None)
    return Decision(candidates[0], 0.6) if candidates else None


def _by_prominence(story: Story, chapter: int) -> list[str]:
    """The characters the narration names, most often named in the chapter (then the book) first."""
    in_chapter, in_book = story.prominence(chapter), story.prominence()
    return sorted(in_book, key=lambda n: (in_chapter[n], in_book[n]), reverse=True)


def named_later(quote: Quote, story: Story) -> Optional[Decision]:
    """`asked a gentleman` … `said Mr. Greyson to himself`: an unnamed speaker
    is the first character the text names after them who was not in the scene before."""
    if not quote.description:
        return None
    chapter = story.book.chapters[quote.chapter]
    paragraphs = chapter.paragraphs
    scene_start = paragraphs[max(0, quote.paragraph - INTRODUCTION_REACH)].start
    before = {m.name for m in story.mentions_between(quote.chapter, scene_start, quote.segment.start)}
    before.update(q.speaker for q in story.previous_quotes(quote))
    last = paragraphs[min(len(paragraphs) - 1, quote.paragraph + INTRODUCTION_REACH)].end
    for mention in story.mentions_between(quote.chapter, quote.segment.end, last):
        if mention.name and mention.name not in before and fits(quote, mention.name, story):
            return Decision(mention.name, 0.5)
    return None


def action_beat(quote: Quote, story: Story) -> Optional[Decision]:
    """`Jo paused. "…"` or `"…" She did not finish.`: whoever the sentence
    right next to the quote is about, the one leading into it first (the one
    after it is often a listener's answer: `"…" Mr. Beebe bowed.`)."""
    for subject in (_beat_before(quote, story), _beat_after(quote, story)):
        if subject is None:
            continue
        speaker = subject.name or resolve_pronoun(subject.pronoun or "", quote, story)
        if speaker:
            return Decision(speaker, 0.7)
        _note_gender(quote, subject)
    return None


def _note_gender(quote: Quote, subject: Subject) -> None:
    """Keep the gender an unresolved `he` or `she` next to an untagged quote
    gives its speaker, for the rules that guess last."""
    if not quote.tagged and quote.gender is None:
        quote.beat_gender = subject.gender


def _beat_after(quote: Quote, story: Story) -> Optional[Subject]:
    """The subject opening the sentence that follows the quote in its paragraph."""
    text = story.text(quote)
    pos = _SKIP.match(text, quote.after[0], quote.after[1]).end()
    if pos >= quote.after[1] or not text[pos].isupper():
        return None
    subject, end = _subject_at(story, quote, pos)
    return subject if subject is not None and _WORD_AFTER.match(text, end) else None


def _beat_before(quote: Quote, story: Story) -> Optional[Subject]:
    """The subject opening the sentence that leads into the quote in its
    paragraph, after a linking word if any (`Then Tom paused.`)."""
    text = story.text(quote)
    start, end = quote.before
    if not text[start:end].strip():
        return None
    pos = _OPENING.match(text, _last_sentence_start(text, start, end), end).end()
    subject, after = _subject_at(story, quote, pos)
    return subject if subject is not None and _WORD_AFTER.match(text, after) else None


def lead_in(quote: Quote, story: Story) -> Optional[Decision]:
    """A paragraph that opens with speech, after one ending in narration (all
    narration, or sentences after its last quote's tag): the speaker is whom
    that narration's last sentence is about (`Mrs. Bennet deigned not to make
    any reply, but ... began scolding one of her daughters.`)."""
    if quote.order or story.text(quote)[quote.before[0]:quote.before[1]].strip() or not quote.paragraph:
        return None
    previous = story.book.chapters[quote.chapter].paragraphs[quote.paragraph - 1]
    narration_start = _closing_narration(story, quote.chapter, quote.paragraph - 1)
    text = story.text(quote)
    quoted = story.has_quotes(quote.chapter, quote.paragraph - 1)
    if quoted and _last_sentence_start(text, narration_start, previous.end) == narration_start:
        return None  # only the tag of that paragraph's quote
    pos = _SKIP.match(text, _last_sentence_start(text, narration_start, previous.end), previous.end).end()
    subject, end = _subject_at(story, quote, pos)
    if subject is not None:
        subject = _heard(story, quote, end, subject.name) or subject
    if subject is None or not _WORD_AFTER.match(text, end):
        subject = _last_subject(story, quote, pos, previous.end)
    if subject is None or not (subject.name or subject.pronoun) or subject.pronoun in FIRST_PERSON:
        return None  # what `I` did in a paragraph of its own is seldom followed by `I`'s untagged words
    speaker = subject.name or resolve_pronoun(subject.pronoun or "", quote, story)
    if speaker is None:
        _note_gender(quote, subject)
    return Decision(speaker, 0.6) if speaker else None


def vocative_reply(quote: Quote, story: Story) -> Optional[Decision]:
    """The reply to a quote that names its addressee is the addressee's."""
    return _addressed_by(quote, story, (-1,))


def vocative_answered(quote: Quote, story: Story) -> Optional[Decision]:
    """A quote answered by a line naming someone was said by that someone,
    named or not (`"Dr. Karev?" a voice sounded` / `"Oh, hello, Mrs. Daniels," Alex said`)."""
    return _addressed_by(quote, story, (1,))


def _addressed_by(quote: Quote, story: Story, steps: tuple[int, ...]) -> Optional[Decision]:
    """The one character the neighbouring paragraph's quotes address, other than their speaker."""
    for step in steps:
        neighbours = story.by_paragraph.get((quote.chapter, quote.paragraph + step), [])
        if not neighbours:
            continue
        addressed = set().union(*(q.addressees for q in neighbours))
        candidates = {n for n in addressed - {q.speaker for q in neighbours} if fits(quote, n, story)}
        if len(candidates) == 1:
            return Decision(candidates.pop(), 0.7)
    return None


def named_in_narration(quote: Quote, story: Story) -> Optional[Decision]:
    """The only character named in the paragraph's narration."""
    if quote.unnamed:
        return None
    names = {m.name for m in story.paragraph_mentions(quote) if m.name and fits(quote, m.name, story)}
    return Decision(names.pop(), 0.65) if len(names) == 1 else None


def turn_taking(quote: Quote, story: Story) -> Optional[Decision]:
    """A-B-A-B: in a run of quoted paragraphs, speakers alternate."""
    for step in (-1, 1):
        first = story.paragraph_speaker(quote.chapter, quote.paragraph + step)
        second = story.paragraph_speaker(quote.chapter, quote.paragraph + 2 * step)
        if first and second and first != second and fits(quote, second, story):
            return Decision(second, 0.6)
    return None


def conversation_partner(quote: Quote, story: Story) -> Optional[Decision]:
    """A reply to a known speaker comes from the other one in the conversation."""
    for step in (-1, 1):
        first = story.paragraph_speaker(quote.chapter, quote.paragraph + step)
        partner = first and _partner(quote, story, first)
        if partner:
            return Decision(partner, 0.45)
    return None


def narrator_partner(quote: Quote, story: Story) -> Optional[Decision]:
    """In a book told in the first person, a reply to a known speaker who has
    nobody else to talk to in the conversation is the narrator's."""
    if not story.first_person:
        return None
    for step in (-1, 1):
        first = story.paragraph_speaker(quote.chapter, quote.paragraph + step)
        alone = first and first != story.narrator and not _partner(quote, story, first)
        if alone and fits(quote, story.narrator, story):
            return Decision(story.narrator, 0.4)
    return None


def recent_character(quote: Quote, story: Story) -> Optional[Decision]:
    """Last resort: the most recent character who is not the last speaker,
    of the gender an unresolved he or she next to the quote gives, if any."""
    last = story.paragraph_speaker(quote.chapter, quote.paragraph - 1)
    for name in story.recent_characters(quote, quote.segment.start):
        if name != last and fits(quote, name, story) and _beat_fits(quote, name, story):
            return Decision(name, 0.3)
    return None


def prominent_character(quote: Quote, story: Story) -> Optional[Decision]:
    """Last resort: the character the chapter (then the book) names most often,
    of the right gender and not the last speaker."""
    last = story.paragraph_speaker(quote.chapter, quote.paragraph - 1)
    for name in _by_prominence(story, quote.chapter):
        if name != last and not is_group(name) and fits(quote, name, story) and _beat_fits(quote, name, story):
            return Decision(name, 0.2)
    return None


def _beat_fits(quote: Quote, name: str, story: Story) -> bool:
    """True unless an unresolved `he` or `she` next to the quote gives its speaker another gender."""
    return quote.beat_gender is None or story.names.gender(name) in (quote.beat_gender, "unknown")


def _partner(quote: Quote, story: Story, speaker: str) -> Optional[str]:
    """The other speaker of the ongoing conversation."""
    for other in reversed(story.previous_quotes(quote)):
        if other.speaker not in (None, speaker, UNKNOWN_SPEAKER) and fits(quote, other.speaker, story):
            return other.speaker
    return None


RULES: list[Rule] = [
    explicit_name_tag,
    pronoun_tag,
    kin_tag,
    action_beat,
    vocative_reply,
    vocative_answered,
    named_in_narration,
    turn_taking,
    named_later,
    lead_in,
    conversation_partner,
    narrator_partner,
    recent_character,
    prominent_character,
]

#: Rules that guess from afar: they decide one quote at a time, each guess followed by the `CHAINS`.
GUESSES = frozenset({conversation_partner, narrator_partner, recent_character, prominent_character})
#: Rules that read the context the others decide, tried again after each rule.
RETRIED = (pronoun_tag,)
#: Rules that carry a speaker along a conversation from its neighbours.
CHAINS = (turn_taking,)

# --------------------------------------------------------------------------- propagation


def links(story: Story) -> Iterator[tuple[Quote, Quote, str]]:
    """(source, target, rule) pairs along which a speaker carries over: the
    quotes of one paragraph, and a quote running on into the next paragraph."""
    for quote in story.quotes:
        if quote.continued:
            previous = story.by_paragraph.get((quote.chapter, quote.paragraph - 1))
            if previous:
                yield previous[-1], quote, "continuation"
                yield quote, previous[-1], "continuation"
        if quote.order and not _introduced_by_name(quote, story):
            earlier = story.by_paragraph[(quote.chapter, quote.paragraph)][quote.order - 1]
            yield earlier, quote, "same_paragraph"
            yield quote, earlier, "same_paragraph"
    for earlier, later in _described_alike(story):
        yield earlier, later, DESCRIBED_AGAIN
        yield later, earlier, DESCRIBED_AGAIN


def _introduced_by_name(quote: Quote, story: Story) -> bool:
    """True when a sentence about a named character comes between the quote and
    the one before it (`… cried the ladies. Mrs. Griffin, however, wanted more. "…"`):
    the quote may be somebody else's."""
    start, end = quote.before
    if _last_sentence_start(story.text(quote), start, end) == start:  # the earlier quote's own tag
        return False
    subject = _beat_before(quote, story)
    return bool(subject and subject.name)


def _described_alike(story: Story) -> Iterator[tuple[Quote, Quote]]:
    """Consecutive quotes of a chapter whose unnamed speaker is described by the
    same noun within a few paragraphs (`the gentleman` … `the gentleman`)."""
    last: dict[tuple[int, str], Quote] = {}
    for quote in story.quotes:
        if quote.description:
            key = (quote.chapter, quote.description)
            earlier = last.get(key)
            if earlier is not None and quote.paragraph - earlier.paragraph <= DESCRIPTION_REACH:
                yield earlier, quote
            last[key] = quote


Links = dict[int, list[tuple[Quote, str]]]


def link_graph(story: Story) -> Links:
    """For each quote (by id), the quotes its speaker carries over to, and how."""
    graph: Links = {}
    for source, target, rule in links(story):
        graph.setdefault(id(source), []).append((target, rule))
    return graph


def spread(quote: Quote, story: Story, graph: Links) -> None:
    """Carry a just-decided speaker to the undecided quotes linked to it, and on
    from them, wherever the context allows that speaker and the quote has no
    tag of its own to go by."""
    pending = [quote]
    while pending:
        source = pending.pop()
        for target, rule in graph.get(id(source), []):
            if (not target.speaker and not target.tagged and (rule == DESCRIBED_AGAIN or not target.unnamed)
                    and fits(target, source.speaker, story)):
                target.decide(source.speaker, rule, source.segment.confidence * 0.95)
                pending.append(target)


def _told(quote: Quote, story: Story) -> set[str]:
    """Characters the tag after the quote says it is spoken to (`she whispered to the nurse`)."""
    text = story.text(quote)
    start, end = quote.after
    sentence_end = _CLAUSE_END.search(text, start, end)
    stop = sentence_end.start() if sentence_end else end
    return {m.name for m in story.mentions_between(quote.chapter, start, stop)
            if m.name and _TO_WHOM.search(text, max(start, m.start - 4), m.start)}


def _listeners(quote: Quote, story: Story) -> set[str]:
    """Characters the quote's paragraph says hear it (`were the next words
    Margaret heard.`, `Margaret heard her aunt's voice`)."""
    text = story.text(quote)
    return {m.name for m in story.paragraph_mentions(quote) if m.name and _HEARS.match(text, m.end)}


def constrain(quote: Quote, story: Story) -> None:
    """Record what the quote's own text rules out: its addressees, the gender
    its tag pronoun implies, and, for an unnamed speaker, the characters the
    paragraph names instead."""
    subject = tag_subject(quote, story)
    quote.unnamed = bool(subject and subject.unnamed)
    quote.tagged = bool(subject and (subject.name or subject.pronoun))
    quote.gender = subject.gender if subject else None
    quote.description = subject.description if subject else None
    excluded = set(quote.addressees) | _told(quote, story)
    if subject:
        excluded.update(name for name in (subject.listener, subject.owner) if name)
    excluded.update(_listeners(quote, story))
    if quote.unnamed:
        excluded.update(m.name for m in story.paragraph_mentions(quote) if m.name)
    quote.excluded = frozenset(excluded)


def _constrained(quote: Quote, story: Story) -> None:
    """`constrain` in the shape of a rule, so that a failure there costs one quote its constraints only."""
    constrain(quote, story)


def _learned_kin(quote: Quote, story: Story) -> None:
    """`learn_kin` in the shape of a rule, so that a failure there costs only what it would learn."""
    learn_kin(story)


def share_constraints(story: Story) -> None:
    """A sentence interrupted by its tag (`"My dear Mr. Bennet," said his
    lady, "have you heard …"`) is one utterance: whom either half addresses
    and the gender the tag gives hold for both."""
    for quotes in story.by_paragraph.values():
        for first, second in zip(quotes, quotes[1:]):
            if _interrupted(first, second):
                excluded = first.excluded | second.excluded
                first.excluded = second.excluded = excluded
                first.gender = second.gender = first.gender or second.gender


def _interrupted(first: Quote, second: Quote) -> bool:
    """True when `second` goes on with the sentence `first` broke off."""
    return not first.segment.text.rstrip("\"”’' ").endswith((".", "!", "?")) and second.segment.text[:1].islower()


def _apply(rule: Rule, story: Story, graph: Links, once: bool = False) -> bool:
    """One pass of a rule over the undecided quotes, each decision carried at
    once to the quotes linked to it (`once`: stop after the first decision);
    True if it decided any."""
    decided = False
    for quote in story.quotes:
        if quote.speaker is None:
            decision = _ask(rule, quote, story)
            if decision is not None and (decision.evident or fits(quote, decision.speaker, story)):
                quote.decide(decision.speaker, rule.__name__, decision.confidence)
                spread(quote, story, graph)
                decided = True
                if once:
                    break
    return decided


def _ask(rule: Rule, quote: Quote, story: Story) -> Optional[Decision]:
    """The rule's decision on the quote.  A rule that fails on text it was not
    written for decides nothing there, so the book is still attributed
    (`story.strict`, for tests, lets the failure through)."""
    try:
        return rule(quote, story)
    except Exception:
        if story.strict:
            raise
        story.failures += 1
        return None


def _run(rule: Rule, story: Story, graph: Links) -> None:
    """Apply a rule until it decides no more.  A guess decides one quote at a
    time, and the chaining rules carry each guess along its conversation
    before the next guess, which may then find its quote already decided."""
    guess = rule in GUESSES
    while _apply(rule, story, graph, once=guess):
        for follow in CHAINS if guess else ():
            _run(follow, story, graph)


def run_rules(story: Story, rules: list[Rule] = RULES) -> None:
    """Apply each rule in turn to the undecided quotes, again while it decides
    more (its answers may feed it: A-B-A-B chains), each followed by the
    `RETRIED` rules; what is left is unknown."""
    for quote in story.quotes:
        _ask(_constrained, quote, story)
    share_constraints(story)
    if story.quotes:
        _ask(_learned_kin, story.quotes[0], story)
    graph = link_graph(story)
    for rule in rules:
        _run(rule, story, graph)
        for again in RETRIED:
            _run(again, story, graph)
    for quote in story.quotes:
        if quote.speaker is None:
            quote.decide(UNKNOWN_SPEAKER, "none", 0.0)
