"""English: the words and tables the normalisation rules need."""
from __future__ import annotations

from audiobook.text.normalise.language import Currency, Language

# (abbreviation without its full stop, what is said, when): "always", "before_number"
# (only before a digit: No. 10, p. 5), "before_name" (before a capitalised word:
# Ft. Worth), "after_name" (Jr.).  Matched case-sensitively as written, and
# also in capitals (MR. SMITH).
ABBREVIATIONS = (
    ("Mr", "Mister", "always"), ("Mrs", "Missus", "always"), ("Ms", "Miz", "always"),
    ("Messrs", "Messieurs", "always"), ("Dr", "Doctor", "always"), ("Prof", "Professor", "always"),
    ("Capt", "Captain", "always"), ("Col", "Colonel", "always"), ("Lt", "Lieutenant", "always"),
    ("Gen", "General", "before_name"), ("Sgt", "Sergeant", "always"), ("Cpl", "Corporal", "always"),
    ("Maj", "Major", "always"), ("Adm", "Admiral", "always"), ("Cmdr", "Commander", "always"),
    ("Rev", "Reverend", "before_name"), ("Revd", "Reverend", "always"), ("Hon", "Honourable", "always"),
    ("Gov", "Governor", "before_name"), ("Sen", "Senator", "before_name"), ("Pres", "President", "before_name"),
    ("Fr", "Father", "before_name"), ("Mt", "Mount", "always"), ("Ft", "Fort", "before_name"),
    ("St", "Saint", "always"), ("Sr", "Senior", "always"), ("Jr", "Junior", "always"), ("Esq", "Esquire", "always"),
    ("Ave", "Avenue", "always"), ("Rd", "Road", "always"), ("Blvd", "Boulevard", "always"),
    ("No", "number", "before_number"), ("Nos", "numbers", "before_number"),
    ("pp", "pages", "always"), ("p", "page", "before_number"),
    ("vol", "volume", "always"), ("Vol", "volume", "always"), ("vols", "volumes", "always"),
    ("ch", "chapter", "always"), ("Ch", "chapter", "before_number"), ("chap", "chapter", "always"),
    ("fig", "figure", "always"), ("Fig", "figure", "always"), ("para", "paragraph", "always"),
    ("approx", "approximately", "always"), ("dept", "department", "always"), ("Dept", "department", "always"),
    ("etc", "et cetera", "always"), ("e.g", "for example", "always"), ("i.e", "that is", "always"),
    ("vs", "versus", "always"), ("v", "versus", "between_names"), ("cf", "compare", "always"),
    ("viz", "namely", "always"), ("ca", "circa", "before_number"), ("c", "circa", "before_number"),
    ("et al", "and others", "always"), ("ibid", "ibidem", "always"), ("a.k.a", "also known as", "always"),
    ("Inc", "Incorporated", "always"), ("Ltd", "Limited", "always"), ("Corp", "Corporation", "always"),
    ("Co", "Company", "after_name"), ("Bros", "Brothers", "always"),
    ("Jan", "January", "before_number"), ("Feb", "February", "before_number"),
    ("Mar", "March", "before_number"), ("Apr", "April", "before_number"), ("Jun", "June", "before_number"),
    ("Jul", "July", "before_number"), ("Aug", "August", "before_number"), ("Sep", "September", "before_number"),
    ("Sept", "September", "before_number"), ("Oct", "October", "before_number"),
    ("Nov", "November", "before_number"), ("Dec", "December", "before_number"),
)
# Said the same without a full stop too, as British usage writes them (Mr Smith).
BARE_TITLES = {"Mr": "Mister", "Mrs": "Missus", "Ms": "Miz", "Dr": "Doctor", "Revd": "Reverend",
               "Capt": "Captain", "Sgt": "Sergeant", "Lt": "Lieutenant", "Col": "Colonel", "Prof": "Professor"}

