"""Stage mapping: raw event names -> journey stages (DESIGN.md section 3).

The mapping is an editable table. It starts from the built-in touchpoint dictionary (exact names,
including the common tracker and CRM names: Segment / RudderStack e-commerce spec, GA4, Shopify and
Klaviyo, Mixpanel, HubSpot and Salesforce lifecycle and deal stages), then keyword rules read the name
(first rule that matches wins; the rules go from the most specific to the most general), then related
events are kept in order: two events about the same thing ("Pop-up Email Viewed", "Pop-up Email
Accepted") never put the later action (accepted after viewed, clicked after opened) in an earlier stage.
Every automatic choice carries its reason ("dictionary: 'add_to_cart'", "matched 'checkout'"), shown in
the stage-mapping editor. Events nothing knows stay "unmapped" and are listed for the user to assign.

Where a practitioner puts things (5-stage / 7-stage):
- ads, impressions, promotions, pop-ups, banners, social posts: awareness / awareness;
- e-mail, newsletter and list sign-ups, forms, leads, landing pages, first visits: awareness / discovery;
- browsing (page views, sessions, searches, product lists, content): consideration / discovery;
- a product looked at closely, cart, wishlist, coupon, checkout steps, trials, qualified leads, deals,
  proposals, meetings, lost deals: consideration / evaluation (checkout is not yet a purchase: the
  conversion stage is "bought", which the conversion-rate KPI counts);
- purchase, order placed or completed, payment, closed won, subscription started, sign-up, account
  created: conversion / conversion;
- delivery, fulfilment, invoice, onboarding, login, survey, feedback: retention / experience;
- support tickets and cases, chat, calls, callbacks, call centres, complaints, refunds, returns,
  cancellations: retention / support; but a call named for a sale is not a support contact: sales, demo,
  discovery, intro or qualification calls are consideration / evaluation, a cold or prospecting call is
  awareness / discovery, an onboarding or kick-off call is retention / experience;
- repeat purchase, renewal, upgrade, referral, sharing, written reviews: loyalty / repurchase.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from cjm.data import schema
from cjm.data.columns import normalise
from cjm.errors import ParameterError

AW, AW_DISC = ("awareness", "awareness"), ("awareness", "discovery")
BROWSE, EVAL = ("consideration", "discovery"), ("consideration", "evaluation")
CONV = ("conversion", "conversion")
EXPERIENCE, SUPPORT = ("retention", "experience"), ("retention", "support")
LOYAL = ("loyalty", "repurchase")

# Touchpoint dictionary: normalised event name -> (stage in the 5-stage model, stage in the 7-stage model).
TOUCHPOINTS: dict[str, tuple[str, str]] = {
    "ad_impression": AW, "impression": AW, "ad_view": AW, "ad_click": AW, "social_view": AW,
    "social_post": AW, "social_engagement": AW, "tweet": AW, "word_of_mouth": AW,
    "view_promotion": AW, "select_promotion": AW, "promotion_viewed": AW, "promotion_clicked": AW,
    "email_open": AW_DISC, "email_click": AW_DISC, "first_contact": AW_DISC, "lead": AW_DISC,
    "landing": AW_DISC, "first_visit": AW_DISC, "first_open": AW_DISC, "generate_lead": AW_DISC,
    "received_email": AW_DISC, "opened_email": AW_DISC, "clicked_email": AW_DISC,
    "subscribed_to_list": AW_DISC, "subscriber": AW_DISC, "prospecting": AW_DISC,
    "page_view": BROWSE, "session_start": BROWSE, "search": BROWSE, "view": BROWSE,
    "user_engagement": BROWSE, "view_item_list": BROWSE, "product_list_viewed": BROWSE,
    "product_list_filtered": BROWSE, "products_searched": BROWSE, "active_on_site": BROWSE, "scroll": BROWSE,
    "product_view": EVAL, "view_item": EVAL, "select_item": EVAL, "product_viewed": EVAL,
    "product_clicked": EVAL, "viewed_product": EVAL, "review_read": EVAL, "compare": EVAL, "wishlist": EVAL,
    "add_to_wishlist": EVAL, "add_to_cart": EVAL, "added_to_cart": EVAL, "product_added": EVAL, "cart": EVAL,
    "view_cart": EVAL, "cart_viewed": EVAL, "remove_from_cart": EVAL, "product_removed": EVAL,
    "checkout_started": EVAL, "begin_checkout": EVAL, "started_checkout": EVAL, "checkout": EVAL,
    "add_shipping_info": EVAL, "add_payment_info": EVAL, "payment_info_entered": EVAL,
    "marketing_qualified_lead": EVAL, "sales_qualified_lead": EVAL, "opportunity": EVAL,
    "deal_created": EVAL, "closed_lost": EVAL,
    "signup": CONV, "sign_up": CONV, "purchase": CONV, "order_completed": CONV, "order": CONV,
    "payment": CONV, "won": CONV, "closed_won": CONV, "placed_order": CONV, "ordered_product": CONV,
    "customer": CONV,
    # a wide orders export's "Sale Date" (Etsy's sold orders) names its purchase 'sale'; an event named after the
    # stage itself ("interaction: conversion" of an attribution log) is at that stage
    "sale": CONV, "sold": CONV, "conversion": CONV, "converted": CONV,
    # a payment captured (Stripe's "charge.captured", a capture of an authorization): the money taken, a purchase, as
    # cjm.data.reversals reads it (an authorization only holds money; "uncaptured" is not paid)
    "capture": CONV, "captured": CONV,
    "invoice": EXPERIENCE, "delivery": EXPERIENCE, "onboarding": EXPERIENCE, "survey_response": EXPERIENCE,
    "feedback": EXPERIENCE, "fulfilled_order": EXPERIENCE, "login": EXPERIENCE,
    "return": SUPPORT, "support_ticket": SUPPORT, "chat": SUPPORT, "call": SUPPORT, "complaint": SUPPORT,
    "refund": SUPPORT, "ticket_created": SUPPORT, "case_created": SUPPORT,
    # a help desk's ticket dates read as events ('Time to Resolution', 'First Response Time', 'Solved at')
    "ticket_opened": SUPPORT, "first_response": SUPPORT, "resolution": SUPPORT, "resolved": SUPPORT,
    "solved": SUPPORT,
    "repeat_purchase": LOYAL, "referral": LOYAL, "review_written": LOYAL, "renewal": LOYAL,
    "evangelist": LOYAL,
}

_B = r"(?<![a-z])"  # a keyword starts a word of the normalised name ("pop_up_email" but not "topup")

# Keyword rules for names the dictionary does not know, checked in order (most specific first).
KEYWORDS: tuple[tuple[str, tuple[str, str]], ...] = (
    # a payment collected after a failure is a purchase ("payment_failed_retry_succeeded")
    (_B + r"[a-z_]*(?:payment|charge|invoice)[a-z_]*_(?:succeeded|success|recovered|collected)(?![a-z])", CONV),
    # a payment that failed is a checkout attempt, not a purchase ("failed payment", "card_declined")
    (_B + r"(?:not_paid|unpaid|(?:failed|declined|rejected)_(?:payment|charge|card|order|transaction|checkout|capture)"
     r"|(?:payment|charge|card|order|transaction|checkout|capture)_(?:failed|failure|declined|rejected))", EVAL),
    # a sign-up begun is not yet one ("Signup Started" of Segment's spec, whose sign-up is "Signed Up")
    (_B + r"(?:sign_?up|registration|application)_(?:start|started|begun|began|initiated)(?![a-z])", EVAL),
    # completions first: "Checkout Completed" is a purchase, not a checkout step
    (_B + r"(?:(?:order|checkout|purchase|transaction|payment)_(?:complete|placed|success|confirm)|placed_order"
     r"|completed_order|closed_won|deal_won|trial_convert)", CONV),
    # a call is a support contact unless its name says what else it is: a sales, demo or discovery call is
    # part of evaluating the offer, a cold call is prospecting, an onboarding call comes after the sale
    # ("after_sales_call" and "support_call" stay support)
    (_B + r"(?:cold|prospecting)_calls?(?![a-z])", AW_DISC),
    (_B + r"(?<!after_)(?<!post_)(?:sales|demo|discovery|intro|introductory|qualification|qualifying|pitch"
     r"|consultation|closing|negotiation)_calls?(?![a-z])", EVAL),
    (_B + r"(?:onboarding|kick_?off|welcome)_calls?(?![a-z])", EXPERIENCE),
    (_B + r"(?:refund|chargeback|dispute|complain|ticket|case(?![a-z])|support|help_?desk|chat(?:s|ted)?(?![a-z])|live_?chat|calls?(?![a-z])"
     r"|call_?backs?(?![a-z])|return(?:ed|s)?(?![a-z])|cancel)", SUPPORT),
    (_B + r"(?:repeat|renew|referr|refer_a|loyal|evangelist|advocate|upsell|upgrade|cross_sell|reorder"
     r"|share(?:d|s)?(?![a-z])|review_writ|wrote_review|reviewed|review_submit|submitted_review|testimonial"
     r"|review_(?:creat|post|publish))", LOYAL),  # Trustpilot's "Review Created (UTC)": a review written
    # the page or form where one pays is a checkout step, not the payment ("PaymentPage", "Payment Screen Viewed")
    (_B + r"(?:coupon|promo_code|discount_code|voucher|payment_info|shipping_info|checkout|cart|basket|wish"
     r"|payment_(?:page|screen|form|step|details|method)s?(?![a-z]))", EVAL),
    (_B + r"(?:pop_?up|modal|banner|impression|ad(?:s)?(?![a-z])|advert|campaign|promotion|social|tweet"
     r"|influencer|sponsor)", AW),
    # a newsletter or list sign-up is a lead, not a purchase of the product
    (_B + r"(?:newsletter|mailing_list|list_subscri|subscribed_to_list|email_sign|lead_capture)", AW_DISC),
    (_B + r"(?:invoice|deliver|ship|fulfil|onboard|tutorial|survey|feedback|nps(?![a-z])|csat|log_?in"
     r"|sign_?in|unsubscri)", EXPERIENCE),
    # a charge or an authorization captured ("charge.captured"; not an e-mail or a lead captured by a form)
    (_B + r"(?:(?:charge|card|transaction|authori[sz]ation|amount|funds)_captur(?:e|ed|es)"
     r"|captur(?:e|ed)_(?:charge|payment|funds|amount))(?![a-z])", CONV),
    (_B + r"(?:purchase|order|buy|bought|paid|payment|won(?![a-z])|subscription_start|subscription_creat"
     r"|sign_?up|signed_up|register|account_creat|became_customer|customer(?![a-z_]))", CONV),
    (_B + r"(?:qualified|mql|sql|opportunit|deal|proposal|quote|negotiat|contract|appointment|meeting|demo"
     r"|trial|presentation|decision_maker|lead_convert|closed_lost|compare|product|item|pdp|review|pricing)", EVAL),
    (_B + r"(?:email|newsletter|subscri|lead|prospect|form|contact|landing|first_visit|first_contact)", AW_DISC),
    (_B + r"(?:page|view|visit|search|session|browse|scroll|engage|content|article|blog|video|click)", BROWSE),
)
_KEYWORD_RES = tuple((re.compile(pattern), stages) for pattern, stages in KEYWORDS)

# Related events: the same name apart from the action; later actions never land in earlier stages.
_ACTION_RANK = {
    "shown": 0, "show": 0, "displayed": 0, "display": 0, "impression": 0, "seen": 0, "viewed": 0, "view": 0,
    "received": 0, "delivered": 0, "sent": 0,
    "opened": 1, "open": 1, "clicked": 1, "click": 1, "selected": 1, "started": 1, "start": 1, "begin": 1,
    "engaged": 1, "closed": 1, "dismissed": 1,
    "accepted": 2, "accept": 2, "submitted": 2, "submit": 2, "completed": 2, "complete": 2, "subscribed": 2,
    "converted": 2, "confirmed": 2,
}
NO_REASON = "no rule matched: assign a stage"


def _subject(norm: str) -> tuple[str, int] | None:
    """("pop_up_email", 2) for "pop_up_email_accepted": the name without its action, and the action's rank."""
    words = norm.split("_")
    actions = [w for w in words if w in _ACTION_RANK]
    if len(actions) != 1:
        return None
    rest = "_".join(w for w in words if w not in _ACTION_RANK)
    return (rest, _ACTION_RANK[actions[0]]) if rest else None


