"""English given names and the short and pet forms a text may call the same person by.

`same_given_name("Lizzy", "Elizabeth")` is True.  Discovery uses it only
where the text links the two (one family name for both, or just one
character the short form can stand for), never to merge on its own.
"""
from __future__ import annotations

_GROUPS = """
elizabeth eliza elisa lizzy lizzie liz lisa beth betsy betsey betty bess bessie elsie libby
eleanor elinor ellen helen helena nell nelly nellie ellie elly nora lena
margaret maggie meg peggy peg madge margery marjorie greta rita daisy
mary molly polly mamie mally maria marie
catherine katherine kathleen catharine katharine kate kitty katie cathy kathy kay
anne ann anna hannah annie nan nancy nanny
sarah sara sally sadie
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
isabella isabel bella belle
louisa louise lou lulu
rebecca becky
victoria vicky
william will willie willy bill billy
robert rob robin bob bobby robbie
richard dick dicky rick richie
henry harry hal hank
john jack johnny jacky
james jim jimmy jem jamie
thomas tom tommy
edward ned eddie ted teddy neddy
charles charlie chas
george georgie geordie
joseph joe joey
samuel sam sammy
benjamin ben benny
frederick frederic fred freddy freddie
alexander alex alec aleck sandy
michael mike micky mickey
nicholas nick nicky
peter pete
philip phillip phil pip
anthony tony
arthur artie
albert bertie
alfred alf alfie
daniel dan danny
david dave davy
francis frank frankie
lawrence laurence larry laurie
matthew matt
nathaniel nat
patrick paddy
stephen steven steve
theodore theo
timothy tim timmy
andrew andy
abraham abe
jacob jake
augustus gus
christopher kit chris
"""

#: A name (lower case) -> the key of its group (the group's first, full name).
GROUP_OF: dict[str, str] = {}
for _line in _GROUPS.strip().splitlines():
    _names = _line.split()
    for _name in _names:
        GROUP_OF.setdefault(_name, _names[0])


def given_name_key(name: str) -> str:
    """The full given name `name` is a form of (`Nelly` -> `eleanor`), or itself in lower case."""
    folded = name.casefold()
    return GROUP_OF.get(folded, folded)


def same_given_name(a: str, b: str) -> bool:
    return given_name_key(a) == given_name_key(b)
