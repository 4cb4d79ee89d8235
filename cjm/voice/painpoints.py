"""Pain points: recurring themes in negative comments, with real quotes; and a searchable quote table.

A comment's sentiment is decided by the score given with it, when there is one (a 1-2 star rating,
an NPS detractor or a hard CES answer is negative): the customer's own rating outranks the
lexicon's reading of their words. Otherwise the text's own sentiment decides.

Themes (deterministic): the negative comments are cleaned (links, @mentions, contractions and
numbers removed) and turned into TF-IDF over 1- to 3-word phrases, without English stop words, chat
filler, or pure emotion words ("terrible", "worst": they say how bad, not what went wrong), nor the stop
words of any other language at least 5% of the comments are written in (package stop-words: Arabic
reviews were themed "من, ان, على", "from, that, on"), except the content words those lists hold (CONTENT_WORDS:
Spanish "llegó", "tiempo", "cuenta"); negations and "without", in those languages too, stay inside
phrases ("support never called", "não chegou", "sin respuesta") but are not themes on their own. NMF
factorises them into 1.5 x n_themes topics, so that one catch-all topic does not swallow distinct
complaints; topics with similar phrase weights (cosine >= 0.25) that share more than one word among their top
phrases are merged into one theme (a single shared word such as "arrived" does not tie "order never arrived" to
"box arrived broken"), named by its top 2-3 phrases, each shown as customers most often wrote it ("delivery
late" -> "delivery was late"). A single word used by more than 20% of the comments and spread over the themes
(no theme holds half of its comments), like "flight" for an airline, is too generic to name a theme
alone but stays inside phrases ("late flight"). Each comment belongs to its dominant theme and is
counted there only if it uses one of the theme's phrases or specific words. Themes with fewer than
`min_count` comments are dropped; the n_themes largest are returned.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import connected_components
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfTransformer
from stop_words import LANGUAGE_MAPPING, get_stop_words
from threadpoolctl import threadpool_limits

from cjm import engine
from cjm.errors import ParameterError
from cjm.voice.languages import detect_languages
from cjm.voice.sentiment import LABELS, SentimentParams, as_signals, describe_scores

GENERIC_SHARE = 0.2
SAME_TOPIC_COSINE = 0.25
LEADING_SHARE = 0.25  # a topic's top phrases weigh at least this share of its heaviest
NOISE_SHARE = 0.01  # a phrase weighing no more than this share of a topic's heaviest does not name it
FILLER = frozenset(
    "just like get got really today day time know need want going make thanks thank yes ok okay oh "
    "lol pls plz hi hello said say says told tell rt amp did does doing don guys".split()
)
# Words that say how bad it was, not what went wrong: they would tie unrelated complaints together.
EMOTION_WORDS = frozenset(
    "terrible awful horrible bad worst poor hate hated annoying annoyed disappointing disappointed "
    "angry ridiculous unacceptable suck sucks sucked ugh seriously frustrating frustrated pathetic "
    "disgusting useless sad upset furious fail".split()
)
# Negations stay inside phrases ("never called back" is not "called back") but never stand alone.
NEGATIONS = frozenset("no not never nothing nobody none cannot cant nor".split())
STOP_WORDS = sorted((ENGLISH_STOP_WORDS | FILLER | EMOTION_WORDS) - NEGATIONS)
# The negations of the other languages whose stop-word lists hold them ("não chegou" is not "chegou").
OTHER_NEGATIONS = {
    "pt": "não nao nem nunca nada ninguém", "es": "no ni nunca nada nadie jamás", "it": "non mai niente nessuno",
    "fr": "ne pas jamais rien personne aucun aucune", "de": "nicht kein keine keinen keinem keiner nie niemals nichts",
    "nl": "niet geen nooit niets", "pl": "nie nigdy nic", "ru": "не нет никогда ни ничего", "uk": "не ні ніколи",
    "tr": "değil yok hiç", "ar": "لا لم لن ليس غير ما", "fa": "نه نیست هرگز", "he": "לא אין אף",
}
# Arabic and Hebrew write "and" / "so" onto the next word: "ولم يصل" is "and (it) did not arrive", and the
# stop-word list holds "ولم": removed, the complaint read "يصل" ("arrived").
OTHER_NEGATIONS["ar"] += " " + " ".join(p + w for p in "وف" for w in "لا لم لن ليس".split())
OTHER_NEGATIONS["he"] += " " + " ".join("ו" + w for w in OTHER_NEGATIONS["he"].split())
OTHER_NEGATIONS["es"] += " tampoco"
# Indonesian reviews write negations and fillers in chat shorthand: "ga sampai" (did not arrive), "yg" (yang).
OTHER_NEGATIONS["id"] = "tidak tak bukan belum jangan ga gak nggak enggak tdk blm"
CHAT_STOP_WORDS = {"id": "yg aja udah sdh dgn utk nya sih deh dong kok jg krn sm lg bgt banget"}
# "Without" reads like a negation: "sin respuesta", "sem resposta", "sans réponse" (no answer) stay one phrase.
for _code, _without in {"es": "sin", "pt": "sem", "fr": "sans", "it": "senza", "de": "ohne"}.items():
    OTHER_NEGATIONS[_code] += " " + _without
# The stop-words package's lists of these languages also hold words a complaint is about (Spanish "llegó" arrived,
# "tiempo" time, "cuenta" account, "trabajo" work): they are content words, kept in the comments.
CONTENT_WORDS = {
    "es": "llegó tiempo cuenta trabajo trabaja trabajan trabajar uso usa usan usar lleva llevar valor lugar momento "
          "intento intentar intenta intentan nuevo nueva nuevos nuevas parte lado largo fuerza fin encuentra",
    "pt": "tempo horas trabalho trabalhar valor caminho desligado ligado iniciar inicio tentar tentei tentaram tente "
          "usar usa nome parte novo comprido pegar fim",
    "fr": "attendu essai état valeur pièce début force parole mot nom nouveau nouveaux plein sujet",
    "it": "comprare lavoro promesso fine gente nome persone nuovo nuovi doppio volte",
}
OTHER_LANGUAGE_SHARE = 0.05


def stop_words_for(texts) -> tuple[list[str], frozenset[str]]:
    """(stop words, negations) for comments `texts`: STOP_WORDS and NEGATIONS, plus the stop words and
    negations of every other language that at least OTHER_LANGUAGE_SHARE of the texts are written in."""
    found = pd.Series(detect_languages(list(texts)), dtype="object")
    shares = found.value_counts(normalize=True) if len(found) else pd.Series(dtype="float64")
    stop, negations = set(STOP_WORDS), set(NEGATIONS)
    for code, share in shares.items():
        if code != "en" and share >= OTHER_LANGUAGE_SHARE and code in LANGUAGE_MAPPING:
            theirs = set(OTHER_NEGATIONS.get(code, "").split())
            listed = ({w.lower() for w in get_stop_words(code)} - set(CONTENT_WORDS.get(code, "").split())
                      | set(CHAT_STOP_WORDS.get(code, "").split()))
            stop |= listed - theirs
            negations |= theirs
    return sorted(stop - negations), frozenset(negations)
NGRAMS = (1, 3)
_CLEAN_RE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[@#]\w+|&\w+;|\b\w+['’]\w+\b|\d+")
_TOKEN = r"(?u)\b[^\W\d_][^\W\d_]+\b"
THEME_COLUMNS = ("theme", "terms", "count", "share", "stages", "quotes", "quote_values", "stage_counts")
QUOTE_COLUMNS = ("text", "value", "label", "score", "scale", "score_text", "stage", "event", "channel", "customer_id",
                 "timestamp", "source")


def comments(signals: pd.DataFrame) -> pd.DataFrame:
    """One row per event with a comment, carrying the signal that decides its sentiment: the
    event's score when it has one (the customer's own rating), otherwise the text's."""
    texted = signals["text"].notna().to_numpy()
    # The order is worked out on the three key columns alone; the rows are taken once at the end.
    keys = pd.DataFrame({"row_id": signals["row_id"], "_by_score": signals["source"].eq("score") & signals["scored"],
                         "timestamp": signals["timestamp"]})[texted].reset_index(drop=True)
    keys = (keys.sort_values(["row_id", "_by_score"], kind="stable")
            .drop_duplicates("row_id", keep="last")
            .sort_values(["timestamp", "row_id"], kind="stable"))
    return signals.iloc[np.flatnonzero(texted)[keys.index.to_numpy()]]


