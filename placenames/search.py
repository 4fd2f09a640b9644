"""Place-name search: characters, pinyin (with or without spaces and tones), initials, fuzzy.

One ranked query over the indexed keys of ``placenames.indexing`` (DESIGN.md, Names):

* Chinese input of one or two characters: the GIN-indexed ``fragments`` array
  (trigrams cannot serve a two-character infix); three or more: ``LIKE '%…%'`` and
  trigram similarity, both served by the GIN trigram index on ``standard_name``.
* Latin input: prefix of the toneless ``pinyin`` or of the ``initials`` (``qsx`` →
  清水县), and the fuzzy key (zh/z, n/l, an/ang … merged) for near misses; digits
  search codes.

Rank: exact (name or full pinyin) 0, initials exact 1, prefix 2, infix 3, fuzzy 4;
ties go first to the more prominent place (a county or township before a village
committee before other names: someone typing "yongqing" at city view means 永清镇 more
often than one of several 永庆村), then to the name nearer the map centre, then the
shorter name. ``administrative_paths`` gives each result its path (省 › 市 › 县 › 乡),
so that four rows named 兴隆村委会 can be told apart.
"""

from __future__ import annotations

from django.contrib.gis.db.models.functions import Distance
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Length

from boundaries.models import Division
from geoapp.jurisdiction import normalise_code
from placenames.indexing import query_keys

EXACT, INITIALS, PREFIX, INFIX, FUZZY = range(5)
MAX_QUERY = 50
# Prominence of a name: divisions by level, then village committees, then everything else.
BIG_DIVISION, TOWNSHIP, OTHER, COMMITTEE = range(4)
FEW = 5  # fewer direct matches than this: also look for similar names


# The level of a division's name read from its own 12-digit code (a county and above end
# in 000000, a township in 000), not from a join to its division: the planner can then
# sort the matches before joining, and joins only the page it returns (a 2,800-match
# initials query spent most of its 75 ms on 2,800 division lookups nationally).
PROMINENCE = Case(
    When(category="division", code__endswith="000000", then=Value(BIG_DIVISION)),
    When(category="division", code__endswith="000", then=Value(TOWNSHIP)),
    When(category="committee", then=Value(COMMITTEE)),
    default=Value(OTHER), output_field=IntegerField(),
)


def search_queryset(queryset, query: str, *, centre=None, similar: bool = True):
    """``queryset`` narrowed to names matching ``query``, annotated with ``rank``
    (and ``distance`` from ``centre``, a GEOS Point), best first.

    ``similar=False`` leaves out trigram similarity of Chinese input, the one costly
    condition (on a small table the planner computes it row by row); ``search_names``
    asks for it only when the other matches do not fill the page.
    """
    keys = query_keys((query or "")[:MAX_QUERY])
    if keys.has_han:
        text = keys.text
        infix = Q(fragments__contains=[text]) if len(text) <= 2 else Q(standard_name__contains=text)
        ranks = [
            When(standard_name=text, then=Value(EXACT)),
            When(standard_name__startswith=text, then=Value(PREFIX)),
            When(infix, then=Value(INFIX)),
        ]
        match = infix | Q(standard_name__trigram_similar=text) if similar and len(text) >= 3 else infix
    elif keys.latin.isdigit():
        code = keys.latin
        try:
            full = normalise_code(code)  # 620521 → 620521000000, the county's own code
        except ValueError:
            full = code
        ranks = [When(code__in={code, full}, then=Value(EXACT)), When(code__startswith=code, then=Value(PREFIX))]
        match = Q(code__startswith=code)
    elif keys.latin:
        latin = keys.latin
        ranks = [
            When(pinyin=latin, then=Value(EXACT)),
            When(initials=latin, then=Value(INITIALS)),
            When(Q(pinyin__startswith=latin) | Q(initials__startswith=latin), then=Value(PREFIX)),
        ]
        match = Q(pinyin__startswith=latin) | Q(initials__startswith=latin)
        if keys.fuzzy_key:
            match |= Q(fuzzy_key__startswith=keys.fuzzy_key)
    else:
        return queryset.annotate(rank=Value(FUZZY, output_field=IntegerField())).none()
    results = queryset.filter(match).annotate(
        rank=Case(*ranks, default=Value(FUZZY), output_field=IntegerField()), name_length=Length("standard_name"),
        prominence=PROMINENCE,
    )
    if centre is not None:
        results = results.annotate(distance=Distance("geom", centre))
        return results.order_by("rank", "prominence", "distance", "name_length", "standard_name")
    return results.order_by("rank", "prominence", "name_length", "standard_name")


def administrative_paths(codes) -> dict[str, list[str]]:
    """``{code: [province, prefecture, county, township names above it]}`` in one query."""
    return Division.objects.current().paths(codes)


def search_names(queryset, query: str, *, centre=None, limit: int = 20) -> list:
    """The best ``limit`` matches as a list: exact, prefix and infix matches first,
    then, when those are few and none is the name itself (a typo, most likely),
    trigram-similar names. An exact hit is no typo: on the national gazetteer the
    similarity search for a committee name (…村民委员会) meets 230,000 names sharing
    its ending and took ~0.8 s, for names the user did not ask for."""
    results = list(search_queryset(queryset, query, centre=centre, similar=False)[:limit])
    exact = any((row["rank"] if isinstance(row, dict) else row.rank) == EXACT for row in results)
    if len(results) < FEW and not exact and query_keys((query or "")[:MAX_QUERY]).has_han:
        seen = {row["id"] if isinstance(row, dict) else row.pk for row in results}
        more = search_queryset(queryset, query, centre=centre).filter(rank=FUZZY)
        results += [row for row in more[: limit + len(seen)] if (row["id"] if isinstance(row, dict) else row.pk) not in seen][
            : limit - len(results)
        ]
    return results