def model_stages(model: str, custom: tuple[str, ...] = ()) -> tuple[str, ...]:
    if model in schema.STAGE_MODELS:
        return schema.STAGE_MODELS[model]
    if model == "custom":
        if len(custom) < 2 or len(set(custom)) != len(custom):
            raise ParameterError(f"A custom stage model needs at least two distinct stage names; got {list(custom)}.")
        return tuple(custom)
    raise ParameterError(f"Unknown stage model {model!r}: choose '5', '7' or 'custom'.")


# Event names in other languages: each word (or, in Japanese, each term) read as the English word the rules
# above know, so "Kauf", "achat", "compra", "購入" are purchases and "añadir al carrito" a cart step. Used
# only when the name itself matches nothing (an English name keeps its own reading).
FOREIGN_WORDS: dict[str, str] = {
    # Spanish / Portuguese
    "compra": "purchase", "comprar": "purchase", "comprado": "purchase", "pedido": "order", "pago": "payment",
    "pagamento": "payment", "visita": "visit", "vista": "view", "ver": "view", "visualizacion": "view",
    "visualización": "view", "visualizacao": "view", "visualização": "view", "pagina": "page", "página": "page",
    "busqueda": "search", "búsqueda": "search", "buscar": "search", "busca": "search", "carrito": "cart",
    "carrinho": "cart", "cesta": "cart", "devolucion": "return", "devolución": "return", "devolucao": "return",
    "devolução": "return", "reembolso": "refund", "cancelacion": "cancel", "cancelación": "cancel",
    "cancelado": "cancel", "cancelamento": "cancel", "reclamo": "complaint", "reclamacion": "complaint",
    "reclamación": "complaint", "reclamacao": "complaint", "reclamação": "complaint", "queja": "complaint",
    "soporte": "support", "suporte": "support", "llamada": "call", "chamado": "ticket", "registro": "sign_up",
    "cadastro": "sign_up", "alta": "sign_up", "suscripcion": "subscription", "suscripción": "subscription",
    "assinatura": "subscription", "boletin": "newsletter", "boletín": "newsletter", "resena": "review",
    "reseña": "review", "avaliacao": "review", "avaliação": "review", "envio": "shipping", "envío": "shipping",
    "entrega": "delivery", "factura": "invoice", "fatura": "invoice", "correo": "email", "encuesta": "survey",
    "pesquisa": "survey", "entregado": "delivered", "entregue": "delivered", "rechazado": "declined", "recusado": "declined", "fallido": "failed", "falhou": "failed",
    # French
    "achat": "purchase", "commande": "order", "paiement": "payment", "visite": "visit", "vue": "view",
    "consultation": "view", "recherche": "search", "panier": "cart", "ajout": "add", "retour": "return",
    "remboursement": "refund", "annulation": "cancel", "annule": "cancel", "annulé": "cancel",
    "annulee": "cancel", "annulée": "cancel", "reclamation": "complaint", "réclamation": "complaint",
    "plainte": "complaint", "assistance": "support", "appel": "call", "inscription": "sign_up",
    "abonnement": "subscription", "avis": "review", "livraison": "delivery", "expedition": "shipping",
    "expédition": "shipping", "facture": "invoice", "enquete": "survey", "enquête": "survey", "refuse": "declined",
    "refusé": "declined", "livre": "delivered", "livré": "delivered", "livree": "delivered", "livrée": "delivered",
    "echoue": "failed", "échoué": "failed", "ouverture": "opened", "ouvert": "opened",
    # German
    "kauf": "purchase", "gekauft": "purchase", "bestellung": "order", "bestellt": "order", "zahlung": "payment",
    "besuch": "visit", "seitenaufruf": "page_view", "ansicht": "view", "suche": "search",
    "warenkorb": "cart", "rückgabe": "return", "rueckgabe": "return", "retoure": "return",
    "rückerstattung": "refund", "rueckerstattung": "refund", "erstattung": "refund", "storno": "cancel",
    "stornierung": "cancel", "beschwerde": "complaint", "reklamation": "complaint", "anruf": "call",
    "registrierung": "sign_up", "anmeldung": "sign_up", "bewertung": "review", "lieferung": "delivery",
    "versand": "shipping", "rechnung": "invoice", "umfrage": "survey", "fehlgeschlagen": "failed",
    "abgelehnt": "declined", "geliefert": "delivered", "zugestellt": "delivered",
    # Italian
    "acquisto": "purchase", "ordine": "order", "carrello": "cart", "reso": "return", "rimborso": "refund",
    "annullamento": "cancel", "registrazione": "sign_up", "recensione": "review", "consegna": "delivery",
    "spedizione": "shipping", "fattura": "invoice", "sondaggio": "survey", "rifiutato": "declined",
}
# Japanese writes no spaces: its terms are found inside the name (longest first).
FOREIGN_TERMS: dict[str, str] = {
    "会員登録": "sign_up", "レビュー投稿": "review_submitted", "問い合わせ": "support", "問合せ": "support",
    "購入": "purchase", "注文": "order", "決済": "payment", "支払": "payment", "閲覧": "view", "訪問": "visit",
    "検索": "search", "カート": "cart", "返品": "return", "返金": "refund", "キャンセル": "cancel",
    "苦情": "complaint", "クレーム": "complaint", "登録": "sign_up", "レビュー": "review", "配送": "delivery",
    "発送": "shipping", "請求": "invoice", "アンケート": "survey", "メール": "email", "開封": "opened",
    "クリック": "click", "商品": "product", "追加": "add", "広告": "ad", "チャット": "chat", "電話": "call", "失敗": "failed",
}
_FOREIGN_TERM_RE = re.compile("|".join(sorted(map(re.escape, FOREIGN_TERMS), key=len, reverse=True)))