# Words that head a numbered part: Chapter XIV, Book II, Act V are read as cardinals.
HEADING_WORDS = frozenset(
    "chapter book part act scene volume vol section canto psalm article appendix stave letter episode "
    "phase round stage level lecture lesson movement tome sura verse fit number no track series season "
    "war edition issue plate table figure fig".split()
)
# Titles before a name that make a following numeral regnal: Pope Pius XII.
REGNAL_TITLES = frozenset(
    "king queen pope emperor empress tsar czar tsarina kaiser prince princess duke duchess sultan pharaoh "
    "shah khan lord saint st count earl baron".split()
)
# Given names of monarchs and popes: Henry VIII is "Henry the Eighth".
REGNAL_NAMES = frozenset(
    "henry edward george william richard charles james john elizabeth mary anne victoria stephen harold "
    "louis philip philippe francis francois frederick friedrich ferdinand alfonso alphonso carlos juan "
    "peter paul pius leo gregory benedict innocent clement urban boniface alexander nicholas ivan "
    "catherine ludwig otto rudolf wilhelm gustav gustavus christian olaf haakon eric erik magnus sigismund "
    "casimir ladislaus wladyslaw vladislav stanislaw umberto victor emmanuel amadeus rama ramesses rameses "
    "ramses thutmose amenhotep ptolemy cleopatra antiochus seleucus darius xerxes artaxerxes cyrus "
    "constantine justinian theodosius basil leopold joseph maximilian matthias albert baldwin robert "
    "david malcolm duncan kenneth alexios manuel michael andronikos mehmed murad selim suleiman bayezid "
    "mahmud abdul pedro joao sancho fernando felipe isabella isabel margaret joanna juana christina "
    "sixtus julius adrian hadrian martin nicolas celestine honorius eugene eugenius callixtus "
    "sergius stephanus lothair charlemagne pepin childeric clovis dagobert sebastian afonso manuel "
    "rainier albert hugh humbert amadeo carol mihai ferdinand nicolae peter kamehameha napoleon augustus "
    "vittorio karl carl harald valdemar waldemar sigurd olav sverre vasili vasily boris fyodor dmitri mikhail "
    "pavel alexei alexis edmund canute cnut ethelred aethelred athelstan edgar egbert alfred donald macbeth "
    "rupert wenceslas wenceslaus jan janos bela ladislas andrew ferenc rudolph franz heinrich conrad konrad "
    "louis-philippe hirohito akihito naruhito ashoka ashurbanipal sennacherib nebuchadnezzar tiglath "
    "seti sesostris senusret amenemhat ramesses psamtik arsaces mithridates tigranes herod agrippa "
    "cosimo lorenzo piero ercole gian galeazzo ludovico amedeo emanuele carlo felice".split()
)
# Words after "I" that show it is the pronoun, not a numeral: Elizabeth I am ...
PRONOUN_FOLLOWERS = frozenset(
    "am 'm ’m 'll ’ll 've ’ve 'd ’d have had has will would shall should can could cannot can't don't "
    "didn't won't wouldn't couldn't shouldn't haven't hadn't wasn't must might may do did think know "
    "thought knew guess suppose mean meant love loved like liked see saw said say want wanted need "
    "needed hope hoped feel felt believe believed wish wished told tell went go got get just never "
    "always also only really too myself alone".split()
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
MONTH_ABBREVIATIONS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9,
                       "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}

CURRENCIES = {
    "£": Currency("pound", "pounds", "penny", "pence", "short"),
    "$": Currency("dollar", "dollars", "cent", "cents", "and"),
    "€": Currency("euro", "euros", "cent", "cents", "and"),
    "¥": Currency("yen", "yen", "", "", "and"),
    "₹": Currency("rupee", "rupees", "paisa", "paise", "and"),
    "₽": Currency("rouble", "roubles", "kopeck", "kopecks", "and"),
    "₩": Currency("won", "won", "", "", "and"),
    "₪": Currency("shekel", "shekels", "agora", "agorot", "and"),
}
# Letters before $ naming whose dollar: US$5, A$20.
DOLLAR_PREFIXES = {"US": "US", "A": "Australian", "AU": "Australian", "C": "Canadian", "CA": "Canadian",
                   "NZ": "New Zealand", "HK": "Hong Kong", "S": "Singapore"}
# Amount suffixes: £5m, $2.5 billion, 10k.
SCALES = {"thousand": "thousand", "k": "thousand", "K": "thousand", "million": "million", "m": "million",
          "mn": "million", "billion": "billion", "bn": "billion", "b": "billion", "trillion": "trillion",
          "tn": "trillion"}
# Words before a number that make it a time (at 10.15) or a year (in 1066).
TIME_WORDS = frozenset("at by until till til from before after since past".split())
TIMETABLED = frozenset("train bus coach flight plane ferry boat service express departure arrival tram shuttle".split())
YEAR_WORDS = frozenset("in of since from until till by year ad bc ce bce circa around c ca before after during".split())
FRACTIONS = {"½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅕": (1, 5), "⅖": (2, 5),
             "⅗": (3, 5), "⅘": (4, 5), "⅙": (1, 6), "⅚": (5, 6), "⅛": (1, 8), "⅜": (3, 8), "⅝": (5, 8),
             "⅞": (7, 8)}
SYMBOLS = {"&": " and ", "+": " plus ", "=": " equals ", "×": " times ", "÷": " divided by ", "°C": " degrees Celsius",
           "°F": " degrees Fahrenheit", "°": " degrees", "‰": " per mille", "№": " number ", "§": " section ",
           "¶": " paragraph ", "©": " copyright ", "®": "", "™": ""}

WORDS = {"to": "to", "percent": "percent", "minus": "minus", "point": "point", "and": "and", "oh": "oh",
         "o'clock": "o'clock", "the": "the", "of": "of", "number": "number", "half": "half",
         "quarter": "quarter", "quarters": "quarters", "a": "a", "am": "a.m.", "pm": "p.m.",
         "hundred": "hundred", "saint": "Saint", "street": "Street", "senior": "Senior", "sister": "Sister", "or": "or"}

ENGLISH = Language(
    code="en",
    num2words="en",
    decimal=".",
    group=",",
    words=WORDS,
    abbreviations=ABBREVIATIONS,
    bare_titles=BARE_TITLES,
    heading_words=HEADING_WORDS,
    regnal_titles=REGNAL_TITLES,
    regnal_names=REGNAL_NAMES,
    pronoun_followers=PRONOUN_FOLLOWERS,
    months=MONTHS,
    month_abbreviations=MONTH_ABBREVIATIONS,
    currencies=CURRENCIES,
    dollar_prefixes=DOLLAR_PREFIXES,
    scales=SCALES,
    time_words=TIME_WORDS,
    timetabled=TIMETABLED,
    year_words=YEAR_WORDS,
    fractions=FRACTIONS,
    symbols=SYMBOLS,
    month_first=False,
)