def negative_comments(signals: pd.DataFrame) -> pd.DataFrame:
    """The comments whose deciding signal is negative (see `comments`)."""
    rows = comments(signals)
    return rows[rows["label"].eq("negative").fillna(False)].reset_index(drop=True)


def _clean(texts: pd.Series) -> pd.Series:
    return texts.str.replace(_CLEAN_RE, " ", regex=True).str.lower()


def _without(cleaned: pd.Series, other_stop_words: set[str], texts: pd.Series) -> pd.Series:
    """`cleaned` without the other languages' stop words, except in the comments written in English: French
    "car" (because), Dutch "door" (through) or German "war" (was) are what an English complaint is about."""
    if not other_stop_words:
        return cleaned
    token = re.compile(_TOKEN)
    english = np.asarray(detect_languages(list(texts))) == "en"
    return pd.Series([text if is_english else " ".join(w for w in token.findall(text) if w not in other_stop_words)
                      for text, is_english in zip(cleaned, english)], index=cleaned.index, dtype="object")


def _label(terms: np.ndarray, weights: np.ndarray, generic: set[str], size: int = 3) -> list[str]:
    """Top phrases of a topic. A phrase replaces the shorter terms it extends when it weighs at
    least 60% as much ("customer service" replaces "service" and "customer"). Generic single words
    are never a label on their own. A phrase weighing NOISE_SHARE of the heaviest or less is the
    factorisation's rounding, not part of the topic ("order never" at 0.00001 beside "box arrived broken")."""
    chosen: list[str] = []
    weight = {}
    for i in np.argsort(-weights, kind="stable"):
        if weights[i] <= NOISE_SHARE * weights.max() or len(chosen) == size:
            break
        term, words = terms[i], set(terms[i].split())
        if term in generic:
            weight[term] = weights[i]
            continue
        clash = [c for c in chosen if set(c.split()) & words]
        weight[term] = weights[i]
        if not clash:
            chosen.append(term)
        elif all(set(c.split()) < words and weights[i] >= 0.6 * weight[c] for c in clash):
            chosen = [term if c == clash[0] else c for c in chosen if c == clash[0] or c not in clash]
    return chosen