def in_english(norm: str) -> tuple[str, list[str]]:
    """(the normalised name with its known foreign words in English, the foreign words read)."""
    read: list[str] = []

    def term(match) -> str:
        read.append(match.group(0))
        return "_" + FOREIGN_TERMS[match.group(0)] + "_"

    text = _FOREIGN_TERM_RE.sub(term, norm)
    words = []
    for word in text.split("_"):
        if word in FOREIGN_WORDS:
            read.append(word)
            word = FOREIGN_WORDS[word]
        words.append(word)
    return "_".join(w for w in words if w), read


def explain_stage(event: str, model: str) -> tuple[str, str]:
    """(stage, why) the dictionary or keyword rules give an event name; ("unmapped", why not) otherwise."""
    if model not in ("5", "7"):
        return schema.UNMAPPED, "custom stage model: assign each event by hand"
    which = 0 if model == "5" else 1
    norm = normalise(event)
    found = _lookup(norm, which)
    if found is not None:
        stage, why = found
        return stage, f"touchpoint dictionary: '{norm}'" if why is None else f"matched '{why}'"
    english, read = in_english(norm)
    found = _lookup(english, which) if read else None
    if found is not None:
        stage, why = found
        said = ", ".join(f"'{w}'" for w in read)
        how = "(touchpoint dictionary)" if why is None else f"(matched '{why}')"
        return stage, f"{said} read as '{english}' {how}"
    return schema.UNMAPPED, NO_REASON


