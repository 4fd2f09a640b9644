"""Place-name search: characters, pinyin (with or without spaces and tones), initials, fuzzy.

Ranked conditions over the indexed keys of ``placenames.indexing`` (DESIGN.md, Names):

* Chinese input of one or two characters: the GIN-indexed ``fragments`` array
  (trigrams cannot serve a two-character infix); three or more: ``LIKE '%…%'`` and
  trigram similarity, both served by the GIN trigram index on ``standard_name``.
* Latin input: prefix of the toneless ``pinyin`` or of the ``initials`` (``qsx`` →
  清水县), and the fuzzy key (zh/z, n/l, an/ang … merged) for near misses; digits
  search codes.

Rank: exact (name or full pinyin) 0, initials exact 1, prefix 2, infix 3, fuzzy 4;
ties go first to the more prominent place (``PlaceName.search_order``: a county or
township before other names, village committees last, shorter names first; someone
typing "yongqing" at city view means 永清镇 more often than one of several 永庆村), or,
around a map centre, to the nearer name. ``administrative_paths`` gives each result its
path (省 › 市 › 县 › 乡), so that four rows named 兴隆村委会 can be told apart.

Each rank is one condition (``_tiers``). ``search_queryset`` asks for all of them in one
ranked query; ``search_names``, the public search, asks rank by rank for what the page
still lacks: the 7,000 names with the initials "zjc" nationally then come in order from
the index on (initials, search_order) instead of being sorted with every name whose
pinyin starts with zjc (national initials p95 42–108 ms before), and a two-character
infix from the fragment's list in search order (placenames.fragment_list: 村民 matches
189,000 names nationally, which took ~150 ms to sort); a short prefix or infix (one
character, up to three letters) looks among the divisions down to townships first
(``_prominent_first``: "x" took ~400 ms).
"""

from __future__ import annotations

from django.contrib.gis.db.models.functions import Distance
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Length
from django.db.models.lookups import Exact

from boundaries.models import Division
from geoapp.jurisdiction import normalise_code
from placenames import fragment_list
from placenames.indexing import query_keys
from placenames.models import FIRST_CHARACTER, PROMINENCE, PROMINENT, NameFragment

EXACT, INITIALS, PREFIX, INFIX, FUZZY = range(5)
MAX_QUERY = 50
FEW = 5  # fewer direct matches than this: also look for similar names
HEADS = (100, 5000)  # rows of a fragment's list read before its matches are sorted instead
SHORT_LATIN = 3  # letters: a prefix this short looks among the prominent names first


def _tiers(keys) -> list[tuple[int, Q]]:
    """(rank, condition) for each kind of match of the normalised query, best first;
    each condition leaves out the names an earlier one matched (a name takes its best
    rank). Equal initials or pinyin come in search order from their index (7,000 names
    have the initials "zjc" nationally), a two-character infix from its fragment list
    (``_infix_from_list``); the other kinds are sorted."""
    if keys.has_han:
        text = keys.text
        infix = Q(fragments__contains=[text]) if len(text) <= 2 else Q(standard_name__contains=text)
        # One character: the first character equal, which its index gives in search order.
        exact = Q(standard_name=text)
        prefix = Q(Exact(FIRST_CHARACTER, text)) if len(text) == 1 else Q(standard_name__startswith=text)
        return [(EXACT, exact), (PREFIX, prefix & ~exact), (INFIX, infix & ~prefix)]
    if keys.latin.isdigit():
        code = keys.latin
        try:
            full = normalise_code(code)  # 620521 → 620521000000, the county's own code
        except ValueError:
            full = code
        exact = Q(code__in={code, full})
        return [(EXACT, exact), (PREFIX, Q(code__startswith=code) & ~exact)]
    if keys.latin:
        latin = keys.latin
        exact, initials = Q(pinyin=latin), Q(initials=latin)
        prefix = Q(pinyin__startswith=latin) | Q(initials__startswith=latin)
        tiers = [(EXACT, exact), (INITIALS, initials & ~exact),
                 (PREFIX, prefix & ~exact & ~initials)]
        if keys.fuzzy_key:
            tiers.append((FUZZY, Q(fuzzy_key__startswith=keys.fuzzy_key) & ~prefix))
        return tiers
    return []


def _ordered(results, centre):
    """Best first: by rank, then prominence, then (around ``centre``) nearer, then shorter."""
    if centre is None:
        return results.order_by("rank", "search_order", "standard_name", "pk")
    return results.annotate(
        prominence=PROMINENCE, distance=Distance("geom", centre), name_length=Length("standard_name"),
    ).order_by("rank", "prominence", "distance", "name_length", "standard_name")


