"""Names of places a novel in English may mention: never a character unless the text has them speak.

A reader knows that *Chicago*, *Derbyshire* or *Transylvania* is a place
without being told; discovery, which sees only capitalised words, does not.
This is that knowledge for the places fiction in English mentions most:
continents, countries and their old names, the states of the United States,
the counties of Britain and Ireland, large towns, famous streets and
squares, and universities and schools.  Names that are also common given
names (*Florence*, *Virginia*, *Georgia*, *Victoria*, *Sydney*) are left out.
"""
from __future__ import annotations

_PLACES = """
africa america asia australia europe antarctica arctic atlantic pacific mediterranean orient levant balkans
afghanistan albania algeria arabia argentina armenia austria belgium bengal bohemia bolivia brazil britain bulgaria
burma canada ceylon chile china colombia congo corsica crete croatia cuba cyprus denmark egypt england estonia
ethiopia finland flanders france galicia germany greece greenland guiana haiti hindostan hindustan holland hungary
iceland india ireland italy jamaica japan java judea judaea kashmir korea lapland latvia lebanon libya lithuania
madagascar malta manchuria mesopotamia mexico moldavia mongolia montenegro morocco nepal netherlands norway
palestine panama persia peru poland portugal prussia romania roumania rumania russia sardinia saxony scotland
serbia siam siberia sicily spain sumatra sweden switzerland syria tasmania tibet transvaal transylvania tunis
ukraine uruguay venezuela wales wallachia zanzibar zululand natal rhodesia abyssinia nubia khartoum
alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho illinois indiana
iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri montana
nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont wisconsin wyoming dakota
bedfordshire berkshire buckinghamshire cambridgeshire cheshire cornwall cumberland derbyshire devonshire dorset
dorsetshire durham essex gloucestershire hampshire herefordshire hertfordshire huntingdonshire lancashire
leicestershire lincolnshire middlesex norfolk northamptonshire northumberland nottinghamshire oxfordshire
rutland shropshire somerset somersetshire staffordshire suffolk surrey sussex warwickshire westmorland wiltshire
worcestershire yorkshire devon kent galway kerry donegal connaught munster leinster ulster
london paris rome berlin vienna madrid lisbon moscow petersburg constantinople athens naples venice milan genoa
turin geneva brussels amsterdam rotterdam antwerp hamburg munich dresden leipzig frankfort frankfurt cologne
marseilles lyons bordeaux calais boulogne dieppe havre nice monaco florenz cairo alexandria jerusalem bombay
calcutta madras delhi canton peking shanghai tokio tokyo melbourne adelaide brisbane capetown johannesburg
quebec montreal toronto boston chicago philadelphia baltimore pittsburgh cincinnati cleveland detroit milwaukee
minneapolis louisville memphis orleans richmond savannah charleston denver omaha albany brooklyn manhattan
harlem yonkers newport hoboken buffalo
edinburgh glasgow aberdeen dundee dublin belfast cork limerick liverpool manchester birmingham leeds sheffield
bristol bath brighton dover portsmouth plymouth southampton exeter oxford cambridge canterbury winchester
salisbury windsor eton harrow york newcastle nottingham norwich ipswich coventry leicester
northampton margate ramsgate scarborough whitby harrogate cheltenham greenwich hampstead
richmond chelsea kensington westminster mayfair belgravia islington whitechapel soho piccadilly strand
holborn cheapside bloomsbury marylebone pall trafalgar waterloo charing
harvard yale princeton sorbonne heidelberg
"""

PLACES = frozenset(_PLACES.split())


def is_place(form: str) -> bool:
    """True for a one-word name that is a known place (`Chicago`, `Derbyshire`)."""
    return form.casefold() in PLACES
