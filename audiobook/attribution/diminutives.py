"""English given names: the short and pet forms a text may call the same
person by, and the gender a given name usually has.

`same_given_name("Lizzy", "Elizabeth")` is True.  Discovery uses it only
where the text links the two (one family name for both, or just one
character the short form can stand for), never to merge on its own.
`given_name_gender("Charlotte")` is "female": discovery uses it where the
text says nothing (no title, no pronoun, no kin noun), and to keep a
Charlotte Temple apart from a Mr. Temple.
"""
from __future__ import annotations

_GROUPS = """
elizabeth eliza elisa lizzy lizzie liz lisa beth betsy betsey betty bess bessie elsie libby
eleanor/elinor/ellen helen helena nell nelly nellie ellie elly nora lena
margaret maggie meg peggy peg madge margery marjorie greta rita daisy
mary molly polly mamie mally maria marie
catherine/katherine/catharine/katharine kathleen kate kitty katie cathy kathy kay
anne ann anna hannah annie nan nancy nanny
sarah/sara sally sadie
susan susanna susannah sue susie suky
dorothy dorothea dolly dot dora dottie
frances fanny fran
jane janet jean jenny jennie janey
harriet hattie hatty
henrietta etta hetty
martha patty mattie
charlotte lottie lotty
caroline carolina carrie
amelia emilia emily emmy milly millie
isabella/isabel bella belle
louisa louise lou lulu
rebecca becky
victoria vicky
---
william will willie willy bill billy
robert rob robin bob bobby robbie
richard dick dicky rick richie
henry harry hal hank
john jack johnny jacky
james jim jimmy jem jamie
thomas tom tommy
edward ned eddie ted teddy neddy
charles charlie charley chas
george georgie geordie
joseph joe joey
samuel sam sammy
benjamin ben benny
frederick/frederic fred freddy freddie
alexander alex alec aleck sandy
michael mike micky mickey
nicholas nick nicky
peter pete
philip/phillip phil pip
anthony/antony tony
arthur artie
albert bertie
alfred alf alfie
daniel dan danny
david dave davy
francis frank frankie
lawrence/laurence larry laurie
matthew matt
nathaniel nat
patrick paddy
stephen/steven steve
theodore theo
timothy tim timmy
andrew andy
abraham abe
jacob jake
augustus gus
christopher kit chris
"""

#: Given names with no short forms above, women's then men's (common in English-language fiction).
_FEMALE = """
abigail ada adela adelaide adele agatha agnes alice alicia alma amanda amy angela angelina antoinette arabella
augusta aurora barbara beatrice belinda bertha blanche bridget camilla carol cecilia cecily celia christina
christine clara clarissa claudia clementine constance cora cordelia cornelia cynthia daphne deborah delia diana
dinah edith edna eileen elaine eliza ella ellen eloise elvira emma esther ethel eugenia eunice eva eve evelina
evie faith fay felicia fern flora florence gertrude gladys grace gwendolen hagar hazel hester hilda honora hope
ida irene iris isadora ivy jemima jessica jessie joan josephine joy judith julia juliana julie juliet juley
justine laura lavinia leah leonora letitia lilian lillian lily lina lizzie lois lorna lottie louisa lucia
lucilla lucinda lucy lydia mabel madeline madeleine marcia marian marianne marilla marion marjory matilda maud
maude maxine melissa mildred minnie miriam muriel myra myrtle nancy naomi natalie nora norah octavia olive
olivia ophelia pamela pauline pearl penelope phoebe phyllis priscilla prudence rachel rhoda rosa rosalind
rosamond rose rosie roxana ruth sabina selina sibyl sophia sophie stella sybil sylvia tabitha teresa thea
theresa thomasina tess ursula vera veronica viola violet virginia winifred winnie zoe hetty hepzibah hephzibah
"""
_MALE = """
aaron abel adam adolphus adrian alan allan alfred algernon alonzo ambrose amos andre angus anton archibald
archie arnold augustine aubrey august barnaby bartholomew basil bernard bertram caleb carl cecil cedric
claude clarence clement clifford colin conrad cornelius cyril cyrus dennis derek desmond dominic donald
duncan edgar edmund edwin elijah elias emil emile emmanuel enoch ephraim erasmus eric ernest eugene
eustace ezra felix ferdinand fergus franz gabriel gareth gerald gerard gideon gilbert giles godfrey
gordon gregory guy harold hector herbert herman hiram horace horatio hubert hugh hugo humphrey ichabod
isaac isaiah ivan jasper jeremiah jeremy jerome jervis jesse jock jonathan josiah julian julius justin lambert
lancelot leonard leopold lionel lorenzo louis lucas lucian luke malcolm manuel marcus mark martin maurice
max maximilian michel miles mordecai moses nathan neville noah norman oliver
oscar oswald otto owen paul percival perry philemon pierre ralph randolph raymond reginald reuben rex
roderick rodney roger roland rudolf rudolph rufus rupert saul sebastian seth sidney silas simon solomon stanley
stuart sydney terence thaddeus tristram ulysses valentine victor vincent walter wilfred wilfrid
winthrop zachary ogden basil heathcliff hareton edgar pip quentin
"""