def compute_pain_points(dataset, *, n_themes: int = 8, min_count: int = 3, stages: tuple[str, ...] = (),
                        sentiment: SentimentParams = SentimentParams()) -> pd.DataFrame:
    """Themes of negative comments: theme, terms, count, share (of negative comments), stages
    (where they were written, in stage order), quotes (2-3 of the most negative representative
    comments), quote_values and stage_counts (stage -> comments of the theme written there). Empty when
    there are too few negative comments.

    `dataset` is the Dataset (or a view of it), whose signals are computed with `sentiment`: the form a
    page caches by dataset; or a compute_signals frame already at hand."""
    if not 1 <= n_themes <= 30:
        raise ParameterError(f"n_themes must be between 1 and 30; got {n_themes!r}.")
    if min_count < 1:
        raise ParameterError(f"min_count must be at least 1; got {min_count!r}.")
    empty = pd.DataFrame(columns=list(THEME_COLUMNS))
    signals = as_signals(dataset, params=sentiment)
    negative = negative_comments(signals) if "text" in signals.columns else pd.DataFrame()
    if len(negative) < max(min_count, 2):
        return empty
    # The report's sentiment section and journey map ask for the themes of the same comments: inside an
    # engine.shared() scope they are found once (keyed by the comments themselves, not by who asks).
    key = engine.fingerprint(negative)
    if key is None:
        return _pain_points(negative, n_themes, min_count, stages)
    return engine.remember(("pain_points", key, n_themes, min_count, tuple(stages)),
                           lambda: _pain_points(negative, n_themes, min_count, stages))