def _lookup(norm: str, which: int) -> tuple[str, str | None] | None:
    """(stage, None) from the touchpoint dictionary, (stage, the words matched) from the keyword rules, or None."""
    if norm in TOUCHPOINTS:
        return TOUCHPOINTS[norm][which], None
    for pattern, stages in _KEYWORD_RES:
        found = pattern.search(norm)
        if found:
            return stages[which], found.group(0)
    return None


def suggest_stage(event: str, model: str) -> str:
    """The stage the dictionary or keyword rules give an event name, or 'unmapped'."""
    return explain_stage(event, model)[0]


def suggest_stages(event_names, model: str) -> dict[str, tuple[str, str]]:
    """{event: (stage, why)} for a set of names, related events kept in order: when two names differ only by
    their action ("Sale Alert Viewed" / "Sale Alert Subscribed") the later action takes the stage of the
    earlier one if the rules put it in an earlier stage or in none."""
    names = [str(e) for e in event_names]
    out = {e: explain_stage(e, model) for e in names}
    if model not in ("5", "7"):
        return out
    order = {s: i for i, s in enumerate(schema.STAGE_MODELS[model])}
    groups: dict[str, list[tuple[int, str]]] = {}
    for e in names:
        subject = _subject(normalise(e))
        if subject is not None:
            groups.setdefault(subject[0], []).append((subject[1], e))
    for members in groups.values():
        members.sort()
        for i, (rank, event) in enumerate(members):
            earlier = [(order[out[m][0]], m) for r, m in members[:i] if r < rank and out[m][0] in order]
            if earlier:
                floor, source = max(earlier)
                if out[event][0] not in order or order[out[event][0]] < floor:
                    out[event] = (out[source][0], f"kept with '{source}' (comes after it)")
    return out