#: A name (lower case) -> the key of its group (the group's first, full name).
GROUP_OF: dict[str, str] = {}
#: The full names of the groups, with their other spellings (`anthony/antony`, written so above).
FULL_NAMES: set[str] = set()
#: A given name (lower case) -> "female" or "male".
GENDER_OF: dict[str, str] = {}
for _gender, _block in zip(("female", "male"), _GROUPS.strip().split("---")):
    for _line in _block.strip().splitlines():
        _full, *_short = _line.split()
        _names = _full.split("/") + _short
        FULL_NAMES.update(_full.split("/"))
        for _name in _names:
            GROUP_OF.setdefault(_name, _names[0])
            GENDER_OF.setdefault(_name, _gender)
for _gender, _block in (("female", _FEMALE), ("male", _MALE)):
    for _name in _block.split():
        GENDER_OF.setdefault(_name, _gender)


def given_name_key(name: str) -> str:
    """The full given name `name` is a form of (`Nelly` -> `eleanor`), or itself in lower case."""
    folded = name.casefold()
    return GROUP_OF.get(folded, folded)


def is_full_name(name: str) -> bool:
    """True for a given name the table holds as a full one (`Antony`), not a short or pet form (`Tony`)."""
    return name.casefold() in FULL_NAMES


def same_given_name(a: str, b: str) -> bool:
    return given_name_key(a) == given_name_key(b)


#: Endings of pet forms made from the start of a name (`Hucky` from `Huck`, `Johnny` from `John`).
_PET_ENDINGS = ("ie", "ey", "y")
#: The fewest letters a clipped form keeps of the name it shortens (`Sid` of `Sidney`; `Al` is too short to tell).
CLIPPED_LEAST = 3


def clipped_from(short: str, full: str) -> bool:
    """True when `short` is `full` cut short, the way English makes pet forms
    of names not in the table above: its start (`Huck` for `Huckleberry`,
    `Sid` for `Sidney`), perhaps with a pet ending (`Hucky`); never a name
    the table holds, but for a name of its own group.  Like the table,
    this says only what a name may be short for; the text must link them."""
    short, full = short.casefold(), full.casefold()
    if len(short) >= len(full):
        return False
    if short in GROUP_OF and GROUP_OF.get(full) != GROUP_OF[short]:  # `Mary` is a name of its own, not `Mar(lborough)`
        return False
    stems = {short} | {short[: -len(end)] for end in _PET_ENDINGS if short.endswith(end)}
    stems |= {stem[:-1] for stem in stems if len(stem) > 1 and stem[-1] == stem[-2]}  # `Sammy`, `Bobby`
    return any(len(stem) >= CLIPPED_LEAST and full.startswith(stem) and stem != full for stem in stems)


def given_name_gender(name: str) -> str:
    """"female" or "male" for a given name that usually has that gender, else "unknown"."""
    return GENDER_OF.get(name.casefold(), "unknown")