def _pain_points(negative: pd.DataFrame, n_themes: int, min_count: int, stages) -> pd.DataFrame:
    empty = pd.DataFrame(columns=list(THEME_COLUMNS))
    texts = pd.Series(negative["text"].unique(), dtype="object")
    stop_words, negations = stop_words_for(texts)
    english = sorted(set(STOP_WORDS) - negations)
    vectorizer = CountVectorizer(stop_words=english, ngram_range=NGRAMS, min_df=min_count,
                                 binary=True, token_pattern=_TOKEN)
    cleaned = _clean(texts)
    try:
        counts = vectorizer.fit_transform(_without(cleaned, set(stop_words) - set(english), texts)).tocsc()
    except ValueError:  # nothing but stop words, or every phrase rarer than min_count
        return empty
    terms = vectorizer.get_feature_names_out()
    # n-grams span removed stop words, so "flight to flight" gives "flight flight": drop those, and phrases of
    # negations only ("ne pas" of "je ne suis pas ...").
    repeats = np.array([len(set(t.split())) < len(t.split()) for t in terms])
    only_negations = np.array([set(t.split()) <= negations for t in terms])
    keep = np.flatnonzero(~repeats & ~only_negations)
    if not len(keep):
        return empty
    counts, terms = counts[:, keep], terms[keep]
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    topics = max(1, min(int(np.ceil(1.5 * n_themes)), len(texts) - 1, len(terms)))
    nmf = NMF(n_components=topics, init="nndsvda", random_state=0, max_iter=500)
    with threadpool_limits(limits=1):  # a few hundred comments: threads only wait on each other (measured 6x CPU)
        weights = nmf.fit_transform(tfidf)
    groups = _similar_topics(nmf.components_, terms)
    merged = np.zeros((len(texts), groups.max() + 1))
    np.add.at(merged.T, groups, weights.T)
    dominant = np.where(merged.max(axis=1) > 0, merged.argmax(axis=1), -1)
    generic = _generic_words(counts, terms, dominant)
    theme_terms = [_label(terms, nmf.components_[groups == g].sum(axis=0), generic)
                   for g in range(merged.shape[1])]
    # A comment counts for its theme only if it uses one of the theme's phrases or specific words.
    uses = np.column_stack([
        np.asarray(counts[:, np.isin(terms, list((set(" ".join(names).split()) - generic) | set(names)))]
                   .sum(axis=1)).ravel() > 0
        for names in theme_terms
    ])
    member = np.where(uses[np.arange(len(texts)), dominant.clip(min=0)] & (dominant >= 0), dominant, -1)
    names = [", ".join(_as_written(term, cleaned[member == g]) for term in terms_g)
             for g, terms_g in enumerate(theme_terms)]
    return _themes(negative, texts, member, merged, theme_terms, names, n_themes, min_count, stages)


def _as_written(term: str, texts: pd.Series) -> str:
    """A phrase as customers wrote it: "delivery late" -> "delivery was late" (the most common
    wording in the theme's comments, with at most two removed stop words put back)."""
    words = term.split()
    if len(words) == 1 or texts.empty:
        return term
    pattern = r"\b" + r"\W+(?:[^\W\d_]+\W+){0,2}?".join(map(re.escape, words)) + r"\b"
    found = texts.str.extract(f"({pattern})", expand=False).dropna().str.replace(r"\W+", " ", regex=True)
    found = found[found.str.count(" ") + 1 <= len(words) + 2]  # at most two extra words in all
    if found.empty:
        return term
    counts = found.value_counts().rename_axis("phrase").reset_index(name="n")
    return counts.sort_values(["n", "phrase"], ascending=[False, True])["phrase"].iloc[0]


def _generic_words(counts, terms: np.ndarray, dominant: np.ndarray) -> set[str]:
    """Single words used by more than 20% of the comments and spread over the themes (no theme
    holds half of the comments using them), like "flight" in airline complaints."""
    doc_freq = np.asarray(counts.sum(axis=0)).ravel()
    frequent = np.flatnonzero(np.array([" " not in t for t in terms]) & (doc_freq > GENERIC_SHARE * counts.shape[0]))
    if not len(frequent):
        return set()
    assigned = dominant >= 0
    onehot = np.zeros((assigned.sum(), dominant.max() + 1))
    onehot[np.arange(assigned.sum()), dominant[assigned]] = 1.0
    per_theme = onehot.T @ counts[assigned][:, frequent].toarray()
    concentrated = per_theme.max(axis=0) >= 0.5 * doc_freq[frequent]
    return set(terms[frequent[~concentrated]])


def _similar_topics(components: np.ndarray, terms: np.ndarray) -> np.ndarray:
    """Group ids: topics whose phrase weights are similar (cosine >= 0.25) and that share more than one word
    among their top phrases (those weighing at least LEADING_SHARE of the topic's heaviest) are one theme. A
    single heavy word shared is not enough: "llegó" (arrived) alone would tie "pedido no llegó" (order did not
    arrive) to "caja llegó rota" (box arrived broken); "car dirty" and "car, dirty" share two words."""
    unit = components / np.maximum(np.linalg.norm(components, axis=1, keepdims=True), 1e-12)
    similar = unit @ unit.T >= SAME_TOPIC_COSINE
    top = components >= LEADING_SHARE * components.max(axis=1, keepdims=True)
    words = [set(" ".join(terms[row & (component > 0)]).split()) for row, component in zip(top, components)]
    shared = np.array([[len(a & b) >= 2 for b in words] for a in words])
    return connected_components(similar & shared, directed=False)[1]


