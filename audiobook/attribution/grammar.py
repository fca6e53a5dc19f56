"""The tag grammar: which words next to a quote point at its speaker.

A speech tag is a verb of speaking with its subject, before the quote
(`Alex said, "…"`), after it (`"…," said Alex`, `"…," he said`) or in a
short sentence of its own (`Then Mrs. Griffin spoke.`).  Its subject is a
`subjects.Subject`: a character's name, a pronoun still to resolve, a noun
phrase (`his wife`, `the old man`), or somebody unnamed (`a voice`).  Whom a
quote is said to (`to Jo`) and who hears it (`Mary heard her say`) are read
here too.  Nothing here decides a speaker: the sieves of `mentions` and
`speakers` do.
"""
from __future__ import annotations

import re
from typing import Iterator, Optional

from audiobook.attribution.context import Quote, Story
from audiobook.attribution.subjects import (CLAUSE_END, DETERMINER, NOMINAL_OBJECT, PRONOUN_GENDER, SKIP,
                                            SUBORDINATE, WORD, Subject, closing_narration, last_sentence_start,
                                            last_subject, nominal_subject, owned, subject_at)


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
chatter chatters chattered simper simpers simpered chirp chirps chirped pipe pipes piped purr purrs purred
rasp rasps rasped trill trills trilled wheeze wheezes wheezed coo coos cooed coax coaxes coaxed mock mocks mocked
jest jests jested blubber blubbers blubbered drone drones droned intone intones intoned recite recites recited
exhort exhorts exhorted caution cautions cautioned inform informs informed acknowledge acknowledges acknowledged
reflect reflects reflected sneer snicker snickers snickered titter titters tittered howl howls howled
rumble rumbles rumbled boom booms boomed squawk squawks squawked blurted stormed storm storms fume fumes fumed
rage rages raged plead pleaded explode explodes exploded burst bursts cut cuts
reiterate reiterates reiterated acquiesce acquiesces acquiesced assure assures assured mourn mourns mourned
comment comments commented quoth argue argues argued proclaim proclaims proclaimed state states
stated maintain maintains maintained twitter twitters twittered
""".split())
OBJECT_PRONOUNS = {"him": "he", "her": "she"}
FIRST_PERSON = frozenset({"i", "we"})
#: The most words of a sentence that announces the quote after it (`Then Mrs. Griffin spoke.`).
ANNOUNCEMENT_WORDS = 6
ANNOUNCING_VERBS = frozenset("spoke speaks said says began begins answered answers replied replies".split())
#: A longer sentence whose main verb announces speech, at its end (`… and after a long silence Maud spoke
#: to him.`, `Maud rose and answered her at last.`): the verb, with whom it is said to and an adverb after it.
_ANNOUNCING_END = re.compile(r"\b(?:%s)(?:\s+(?:to\s+)?(?:him|her|them|me|us|(?:the\s+)?[A-Z][\w.'’-]*"
                             r"(?:\s+[A-Z][\w'’-]*)*))?(?:\s+(?:again|aloud|first|next|at\s+last|at\s+length|"
                             r"[a-z]+ly))?\s*\.$" % "|".join(sorted(ANNOUNCING_VERBS)))
#: What comes right before such a verb when it is the sentence's main verb: its subject (a name or `he`),
#: `and` joining it to the subject's other verbs, or an adverb (`Maud at last spoke`), not an auxiliary.
_ANNOUNCER_BEFORE = re.compile(r"(?:\b(?:he|she|and|then|now|presently|finally|suddenly|at\s+last|\w+ly)|"
                               r"\b[A-Z][\w'’-]*)\s+$")

_ADVERB = r"(?:(?:\w+ly|then|now|again|at\s+last|at\s+once|once\s+more|presently|still)\s+)?"
_AUX = r"(?:(?:had|has|was|would|could|did|will)\s+)?"
_TO_WHOM = re.compile(r"\bto\s+$")
_AFTER_SUBJECT = re.compile(r"\s+" + _ADVERB + _AUX + _ADVERB + r"(\w+)")
_AFTER_VERB = re.compile(r"(?:\s+(?:out|in|up|back|on|forth|aloud|from))?\s+" + _ADVERB)
_LEADING_VERB = re.compile(_ADVERB + r"(\w+)")
#: A noun phrase followed by its verb: `the old man said`, `his wife cried`.
_NOMINAL_SUBJECT = re.compile(DETERMINER + r"(?:[\w-]+\s+){0,2}?(?P<head>[\w-]+)\s+" + _ADVERB + r"(?P<verb>\w+)", re.I)
#: Somebody the tag does not name and no noun describes: `said one`, `someone cried`, `another asked`.
_INDEFINITE = re.compile(r"(?:one|another|someone|somebody|one\s+of\s+(?:them|the\s+\w+))\b(?![-'’])", re.I)
_POSSESSIVE_VOICE = re.compile(r"['’]s\s+(?:[\w-]+\s+){0,2}?voice\b", re.I)
CLAUSE_PRONOUN = re.compile(r",\s+(he|she)\b(?!['’])", re.I)
#: A verb of hearing.
_HEARING = r"(?:heard|hears|hear|overheard)"
_HEARD = re.compile(r"\s+(?:\w+ly\s+)?(?:(?:could|can|would|might|did|do|does)\s+)?%s\s+" % _HEARING, re.I)
#: A name and `heard` ending a clause or before a voice: someone who hears, not says, the words
#: (`were the next words Margaret heard.`, `Margaret heard her aunt's voice again`).
_HEARS = re.compile(r"\s+(?:\w+ly\s+)?(?:heard|overheard)(?:\s*[.,;:!?]|\s+(?:[\w'’]+\s+){1,3}?voices?\b)", re.I)
_OBJECT_PRONOUN = re.compile(r"(him|her)\b(?=\s+[a-z])", re.I)
_VOICE = re.compile(r"(?:a|one|another|some)\s+(?:[a-z]+\s+)?voice\b", re.I)
#: Words before a verb of speaking that make it a noun (`some former remark of his`).
_NOUN_BEFORE = re.compile(r"\b(?:a|an|the|his|her|their|my|our|your|some|this|that|former|last|first)\s+$", re.I)
#: A tag whose verb says the quote answers the one before (`he replied`, `returned she`).
_REPLY_TAG = re.compile(r"[\s,;:—–\-]*(?:[\w.]+\s+){0,3}?(?:replied|replies|answered|answers|returned|returns|"
                        r"rejoined|rejoins|retorted|retorts|responded|responds)\b", re.I)
_LAST_WORD = re.compile(r"(\w+)$")
#: What follows a verb reporting words other than the quote's: `answered that …`, `told him that …`.
_REPORTED = re.compile(r"(?:\s+(?:him|her|them|me|us))?\s+that\b", re.I)
#: What opens a tag naming the words rather than the saying (`was`, `came the answer from`, `was all`).
_COPULA = re.compile(r"(?:was|were|came|come|comes)\s+(?:(?:all|the|only|just|that)\s+)*", re.I)
_FROM = re.compile(r"(?:(?:[a-z]+\s+){0,2}(?:reply|answer|response|voice|words?|cry|retort)\s+)?from\s+", re.I)
#: A noun for words said, after a possessive name (`Maud's only reply`).
_REPLY_NOUN = re.compile(r"['’]s\s+(?:[\w-]+\s+){0,3}?(?:reply|replies|answer|response|rejoinder|retort|comment|"
                         r"remark|words|greeting|question|exclamation|cry|protest|verdict|contribution|answer)\b", re.I)
#: What may come between a tag's verb and the comma before a clause set in after it: its subject, when the
#: tag is inverted, and adverbs (`said he, as I …`, `he added very gently, as Marguerite …`).
_COMMA = re.compile(r"(?:\s+(?:he|she|I|we|they|very|so|quite|again|then|\w+ly))*\s*,\s*")


def _verb_follows(text: str, pos: int, any_verb: bool) -> bool:
    """True when a speech verb (or, for `any_verb`, any past-tense verb) follows `pos`,
    unless it reports words of its own (`I answered that it was May`: not the quote's words)."""
    match = _AFTER_SUBJECT.match(text, pos)
    if not match:
        return False
    return _is_tag_verb(match.group(1), any_verb) and not _REPORTED.match(text, match.end())


def tag_after(quote: Quote, story: Story) -> Optional[Subject]:
    """The subject of a tag right after the quote: `"…," Alex said`,
    `"…," said Alex`, `"…," he began`, `"…" Jo's voice sounded`."""
    text = story.text(quote)
    pos = SKIP.match(text, quote.after[0], quote.after[1]).end()
    if pos >= quote.after[1]:
        return None
    inner = quote.segment.text.rstrip("\"”’' ")
    comma = inner.endswith((",", "–", "—", "-")) or text[pos].islower()
    subject, end = subject_at(story, quote, pos)
    if subject is not None:
        if subject.name and _POSSESSIVE_VOICE.match(text, end):
            return subject
        return subject if _verb_follows(text, end, any_verb=comma) else heard(story, quote, end, subject.name)
    copular = _copular(story, quote, pos)
    if copular is not None:
        return copular
    verb = _LEADING_VERB.match(text, pos)
    if verb and verb.group(1).lower() in SPEECH_VERBS:
        after_verb = _AFTER_VERB.match(text, verb.end())
        subject_start = after_verb.end() if after_verb else verb.end()
        subject, end = subject_at(story, quote, subject_start)
        if subject is None:  # `stammered unhappy Matthew`, `said poor old Tom`: words describing the name
            described = _DESCRIBING.match(text, subject_start)
            if described and not set(described.group().lower().split()) & _NOT_DESCRIBING:
                subject, end = subject_at(story, quote, described.end())
        return (owned(text, subject, end) or nominal_subject(story, NOMINAL_OBJECT.match(text, subject_start), quote)
                or _indefinite(text, subject_start))
    nominal = _NOMINAL_SUBJECT.match(text, pos)
    if nominal and _is_tag_verb(nominal.group("verb"), comma):
        return nominal_subject(story, nominal, quote)
    indefinite = _INDEFINITE.match(text, pos)
    if indefinite and _verb_follows(text, indefinite.end(), any_verb=comma):
        return Subject(unnamed=True)
    return None


#: One or two words in lower case right before a name, after an inverted speech verb: `poor`, `unhappy`, `little`.
_DESCRIBING = re.compile(r"(?:[a-z][a-z'’-]*\s+){1,2}(?=[A-Z])")
#: Words that never describe the name after them there: whom the line is said to (`said to Tom`), and the like.
_NOT_DESCRIBING = frozenset("""to at with for in on of from into unto upon about after before by and but or nor yet
so as than that then when while if him her them me us you his their my our your its this these those""".split())


def _indefinite(text: str, pos: int) -> Optional[Subject]:
    """Somebody unnamed after an inverted verb: `said one`, `asked another`."""
    return Subject(unnamed=True) if _INDEFINITE.match(text, pos) else None


def _copular(story: Story, quote: Quote, pos: int) -> Optional[Subject]:
    """The speaker of a tag that names the words rather than the act of
    saying them: `"…" was Maud's only reply`, `"…" was all Maud said`,
    `"…" came the answer from Maud`, `"…" came from Maud`."""
    text = story.text(quote)
    lead = _COPULA.match(text, pos)
    if lead is None:
        return None
    start = lead.end()
    speaker = _FROM.match(text, start)
    if speaker is not None:
        start = speaker.end()
    subject, end = subject_at(story, quote, start)
    if subject is None or not subject.name:
        return None
    if speaker is not None or _REPLY_NOUN.match(text, end) or _verb_follows(text, end, any_verb=False):
        return subject
    return None


def heard(story: Story, quote: Quote, pos: int, listener: Optional[str]) -> Optional[Subject]:
    """Whom the listener hears speak, after the listener at `pos`: `Mary heard
    her say`, `he heard Jo tell them`, `she heard a voice say`, `I could hear him murmuring`."""
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
        subject, end = _heard_pronoun(pronoun.group(1), listener), pronoun.end()
    elif voice:
        subject, end = Subject(unnamed=True, listener=listener), voice.end()
    else:
        return None
    verb = WORD.match(text, SKIP.match(text, end).end())
    return subject if verb and is_speech_verb(verb.group()) else None


def _heard_pronoun(pronoun: str, listener: Optional[str] = None) -> Subject:
    """The one heard as `him` or `her`: a `he` or `she` speaking."""
    word = OBJECT_PRONOUNS[pronoun.lower()]
    return Subject(pronoun=word, gender=PRONOUN_GENDER[word], listener=listener)


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
    clause_start = last_sentence_start(text, start, end)
    clause = text[clause_start:end].rstrip(" \n-—–")
    dashed = text[clause_start:end].rstrip().endswith(("—", "-", "–"))
    last_word = _LAST_WORD.search(clause)
    verb_ended = bool(last_word and is_speech_verb(last_word.group(1)))  # `…, saying "…"`, `and said "…"`
    if not clause or clause[-1] not in ",:" and not dashed and not verb_ended:
        return _announcement(story, quote, clause_start, clause)
    verbs = [m for m in WORD.finditer(text, clause_start, end)
             if is_speech_verb(m.group()) and not _NOUN_BEFORE.search(text, clause_start, m.start())]
    verbs = _before_aside(text, verbs, end)
    if not verbs:
        return None
    finite = [m for m in verbs if not m.group().lower().endswith("ing")]
    verb = (finite or verbs)[-1]
    voice = _voice_heard(story, quote, verb.end(), end)
    if voice is not None:
        return voice
    subject = _heard_before(story, quote, clause_start, verb.start()) or last_subject(story, quote, clause_start,
                                                                                       verb.start())
    if subject is not None:
        return subject
    after_verb = _AFTER_VERB.match(text, verb.end())
    subject, _ = subject_at(story, quote, after_verb.end() if after_verb else verb.end())
    return subject


#: A verb of hearing and the one heard, right before the verb of speaking: `I could hear him murmuring`.
_HEARD_BEFORE = re.compile(r"\b%s\s+(?:(him|her)|(?P<name>[A-Z][\w.'’ -]*?))\s+$" % _HEARING)


def _heard_before(story: Story, quote: Quote, start: int, end: int) -> Optional[Subject]:
    """Whom the tag's subject hears speak (`as I turned to go I could hear him
    murmuring, "…"`: he, not I)."""
    text = story.text(quote)
    match = _HEARD_BEFORE.search(text, start, end)
    if match is None:
        return None
    if match.group(1):
        return _heard_pronoun(match.group(1))
    mention = story.mention_at(quote.chapter, match.start("name"))
    return Subject(name=mention.name) if mention and mention.name and mention.end == match.end("name") else None


def _voice_heard(story: Story, quote: Quote, start: int, end: int) -> Optional[Subject]:
    """Whose voice the narration between `start` and `end` says is heard, when
    it does (`said Laurie, as Amy's voice was heard calling, "…"`: Amy)."""
    text = story.text(quote)
    for mention in story.mentions_between(quote.chapter, start, end):
        if mention.name and _POSSESSIVE_VOICE.match(text, mention.end):
            return Subject(name=mention.name)
    return None


def _before_aside(text: str, verbs: list[re.Match], end: int) -> list[re.Match]:
    """The speech verbs of a tag up to one followed by a comma and a clause
    set in that holds the others (`she said, when I had suggested it, "…"`:
    `said`, not `suggested`; `said he, as I put it away, "…"`), else all of them."""
    for k, verb in enumerate(verbs[:-1]):
        comma = _COMMA.match(text, verb.end())
        aside = comma and SUBORDINATE.match(text, comma.end(), end)
        if aside and verbs[-1].start() < aside.end():
            return verbs[:k + 1]
    return verbs


def _announcement(story: Story, quote: Quote, start: int, clause: str) -> Optional[Subject]:
    """The subject of a short sentence that only says someone speaks, just
    before the quote (`Then Mrs. Griffin spoke. "…"`), or a clause that ends
    a longer one (`…; whereupon Mrs. Griffin spoke. "…"`)."""
    cut = max(clause.rfind(";"), clause.rfind(":")) + 1
    start, clause = start + cut, clause[cut:]
    words = WORD.findall(clause)
    if not clause.endswith("."):
        return None
    if len(words) <= ANNOUNCEMENT_WORDS and _announces(words):
        return last_subject(story, quote, start, start + len(clause))
    verb = _ANNOUNCING_END.search(clause)
    if verb is None or not _ANNOUNCER_BEFORE.search(clause, 0, verb.start()):
        return None
    return last_subject(story, quote, start, start + verb.start())


def _announces(words: list[str]) -> bool:
    """True when the words end with a verb of speaking, maybe with an adverb after it (`began again`)."""
    last = [w.lower() for w in words[-2:]]
    if not last:
        return False  # a "sentence" of punctuation only (`. . . .`)
    if last[-1] in ANNOUNCING_VERBS:
        return True
    adverb = last[-1] in ("again", "aloud", "first", "next") or last[-1].endswith("ly")
    return len(last) == 2 and adverb and last[0] in ANNOUNCING_VERBS


def hands_over(narration: str) -> bool:
    """True for narration ending in a colon, a comma or a dash, which hands
    over to the quote after it (`But Sidney said:`, `and said emphatically--`)."""
    closing = narration.rstrip()
    return closing.rstrip(" -—–").endswith((":", ",")) or closing.endswith(("--", "—"))


def _introduction(quote: Quote, story: Story) -> tuple[int, int]:
    """The narration that may introduce the quote: the text before it in its
    paragraph, or the narration ending the paragraph just before (all of it,
    or what follows its last quote) when it ends in a colon, a comma or a
    dash (`But Sidney said:`, `"…," said Tom. Then he turned and said:`,
    `she pressed his shoulder and said emphatically--`) or in a
    sentence announcing speech (`Then Mrs. Griffin spoke.`)."""
    start, end = quote.before
    text = story.text(quote)
    if quote.order or text[start:end].strip():
        return start, end
    paragraphs = story.book.chapters[quote.chapter].paragraphs
    previous = paragraphs[quote.paragraph - 1] if quote.paragraph else None
    if previous is None:
        return start, end
    narration_start = closing_narration(story, quote.chapter, quote.paragraph - 1)
    if hands_over(text[narration_start:previous.end]):
        return narration_start, previous.end
    announcement_start = last_sentence_start(text, narration_start, previous.end)
    announced = not story.has_quotes(quote.chapter, quote.paragraph - 1) and _announcement(
        story, quote, announcement_start, text[announcement_start:previous.end].rstrip())
    if announced:
        return narration_start, previous.end  # `Then Mrs. Griffin spoke.` closing the paragraph before
    return start, end


def tag_subject(quote: Quote, story: Story) -> Optional[Subject]:
    """The subject of the quote's tag: after it (`"…," he said`), else before
    it (`He said, "…"`).  After a quote that ends its sentence, what follows
    may start something new, so an introduction before it comes first."""
    return story.once(("tag", id(quote)), _tag_subject, quote, story)


def _tag_subject(quote: Quote, story: Story) -> Optional[Subject]:
    """`tag_subject`, worked out (once per quote: the text never changes)."""
    words = quote.segment.text.rstrip("\"”’' ")
    if words.endswith("."):  # a sentence after a closed one that reports what is asked next is no tag of it
        reports = _REPORTS_NEXT.match(story.text(quote), quote.after[0], quote.after[1])
        return tag_before(quote, story) or (None if reports else tag_after(quote, story))
    after = tag_after(quote, story)
    if after is not None and words.endswith(("?", "!")) and _new_sentence_after(quote, story):
        before = tag_before(quote, story)  # `she said, "Did I?" I reminded her`: the line she was said to say
        if before is not None and _introduced(quote, story):
            return before
    return after or tag_before(quote, story)


#: A sentence reporting speech rather than tagging it: `I asked if he could tell me`, `she told him that …`.
_REPORTS_NEXT = re.compile(r"\s*(?:(?:[A-Z][\w.]*\s+){1,2}|(?:he|she)\s+)(?:\w+ly\s+)?"
                           r"(?:asked|inquired|enquired|told|wondered|begged)\s+(?:(?:him|her|them|me|us|you)\s+)?"
                           r"(?:if|whether|how|why|what|where|when|who|that)\b")


def _new_sentence_after(quote: Quote, story: Story) -> bool:
    """True when what follows the quote opens with a capital: a sentence of its own, maybe not its tag."""
    text = story.text(quote)
    pos = SKIP.match(text, quote.after[0], quote.after[1]).end()
    return pos < quote.after[1] and text[pos].isupper()


def _introduced(quote: Quote, story: Story) -> bool:
    """True when the narration right before the quote, in its paragraph, ends in a comma or a colon."""
    text = story.text(quote)
    return text[quote.before[0]:quote.before[1]].rstrip(" \n-—–").endswith((",", ":"))


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


def replies(quote: Quote, story: Story) -> bool:
    """True for a quote opening its paragraph, after a paragraph with quotes,
    whose tag says it answers them (`"…," he replied`): not their speaker's words."""
    opens = quote.order == 0 and not story.before(quote).strip()
    return (opens and story.has_quotes(quote.chapter, quote.paragraph - 1)
            and bool(_REPLY_TAG.match(story.text(quote), quote.after[0], quote.after[1])))


def told(quote: Quote, story: Story) -> set[str]:
    """Characters the tag after the quote says it is spoken to (`she whispered to the nurse`)."""
    text = story.text(quote)
    start, end = quote.after
    sentence_end = CLAUSE_END.search(text, start, end)
    stop = sentence_end.start() if sentence_end else end
    return {m.name for m in story.mentions_between(quote.chapter, start, stop)
            if m.name and _TO_WHOM.search(text, max(start, m.start - 4), m.start)}


def listeners(quote: Quote, story: Story) -> set[str]:
    """Characters the quote's paragraph says hear it (`were the next words
    Margaret heard.`, `Margaret heard her aunt's voice`)."""
    text = story.text(quote)
    return {m.name for m in story.paragraph_mentions(quote) if m.name and _HEARS.match(text, m.end)}