@dataclass
class StageMapping:
    """The stage model and the editable event -> stage table."""

    model: str = "5"
    custom_stages: tuple[str, ...] = ()
    events: dict[str, str] = field(default_factory=dict)  # user overrides and confirmed suggestions

    @property
    def stages(self) -> tuple[str, ...]:
        return model_stages(self.model, tuple(self.custom_stages))

    def stage_of(self, event: str) -> str:
        """One event's stage on its own (its related events unknown: see `table` for the whole data)."""
        stage = self.events.get(event)
        if stage is None:
            stage = suggest_stage(event, self.model)
        return stage if stage in self.stages else schema.UNMAPPED

    def explain(self, event_names) -> dict[str, tuple[str, str]]:
        """{event: (stage, why)} for every event name seen in the data; "set by hand" for user choices."""
        names = [str(e) for e in event_names]
        suggested = suggest_stages([e for e in names if e not in self.events], self.model)
        out = {}
        for e in names:
            stage, why = (self.events[e], "set by hand") if e in self.events else suggested[e]
            out[e] = (stage, why) if stage in self.stages else (schema.UNMAPPED, why)
        return out

    def table(self, event_names) -> dict[str, str]:
        """event -> stage for every event name seen in the data."""
        return {e: stage for e, (stage, _) in self.explain(event_names).items()}

    def unmapped(self, event_names) -> list[str]:
        return [e for e, stage in self.table(event_names).items() if stage == schema.UNMAPPED]

    def to_dict(self) -> dict:
        data = asdict(self)
        data["custom_stages"] = list(self.custom_stages)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "StageMapping":
        mapping = cls(model=str(data.get("model", "5")), custom_stages=tuple(data.get("custom_stages") or ()),
                      events=dict(data.get("events") or {}))
        mapping.stages  # validates the model
        return mapping


def stages_present(stages, seen) -> tuple[str, ...]:
    """The stages of the model (`stages`, in model order) that occur among `seen` (stage names of events or
    of customers' reach): the one rule for "the stages present in the data" (default funnel steps)."""
    seen = {str(s) for s in seen if s is not None and s == s}
    return tuple(s for s in stages if s in seen)