def _themes(negative, texts, member, weights, theme_terms, names, n_themes, min_count, stages) -> pd.DataFrame:
    by_text = pd.DataFrame({"text": texts, "theme_id": member,
                            "weight": weights[np.arange(len(texts)), member.clip(min=0)]})
    rows = negative.merge(by_text[by_text["theme_id"] >= 0], on="text")
    if rows.empty:
        return pd.DataFrame(columns=list(THEME_COLUMNS))
    if stages:
        rank = rows["stage"].map({s: i for i, s in enumerate(stages)})
    else:
        rank = rows["stage_index"].where(rows["stage_index"] >= 0)
    rows["stage_rank"] = rank.astype("float64").fillna(np.inf)  # unmapped stages last
    sizes = rows.groupby("theme_id").size().rename("count")
    stage_lists = (rows.drop_duplicates(["theme_id", "stage"]).sort_values(["theme_id", "stage_rank", "stage"])
                   .groupby("theme_id")["stage"].agg(list))
    # Quotes: among the 10 comments most typical of the theme, the 3 most negative.
    typical = (rows.drop_duplicates(["theme_id", "text"])
               .sort_values(["theme_id", "weight", "text"], ascending=[True, False, True])
               .groupby("theme_id").head(10)
               .sort_values(["theme_id", "value", "text"]).groupby("theme_id").head(3))
    quotes = typical.groupby("theme_id")["text"].agg(list)
    quote_values = typical.groupby("theme_id")["value"].agg(lambda v: [round(float(x), 4) for x in v])
    per_stage = rows.groupby(["theme_id", "stage"]).size()
    stage_counts = pd.Series({i: {str(k): int(v) for k, v in per_stage.loc[i].items()} for i in sizes.index},
                             name="stage_counts", dtype="object").rename_axis("theme_id")
    out = pd.concat([sizes, stage_lists.rename("stages"), quotes.rename("quotes"),
                     quote_values.rename("quote_values"), stage_counts], axis=1).reset_index()
    out["terms"] = out["theme_id"].map(lambda i: tuple(theme_terms[i]))
    out["theme"] = out["theme_id"].map(lambda i: names[i])
    out["share"] = out["count"] / len(negative)
    out = out[out["count"] >= min_count].sort_values(["count", "theme"], ascending=[False, True])
    return out.head(n_themes)[list(THEME_COLUMNS)].reset_index(drop=True)


def compute_quotes(signals: pd.DataFrame, *, query: str | None = None, sentiment: str | None = None,
                   stage: str | None = None, channel: str | None = None, limit: int = 200) -> pd.DataFrame:
    """Comments to read: text, value, label, score, scale, score_text ("rating 2/5" when a score came
    with the comment), stage, event, channel, customer_id, timestamp, source.

    One row per comment. When the comment came with a score, the score gives its value and label
    (the customer's own rating, as in pain points and the closed loop); otherwise the text does
    (unscored comments, e.g. in another language, have no value and match no sentiment filter).
    `query` matches case-insensitively anywhere in the text (plain text, not a pattern); `sentiment`
    keeps negative / neutral / positive comments. Negative quotes come most negative first,
    positive most positive first, otherwise newest first.
    """
    if sentiment is not None and sentiment not in LABELS:
        raise ParameterError(f"sentiment must be one of {', '.join(LABELS)} or empty; got {sentiment!r}.")
    if not 1 <= limit <= 100_000:
        raise ParameterError(f"limit must be between 1 and 100000; got {limit!r}.")
    rows = comments(signals)
    if query:
        rows = rows[rows["text"].str.contains(query.strip(), case=False, regex=False)]
    if sentiment is not None:
        rows = rows[rows["label"].eq(sentiment).fillna(False)]
    if stage is not None:
        rows = rows[rows["stage"].eq(stage)]
    if channel is not None:
        rows = rows[rows["channel"].eq(channel)]
    if sentiment == "negative":
        rows = rows.sort_values(["value", "timestamp", "row_id"], ascending=[True, False, True])
    elif sentiment == "positive":
        rows = rows.sort_values(["value", "timestamp", "row_id"], ascending=[False, False, True])
    else:
        rows = rows.sort_values(["timestamp", "row_id"], ascending=[False, True])
    rows = rows.head(limit)
    rows = rows.assign(score_text=describe_scores(rows["score"], rows["scale"].astype("object"))
                       .where(rows["source"].eq("score").to_numpy()))
    return rows[list(QUOTE_COLUMNS)].reset_index(drop=True)