def search_queryset(queryset, query: str, *, centre=None, similar: bool = True):
    """``queryset`` narrowed to names matching ``query``, annotated with ``rank``
    (and ``distance`` from ``centre``, a GEOS Point), best first, in one query.

    ``similar`` adds trigram similarity of Chinese input of three or more characters
    (rank fuzzy), the one costly condition (on a small table the planner computes it row
    by row); ``search_names`` asks for it only when the other matches do not fill the page.
    """
    keys = query_keys((query or "")[:MAX_QUERY])
    tiers = _tiers(keys)
    if not tiers:
        return queryset.annotate(rank=Value(FUZZY, output_field=IntegerField())).none()
    match = Q()
    for _rank, condition in tiers:
        match |= condition
    if similar and keys.has_han and len(keys.text) >= 3:
        match |= Q(standard_name__trigram_similar=keys.text)
    ranks = [When(condition, then=Value(rank)) for rank, condition in tiers]
    return _ordered(queryset.filter(match).annotate(
        rank=Case(*ranks, default=Value(FUZZY), output_field=IntegerField())), centre)


def administrative_paths(codes) -> dict[str, list[str]]:
    """``{code: [province, prefecture, county, township names above it]}`` in one query."""
    return Division.objects.current().paths(codes)


def _rank(row) -> int:
    return row["rank"] if isinstance(row, dict) else row.rank


def _pk(row):
    return row["id"] if isinstance(row, dict) else row.pk


def _infix_from_list(tier, fragment: str, wanted: int) -> list | None:
    """The first ``wanted`` rows of ``tier`` (an infix of two characters) read through the
    fragment's list (placenames.fragment_list), which holds every standard name with the
    fragment in search order: if the first ``head`` names of the list hold ``wanted``
    matches of the tier (or the list ends there), they are its first page. Else (the
    tier's other conditions — not a prefix match, the caller's category or division —
    are rare among them) None, and the caller sorts the matches."""
    for head in HEADS:
        listed = list(NameFragment.objects.filter(fragment=fragment)
                      .order_by("search_order", "standard_name", "name").values_list("name", flat=True)[:head])
        found = list(_ordered(tier.filter(pk__in=listed), None)[:wanted])
        if len(found) == wanted or len(listed) < head:
            return found
    return None


def _prominent_first(tier, centre, wanted: int) -> list:
    """The first ``wanted`` rows of a prefix or infix tier, the divisions down to townships
    first: they sort before every other name (by ``search_order``, or by prominence around
    a map centre), and their own small indexes (42,000 names nationally, ``PROMINENT``)
    answer a short prefix at once. "x" matches 150,000 names nationally, whose sort took
    ~400 ms; the counties and townships among them fill the page in ~5 ms. Only when they
    do not are the other names sorted."""
    first = list(_ordered(tier.filter(PROMINENT), centre)[:wanted])
    if len(first) == wanted:
        return first
    return first + list(_ordered(tier.exclude(PROMINENT), centre)[: wanted - len(first)])


def search_names(queryset, query: str, *, centre=None, limit: int = 20) -> list:
    """The best ``limit`` matches as a list, rank by rank (exact, initials, prefix,
    infix, fuzzy pinyin), each rank's query stopping at what the page still lacks; then,
    when those are few and none is the name itself (a typo, most likely), trigram-similar
    names. An exact hit is no typo: on the national gazetteer the similarity search for a
    committee name (…村民委员会) meets 230,000 names sharing its ending and took ~0.8 s,
    for names the user did not ask for. Around a map centre (a bounded view) each rank
    is one sorted query. ``queryset``: standard names (the public search; the fragment
    lists hold only those)."""
    keys = query_keys((query or "")[:MAX_QUERY])
    # One character or up to three letters match up to 150,000 names nationally; longer
    # input matches few, and the probe among the prominent names would only add a query.
    short = len(keys.text) == 1 if keys.has_han else (
        0 < len(keys.latin) <= SHORT_LATIN and not keys.latin.isdigit())  # digits: a code prefix
    results: list = []
    for rank, condition in _tiers(keys):
        if len(results) >= limit:
            break
        tier = queryset.filter(condition).annotate(rank=Value(rank, output_field=IntegerField()))
        wanted = limit - len(results)
        page = None
        if rank == INFIX and len(keys.text) == 2 and centre is None and fragment_list.in_search_order():
            page = _infix_from_list(tier, keys.text, wanted)
        if page is None and short and rank in (PREFIX, INFIX):
            page = _prominent_first(tier, centre, wanted)
        results += page if page is not None else list(_ordered(tier, centre)[:wanted])
    exact = any(_rank(row) == EXACT for row in results)
    if len(results) < FEW and not exact and keys.has_han:
        seen = {_pk(row) for row in results}
        more = search_queryset(queryset, query, centre=centre).filter(rank=FUZZY)
        results += [row for row in more[: limit + len(seen)] if _pk(row) not in seen][: limit - len(results)]
    return results
