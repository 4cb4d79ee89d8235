"""Column auto-mapping: which export column supplies each canonical column (DESIGN.md section 3).

A mapping is a small JSON document, saved with the dashboard and re-applied to later exports:
    {"columns": {"customer_id": "user_id", "timestamp": "event_time", ...},
     "event_constant": null, "day_first": null, "timezone": "UTC", "purchase_flag": null}
Names are matched in any case and spacing ("Customer ID" == "customer_id" == "customerId").
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from cjm.data import conversations, schema
from cjm.data.deals import DEAL_ID_NAMES, STAGE_NAMES, stage_outcomes
from cjm.data.cells import without_signs
from cjm.errors import MappingError
from cjm.data.labels import looks_like_labels, star_word_values
from cjm.data.names import normalise  # noqa: F401 (public here: most modules read it from columns)
from cjm.data.timestamps import parse_timestamps
from cjm.data.date_names import DATE_WORDS, TIMESTAMP_ALIASES, ZONE_WORDS, names_a_date  # noqa: F401 (public here too)

# Common export names, best first. Matching is on normalised names (see `normalise`).
ALIASES: dict[str, tuple[str, ...]] = {
    "customer_id": (
        "customer_id", "customerid", "customer", "client_id", "clientid", "user_id", "userid", "user",
        "contact_id", "account_id", "person_id", "visitor_id", "member_id", "lead_id", "mql_id", "id", "record_id",
        "customer_number", "cust_id", "email", "email_address", "e_mail", "customer_email", "billing_email", "email_billing",  # Mailchimp's too
        # to whom a survey request or message went: Medallia Agent Connect's feedback export ("request_sent_to", the
        # respondent's e-mail, beside the agent's "employee_email"), a mail log's recipient
        "request_sent_to", "sent_to", "recipient_email", "recipient",
        "username", "user_name", "name", "nom", "nombre", "nome",  # a person's name (PayPal's 'Name' in every language)
        "household_id", "household_key", "household", "anonymous_id", "anonymousid", "user_pseudo_id",
        "pseudo_id", "cookie_id", "cookie", "distinct_id", "distinctid",  # Mixpanel's and PostHog's user id
        "subscriber_id", "subscriber", "member", "account", "contact", "visitor", "client",
        "requester_id", "requester_email", "requester",  # help desks (Zendesk, Freshdesk): who asked
        "reviewer_id", "consumer_id", "reviewer_email", "consumer_email",  # review sites (Trustpilot, Judge.me)
        # Russian, Persian, Arabic, Portuguese, Spanish
        "клиент", "id_клиента", "клиент_id", "код_клиента", "идентификатор_клиента", "покупатель",
        "пользователь", "id_пользователя", "شناسه_مشتری", "مشتری", "کد_مشتری", "شناسه_کاربر", "کاربر",
        "معرف_العميل", "رقم_العميل", "العميل", "عميل", "معرف_المستخدم", "المستخدم", "cliente", "id_cliente",
        "cliente_id", "codigo_cliente", "código_cliente", "customer_unique_id", "usuario", "usuário",
        "id_usuario",
        # German, French, Italian
        "kundennummer", "kunden_nr", "kundennr", "kunden_id", "kundenid", "kunde", "kunde_id", "benutzer",
        "benutzer_id", "id_client", "client_id", "numero_client", "numéro_client", "code_client", "utilisateur",
        "id_utilisateur", "codice_cliente", "id_utente", "utente",
        # Japanese (a shop's or CRM's export: 顧客ID, 会員番号, ユーザーID)
        "顧客id", "顧客番号", "顧客コード", "顧客", "会員id", "会員番号", "お客様番号", "ユーザーid", "ユーザid",
        "ユーザー", "ユーザー名",
    ),
    "timestamp": TIMESTAMP_ALIASES,
    "event": (
        "event", "event_type", "event_name", "eventname", "action", "activity", "touchpoint",
        "interaction", "type", "step", "page_type", "event_action",
        "st_text",  # Brevo's transactional e-mail logs: each row's event ("Sent", "Opened"; "Inviata", "Aperta")
        "typ", "tipo",  # a payments export's transaction type in German, Spanish, Portuguese, Italian (PayPal's 'Typ')
        "событие", "действие", "رویداد", "الحدث", "حدث", "evento", "tipo_evento", "ação", "acao", "acción",
        "accion",
        "ereignis", "aktion", "aktivität", "aktivitaet", "événement", "evenement", "type_evenement", "activité",
        "azione", "attività",
        "イベント", "イベント名", "アクション", "行動",
    ),
    "channel": ("channel", "utm_source", "source", "origin", "medium", "utm_medium", "marketing_channel",
                "traffic_source", "acquisition_channel",
                "source_channel",  # a CRM's (Pipedrive's "Deal - Source channel": Web visitors, Email marketing)
                # Google Analytics: GA4's channel groups and session / first-user source and medium (BigQuery exports
                # flattened by dbt-ga4 and the like, explorations' CSV: "Session default channel group"), UA's
                # channelGrouping
                "session_default_channel_group", "session_default_channel_grouping", "default_channel_group",
                "default_channel_grouping", "channel_grouping", "session_medium", "session_source",
                "session_source_medium", "first_user_default_channel_group", "first_user_medium",
                "first_user_source",
                # Matomo's visits log: how each visit came ("Direct Entry", "Search Engines", "Websites", "Campaigns")
                "referrer_type_name", "referrer_type",
                "via", "ticket_channel", "contact_channel",  # help desks: Zendesk's "Via", "Ticket Channel"
                "канал", "کانال", "القناة", "قناة", "canal", "kanal",
                "quelle", "fuente", "origem", "canale", "チャネル", "チャネル名", "流入元",
                "sales_channel"),  # where an order was sold (Shopify's reports: Online Store, Point of Sale; Amazon.de)
    "device": ("device", "device_type", "devicetype", "device_category", "platform", "gerät", "geraet",
               "endgerät", "appareil", "dispositivo", "plataforma", "plateforme", "устройство", "デバイス", "端末"),
    "department": ("department", "team", "queue", "owner_department", "business_unit"),
    "session_id": ("session_id", "sessionid", "session", "user_session", "visit_id", "visitid"),
    # an order's total (what the buyer paid) before its value: Etsy's 'Order Value' is the items before the coupon
    "revenue": ("revenue", "amount",
                # what an invoice collected, before the "Total" it billed (Chargebee's invoices report: "Total" 120.00,
                # "Amount Adjusted" 20.00 by a credit note, "Amount Paid" 100.00); after a bare "Amount"
                "amount_paid",
                "order_total", "order_value", "sales", "dollar_value", "total", "value",
                "total_price",  # eBay's orders report: what the buyer paid for the order (items, postage, tax)
                # what the buyer paid, tax included: BigCommerce's orders export ("Order Total (inc tax)" beside its
                # "(ex tax)"), Eventbrite's attendee report ("Total Paid" for the ticket, beside "Fees Paid")
                "order_total_inc_tax", "total_paid",
                # Magento's orders grid: the order's grand total in the store's base currency, beside the one the
                # customer was shown ("Grand Total (Purchased)"); Gumroad's sales export: what the buyer paid for
                # the purchase, all its units ("Sale Price ($)", beside "Item Price ($)" and "Net Total ($)")
                "grand_total", "grand_total_base", "grand_total_purchased", "sale_price",
                "purchase_amount", "monetary",
                "purchase_revenue", "total_amount", "order_total_amount", "gross", "gross_amount",
                # a point of sale's sales net of discounts, before tax and tips (Square's item and transaction
                # exports: "Gross Sales", "Discounts", "Net Sales")
                "net_sales",
                # GA4 items flattened from BigQuery: an item's revenue after discounts (quantity x price is not)
                "item_revenue_in_usd", "item_revenue", "purchase_revenue_in_usd",
                "close_value", "deal_value", "deal_amount", "opportunity_amount",  # CRM deals (Maven, HubSpot)
                "conversion_value", "conversions_value",  # an ad platform's or attribution log's conversions' worth
                "brutto", "brut", "bruto", "lordo",  # gross in German, French, Spanish / Portuguese, Italian (PayPal)
                "importe", "monto", "valor", "valor_total", "montant", "betrag", "umsatz", "importo",
                "gesamtbetrag", "bruttobetrag", "total_ttc", "montant_ttc", "importo_totale", "сумма", "выручка",
                "المبلغ", "مبلغ", "金額", "売上", "売上金額", "合計金額", "購入金額", "注文金額"),
    "score": ("score", "rating", "stars", "csat", "nps", "ces", "satisfaction", "review_score",
              "star_rating",  # Google Business Profile's reviews ("starRating": "FIVE")
              "review_stars", "review_rating",  # Trustpilot's review export ('Review Stars')
              "overall",  # Amazon's review data (McAuley's reviewerID, asin, overall, reviewText): the stars
              "survey_results", "survey_result",  # Freshdesk's ticket export: the ticket's satisfaction survey
              "csat_score", "nps_score", "satisfaction_score", "satisfaction_rating", "customer_satisfaction",
              "customer_satisfaction_rating", "customer_satisfaction_score",  # help desks and surveys
              "оценка", "рейтинг", "امتیاز", "التقييم", "nota", "puntuación", "puntuacion", "calificación",
              "polarity", "sentiment", "sentiment_score", "sentiment_label", "bewertung", "sterne", "note_client",
              "valutazione", "avaliação", "avaliacao", "note", "評価", "星評価", "満足度", "スコア", "星の数"),
    "text": ("text", "comment", "comments", "review", "review_text", "feedback", "note", "notes",
             "message", "body", "content", "verbatim",
             "message_body",  # Intercom's conversations export: chat messages, words however short ("Sizes?")
             "review_comment_message", "review_body", "review_content", "comment_text", "текст", "комментарий", "отзыв", "متن",
             "نظر", "دیدگاه", "النص", "تعليق", "مراجعة", "texto", "comentario", "comentário", "reseña", "opinião",
             "kommentar", "bemerkung", "rezension", "commentaire", "avis", "commento", "recensione",
             "コメント", "レビュー", "レビュー本文", "本文", "感想", "ご意見", "お問い合わせ内容"),
    "variant": ("variant", "ab_group", "ab_variant", "experiment_group", "test_group", "arm", "bucket",
                "treatment"),
}


# A review export's reviewer as the site shows them (Trustpilot's 'Reviewer name', Google Business Profile's
# 'displayName'), normalised: the customer id when no column names an id ('Reviewer id', 'Consumer ID', 'reviewerID',
# 'reviewer_email' come first); display names, so each review is one respondent (cjm.data.reviewers.apart).
REVIEWER_NAMES = ("reviewer_name", "reviewer", "reviewed_by", "display_name", "author_name")
TYPEFORM_RANK = 2 * len(ALIASES["customer_id"]) + 1 + len(REVIEWER_NAMES)  # Typeform's "#", after every other name


# The Net Promoter question as survey tools write it for a column's name (SurveyMonkey, Typeform, Google Forms: "How
# likely is it that you would recommend us to a friend or colleague?"), in English, French, Spanish / Portuguese,
# German, Italian and Dutch: a column of 0..10 answers so named is the NPS.
_NPS_QUESTION = re.compile(r"(?:likely|likelihood|probab|wahrscheinlich|waarschijnlijk)[a-z\u00c0-\u024f]*_"
                           r"(?:\w+_)*?[a-z]*?(?:recommend|recommand|recomend|recomiend|empfehl|consigli|raccomand"
                           r"|aanbevel|aanraden)")


def nps_question(column: str) -> bool:
    """Whether a column's name is the Net Promoter question ("How likely are you to recommend us ...?")."""
    return bool(_NPS_QUESTION.search(normalise(column)))


# a satisfaction question's words ("Overall satisfaction", "How satisfied were you?", "Zufriedenheit", "satisfação")
SATISFACTION_WORDS = ("satisf", "zufrieden", "tevreden", "soddisf", "удовлетвор", "満足")


def satisfaction_question(column: str) -> bool:
    """Whether a column's name asks how satisfied the customer is ("Satisfaction", "How satisfied were you?")."""
    name = str(column).lower()
    return any(word in name for word in SATISFACTION_WORDS)


# Id columns named after whoever the export is about, with an id-like suffix or alone, in any case and
# spacing: "Household ID", "household_key", "Account Number", "Anonymous Id", "visitorId", "subscriber".
_ID_WHO = {"customer", "client", "user", "household", "account", "member", "contact", "visitor", "cookie",
           "subscriber", "person", "lead", "buyer", "shopper", "guest", "respondent", "anonymous", "patron",
           # who a sector's records are about: ServiceNow's caller_id, an insurer's Policyholder ID, a clinic's
           # patient_id, an airline's passenger_id, a charity's donor_id, a landlord's tenant_id, a school's student_id
           "caller", "policyholder", "patient", "passenger", "donor", "tenant", "student",
           # who wrote a review (Trustpilot's "Review Consumer User Id", a shop's "Reviewer ID"), who asked (a help
           # desk's "Ticket Requester ID")
           "consumer", "reviewer", "requester",
           # French, Spanish, Portuguese, Italian, German: "Identifiant client", "Número de cliente", "Kunden-Nummer"
           "cliente", "utilisateur", "usuario", "usuário", "utente", "abonné", "abonne", "kunde", "kunden"}
_ID_SUFFIX = {"id", "key", "no", "nr", "num", "number", "code", "identifier", "uuid", "ref",
              "identifiant", "identificador", "identificativo", "numero", "numéro", "número", "nummer", "codigo",
              "código", "codice", "de", "du"}


# A form's or survey's question asking for an e-mail address (Typeform, Google Forms and Jotform name a column after
# the question: "What's your email address?", "Please provide us an email we can reach you"), not a member of staff's
# ("Assignee email", "Agent e-mail"): its answers are who responded, when they are e-mail addresses (`_email_answers`).
_STAFF_WORDS = {"assignee", "agent", "owner", "submitter", "rep", "representative", "manager", "staff", "employee",
                "seller", "merchant", "vendor", "sales", "cc", "bcc"}


# An e-mail marketing audience export (Mailchimp's: "LEID", "EUID", "MEMBER_RATING", "OPTIN_TIME", "CONFIRM_TIME"):
# its "NOTES" are what the account's users wrote about a contact, not the contact's words (`_staff_notes`)
_AUDIENCE_COLUMNS = {"leid", "euid", "member_rating", "optin_time", "confirm_time", "optin_ip", "confirm_ip"}
_NOTE_NAMES = {"note", "notes"}


def _staff_notes(frame: pd.DataFrame) -> set:
    """The "notes" columns of an e-mail marketing audience export (two or more of _AUDIENCE_COLUMNS beside them):
    written about each contact by the account's users, no comment of the contact's (not the text column)."""
    names = {c: normalise(str(c)) for c in frame.columns}
    if len(set(names.values()) & _AUDIENCE_COLUMNS) < 2:
        return set()
    return {c for c, n in names.items() if n in _NOTE_NAMES}


def asks_for_email(column) -> bool:
    """Whether a column's name has the word e-mail ('email', 'e-mail', 'mail' after 'e') among its words, and no
    member of staff's word: the column of an e-mail question beside the aliases ('Email', 'Email Address')."""
    words = normalise(str(column)).split("_")
    emails = "email" in words or "emails" in words or any(
        a == "e" and b == "mail" for a, b in zip(words, words[1:]))
    return emails and not set(words) & _STAFF_WORDS


def _email_answers(column: str, series: pd.Series) -> bool:
    """An e-mail question's column is the respondents' ids when its answers are e-mail addresses (80% of the filled
    ones) and at least half the rows answered: a question most skipped leaves each row one respondent instead."""
    return filled_share(series) >= 0.5 and holds_people(column, series)


# Typeform names the column of its response ids "#" ("hefupfubphvacf8sv12ch63vnvacgl4s", 32 letters and digits): each
# response is one respondent, as SurveyMonkey's "Respondent ID" says, when no column names who answered.
_RESPONSE_TOKEN = re.compile(r"[a-z0-9]{32}")


def _response_tokens(series: pd.Series) -> bool:
    """Typeform's response ids: 80% of the filled values of 32 lower-case letters and digits."""
    text = _sample(series).astype("string").str.strip()
    return bool(len(text)) and bool(text.str.fullmatch(_RESPONSE_TOKEN).mean() >= 0.8)


# The record an export lists, written before the id of whom it is about ("Review Consumer User Id" of Trustpilot's
# reviews, "Deal - Contact person ID" of Pipedrive's deals, "Ticket Requester ID"): the id is still that person's.
_RECORD_PREFIXES = {"review", "order", "ticket", "deal", "opportunity", "conversation"}


# A person's account name after whose it is: eBay's orders report names its buyer "Buyer Username" (its renamed
# layout "Buyer User ID"), with no id beside it.
_ACCOUNT_NAME = {"username", "login"}


def _id_by_words(column: str) -> bool:
    words = normalise(column).split("_")
    if len(words) > 2 and words[0] in _RECORD_PREFIXES:
        words = words[1:]
    return bool(words) and any(w in _ID_WHO for w in words) and all(
        w in _ID_WHO | _ID_SUFFIX | _ACCOUNT_NAME for w in words)




@dataclass
class ColumnMapping:
    """Which source column supplies each canonical column; the user confirms or overrides it."""

    columns: dict[str, str] = field(default_factory=dict)
    event_constant: str | None = None  # used when no column supplies `event`: every row is this touchpoint
    day_first: bool | None = None
    timezone: str = "UTC"
    # revenue = quantity x unit price when no column supplies revenue: [quantity column, unit price column]
    revenue_from: list[str] | None = None
    # "long": one row per interaction; "wide": one row per order/ticket/lead, one event per filled column of
    # `wide_events`, `wide_due` columns (promised / estimated dates) become on-time/late attributes;
    # "anonymous": no id, each row is one respondent.
    shape: str = "long"
    wide_events: list[str] = field(default_factory=list)
    wide_due: list[str] = field(default_factory=list)
    # Identical rows are separate events (an export without order ids: two equal orders on one day), not
    # duplicates of one row. Off by default (DESIGN.md section 3: exact duplicates are set aside).
    keep_identical: bool = False
    # A conversation export (cjm.data.conversations): {"inbound", "author"[, "message_id", "reply_to"]} -> columns;
    # the customer is the author of the inbound messages, and a company reply the event of the customer it answers.
    conversation: dict[str, str] | None = None
    # A customers file's ids also join the events' ids written another way (cjm.data.joins): ids whose leading
    # zeros a spreadsheet dropped, and a second id column (the e-mail beside a payments cus_ id). Off: only ids
    # written exactly alike join (two unrelated files whose numeric ids overlap by chance).
    inferred_joins: bool = True
    # A yes / no column saying whether each row bought (a sessions export's "Revenue" TRUE / FALSE) when no column
    # supplies `event`: each yes row is also a 'purchase' event of its customer at its time; the column stays an
    # attribute. None: read no such column (cjm.data.purchases.flagged_purchases).
    purchase_flag: str | None = None
    # A column of times of day completing the dates of the timestamp column ('Date' 03/01/2024 beside 'Time'
    # 09:15:02: PayPal's activity export in every language, tills, bank statements): each row's time is its date at
    # that time. None: the timestamp column alone.
    time_of_day: str | None = None
    # The id of who signed in, beside an anonymous `customer_id` written on every event (Mixpanel's $user_id beside
    # distinct_id, GA4's user_id beside user_pseudo_id): each event is the person's who signed in on its anonymous id
    # (cjm.data.identities). None: the customer_id column alone.
    signed_in_id: str | None = None
    # With `signed_in_id`, the id of an event that has neither it nor the anonymous `customer_id` (Mixpanel's
    # distinct_id beside $device_id and $user_id: an event a server tracked has distinct_id alone): a person's id when
    # someone signed in with it, else a browser's or device's (cjm.data.identities.fallen_back). None: such a row has
    # no customer id.
    fallback_id: str | None = None
    # A column naming each row's event where the event column is blank: a Segment or RudderStack message log's "type"
    # (a "track" call names its event in "event"; a "page", "screen" or "identify" call has none, and is that call).
    # None: a row with no event is set aside as 'missing event'.
    event_fallback: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ColumnMapping":
        unknown = set(data) - {"columns", "event_constant", "day_first", "timezone", "revenue_from", "shape",
                               "wide_events", "wide_due", "keep_identical", "conversation",
                               "inferred_joins", "purchase_flag", "time_of_day", "signed_in_id", "fallback_id",
                               "event_fallback"}
        if unknown:
            raise MappingError(f"The mapping file has unknown keys {sorted(unknown)}; expected 'columns', "
                               "'event_constant', 'day_first', 'timezone', 'revenue_from', 'shape', 'wide_events', "
                               "'wide_due', 'keep_identical', 'conversation', 'inferred_joins', 'purchase_flag', "
                               "'time_of_day', 'signed_in_id', 'fallback_id' and 'event_fallback'. Save a mapping "
                               "from the Data page to see the format.")
        signed_in = data.get("signed_in_id")
        if signed_in is not None and (not isinstance(signed_in, str) or not signed_in):
            raise MappingError(f"The mapping's 'signed_in_id' must be the name of the column of who signed in or null; "
                               f"got {signed_in!r}.")
        fallback = data.get("fallback_id")
        if fallback is not None and (not isinstance(fallback, str) or not fallback):
            raise MappingError(f"The mapping's 'fallback_id' must be the name of the column of the id of an event with "
                               f"neither the customer id nor the signed-in id, or null; got {fallback!r}.")
        event_fallback = data.get("event_fallback")
        if event_fallback is not None and (not isinstance(event_fallback, str) or not event_fallback):
            raise MappingError(f"The mapping's 'event_fallback' must be the name of the column naming a row's event "
                               f"where the event column is blank, or null; got {event_fallback!r}.")
        time_of_day = data.get("time_of_day")
        if time_of_day is not None and (not isinstance(time_of_day, str) or not time_of_day):
            raise MappingError(f"The mapping's 'time_of_day' must be the name of a column of times of day or null; "
                               f"got {time_of_day!r}.")
        flag = data.get("purchase_flag")
        if flag is not None and (not isinstance(flag, str) or not flag):
            raise MappingError(f"The mapping's 'purchase_flag' must be the name of a yes / no column or null; got "
                               f"{flag!r}.")
        columns = dict(data.get("columns") or {})
        bad = sorted(set(columns) - set(schema.CANONICAL))
        if bad:
            raise MappingError(f"The mapping names {bad}, which are not cjm columns. Use any of "
                               f"{list(schema.CANONICAL)}.")
        shape = data.get("shape") or "long"
        if shape not in SHAPES:
            raise MappingError(f"The mapping's shape is {shape!r}; expected one of {list(SHAPES)}.")
        return cls(columns=columns, event_constant=data.get("event_constant"),
                   day_first=data.get("day_first"), timezone=data.get("timezone") or "UTC",
                   revenue_from=list(data["revenue_from"]) if data.get("revenue_from") else None, shape=shape,
                   wide_events=list(data.get("wide_events") or []), wide_due=list(data.get("wide_due") or []),
                   keep_identical=_flag(data.get("keep_identical", False), "keep_identical"),
                   conversation=_conversation(data.get("conversation")),
                   inferred_joins=_flag(data.get("inferred_joins", True), "inferred_joins"), purchase_flag=flag,
                   time_of_day=time_of_day, signed_in_id=signed_in, fallback_id=fallback,
                   event_fallback=event_fallback)

    def used_columns(self) -> set[str]:
        return (set(self.columns.values()) | set(self.revenue_from or ()) | set(self.wide_events) | set(self.wide_due)
                | ({self.time_of_day} if self.time_of_day else set())
                | ({self.signed_in_id} if self.signed_in_id else set())
                | ({self.fallback_id} if self.fallback_id and self.signed_in_id else set())
                | ({self.event_fallback} if self.event_fallback and "event" in self.columns else set()))

    def describe(self) -> dict[str, str]:
        """canonical -> source, as shown in the mapping and the report ("= ..." for derived values)."""
        out = dict(self.columns)
        if self.shape == "anonymous" and "customer_id" not in out:
            out["customer_id"] = "= each row is one respondent"
        if self.shape == "wide":
            out["event"] = "= one event per filled column: " + ", ".join(self.wide_events)
            if "timestamp" in out:
                del out["timestamp"]
            out["timestamp"] = "= the value of that column"
        elif self.event_constant and "event" not in out:
            out["event"] = f"= {self.event_constant}"
            if self.purchase_flag:
                out["event"] += f", and also purchase where {self.purchase_flag} is yes"
        if self.conversation and out.get("customer_id") == self.conversation["author"]:
            out["customer_id"] = (f"{out['customer_id']} of the inbound messages ({self.conversation['inbound']}); "
                                  "a reply is the customer's it answers")
        if self.signed_in_id and "customer_id" in out:
            out["customer_id"] = f"{out['customer_id']}, or {self.signed_in_id} of who signed in there"
            if self.fallback_id:
                out["customer_id"] += f" (on an event with neither, {self.fallback_id})"
        if self.event_fallback and "event" in out and self.shape != "wide":
            out["event"] = f"{out['event']}, else {self.event_fallback}"
        if self.time_of_day and "timestamp" in out and self.shape != "wide":
            out["timestamp"] = f"{out['timestamp']} + {self.time_of_day}"
        if self.time_of_day and self.shape == "wide":
            paired = next((c for c in self.wide_events if completes_by_name(c, self.time_of_day)), None)
            if paired is not None:
                out["timestamp"] += f" ({paired} + {self.time_of_day})"
        if self.revenue_from and "revenue" not in out:
            out["revenue"] = f"= {self.revenue_from[0]} x {self.revenue_from[1]}"
        return out

    def source(self, canonical: str) -> str | None:
        return self.columns.get(canonical)


SHAPES = ("long", "wide", "anonymous")


def _flag(value, key: str) -> bool:
    """A yes/no setting of a mapping file: true or false (JSON booleans), else a MappingError naming it."""
    if isinstance(value, bool):
        return value
    raise MappingError(f"The mapping's {key!r} must be true or false; got {value!r}. Write it without quotes, "
                       f'e.g. "{key}": true.')
def _conversation(value) -> dict[str, str] | None:
    """A mapping file's "conversation": null, or column names under "inbound" and "author" (and optionally
    "message_id" and "reply_to", or "thread"), else a MappingError naming what is wrong."""
    if value is None:
        return None
    keys = {"inbound", "author", "message_id", "reply_to", "thread"}
    if (not isinstance(value, dict) or not {"inbound", "author"} <= set(value) or set(value) - keys
            or not all(isinstance(v, str) for v in value.values())):
        raise MappingError(f"The mapping's 'conversation' must be null or name columns under 'inbound' and 'author' "
                           f"(and optionally 'message_id' and 'reply_to', or 'thread'); got {value!r}.")
    return dict(value)


ANONYMOUS_MIN_ROWS = 10  # a file with neither ids nor dates is read as sessions only when it has this many rows
QUANTITY = ("quantity", "qty", "units", "quantity_ordered", "count", "количество", "cantidad", "quantidade",
            "تعداد", "الكمية")
UNIT_PRICE = ("unit_price", "unitprice", "price", "item_price", "price_each", "unit_cost", "цена", "precio",
              "preço", "preco", "قیمت", "السعر")


_NESTED_NAMES = {
    "event": {"event", "event_type", "event_name", "eventname"},
    "channel": {"channel", "utm_source", "utm_medium", "medium", "marketing_channel", "traffic_source",
                "acquisition_channel"},
    "device": {"device", "device_type", "devicetype", "device_category"},
}
_NESTED_NOT_TEXT = {"body", "content", "message", "note", "notes"}


def _nested_name_fits(canonical: str, leaf: str) -> bool:
    """Whether the last name of a nested JSON field says what it holds on its own (see _alias_rank)."""
    if canonical == "customer_id":
        return (leaf.endswith("id") and leaf != "id") or "email" in leaf
    if canonical in _NESTED_NAMES:
        return leaf in _NESTED_NAMES[canonical]
    if canonical == "text":
        return leaf not in _NESTED_NOT_TEXT
    return True


def _alias_rank(canonical: str, column: str) -> int | None:
    norm = normalise(column)
    aliases = ALIASES[canonical]
    if canonical == "score" and norm in aliases and satisfaction_question(column) and not norm.startswith("csat"):
        return len(aliases) + 0.25  # "Satisfaction" beside the recommend question: the NPS keeps the score
    if norm in aliases:
        return aliases.index(norm)
    if canonical == "customer_id" and _id_by_words(column):
        # before a person's name and the names after it: Recurly's transactions name the "account_code" charged
        # beside the "name" on the card, and two people share a name
        return aliases.index("username") - 0.5
    if canonical == "customer_id" and "." not in str(column) and asks_for_email(column):
        # a form's question, after every id at the top level or nested; its answers are checked in the guess
        return 2 * len(aliases)
    if canonical == "customer_id" and norm in REVIEWER_NAMES:  # after every id, at the top level or nested
        return 2 * len(aliases) + 1 + REVIEWER_NAMES.index(norm)
    if canonical == "customer_id" and str(column).strip() == "#":  # Typeform's response token, after everything
        return TYPEFORM_RANK
    if canonical == "customer_id" and norm in DEAL_ID_NAMES:
        # a CRM's deals with no contact or account id (Pipedrive's "Deal - ID"): the deal is the customer, as a
        # HubSpot deals export's "Record ID" is; after every person's id and name
        return TYPEFORM_RANK - 0.5
    if canonical == "score" and norm.endswith(("_sentiment", "_polarity")):  # airline_sentiment
        return len(aliases)
    if canonical == "score" and nps_question(column):  # a survey tool names the column after its question
        return len(aliases)
    if canonical == "score" and satisfaction_question(column):  # after the recommend question, whatever the order
        return len(aliases) + 0.5
    words = norm.split("_")
    if canonical in ("channel", "device") and len(words) > 1 and words[0] in _RECORD_PREFIXES and (
            "_".join(words[1:]) in aliases):
        # how a record came or on what it was made, written after the record (Pipedrive's "Deal - Source channel"),
        # ranked after every field so named alone; not the customer ("Order - ID" is the order's), nor the event (a
        # "Ticket Type" is the ticket's kind)
        return len(aliases) + 1 + aliases.index("_".join(words[1:]))
    if "." in str(column) and not str(column).endswith("."):
        # a JSON export's nested field ("properties.distinct_id" of a Mixpanel export, "properties.time"): its
        # last name, ranked after every field named so at the top level, when that name cannot mean another
        # thing inside an object ("context.library.name" is no customer, "context.device.type" no event)
        leaf = normalise(str(column).rsplit(".", 1)[1])
        if leaf in aliases and _nested_name_fits(canonical, leaf):
            return len(aliases) + 1 + aliases.index(leaf)
    return None


def suggest_mapping(frame: pd.DataFrame, *, timestamp_score=None) -> ColumnMapping:
    """Guess the mapping from column names, then from content for the required columns.

    `timestamp_score(series) -> share parsed` lets the content check use the real date parser.
    """
    taken: set[str] = set()
    columns: dict[str, str] = {}
    staff_notes = _staff_notes(frame)  # Mailchimp's NOTES: about the contact, by the account's users
    for canonical in schema.CANONICAL:
        ranked = sorted(
            (rank, i, col) for i, col in enumerate(frame.columns)
            if col not in taken and (rank := _alias_rank(canonical, col)) is not None
        )
        # A column with no value at all comes after those with values: Amazon's empty "order-channel" is no
        # channel beside its "sales-channel" (Amazon.de), though named more like one.
        ranked.sort(key=lambda item: _sample(frame[item[2]], 1).empty)
        for rank, _, col in ranked:
            if (canonical == "customer_id" and rank == 2 * len(ALIASES[canonical])
                    and not _email_answers(col, frame[col])):
                continue  # "Email Marketing Consent" (yes / no), an e-mail question most respondents skipped
            if canonical == "customer_id" and rank == TYPEFORM_RANK and not _response_tokens(frame[col]):
                continue  # a "#" of row numbers names no one
            if canonical == "text" and col in staff_notes:
                continue  # an audience export's NOTES: the account's users' words about the contact
            if _content_fits(canonical, frame[col], timestamp_score):
                columns[canonical] = col
                taken.add(col)
                break
        else:
            if canonical == "timestamp" and ranked:
                # Named like a date but nothing parses: map it anyway, so the user is told why, with examples.
                columns[canonical] = ranked[0][2]
                taken.add(ranked[0][2])
        if canonical == "customer_id" and canonical in columns:
            better = _better_customer_column(frame, columns[canonical], [c for _, _, c in ranked], taken)
            if better is not None:
                taken.discard(columns[canonical])
                columns[canonical] = better
                taken.add(better)
    if "timestamp" not in columns and timestamp_score is not None:
        col = _timestamp_by_content(frame, taken, timestamp_score)
        if col is not None:
            columns["timestamp"] = col
            taken.add(col)
    if "timestamp" in columns and timestamp_score is not None:
        timed = timed_same_moment(frame, columns["timestamp"], taken, timestamp_score)
        if timed is not None:  # Matomo's 'serverDate' beside its 'lastActionDateTime': the moment with its time
            taken.discard(columns["timestamp"])
            columns["timestamp"] = timed
            taken.add(timed)
    mapping_time = time_of_day_column(frame, columns["timestamp"], taken) if "timestamp" in columns else None
    if mapping_time is not None:
        taken.add(mapping_time)
    if "text" not in columns:
        text = _free_text_column(frame, taken | staff_notes, line_items=_quantity_and_price(frame, taken) is not None,
                                 timestamp_score=timestamp_score)
        if text is not None:
            columns["text"] = text
            taken.add(text)
    mapping = ColumnMapping(columns=columns, time_of_day=mapping_time)
    if "revenue" not in columns and (line_total := _amazon_line_total(frame, taken)) is not None:
        columns["revenue"] = line_total
        taken.add(line_total)
    if "revenue" not in columns:
        mapping.revenue_from = _quantity_and_price(frame, taken)
    named_event = _event_beside_call_types(frame, columns, taken)
    if named_event is not None:  # a Segment message log: its track calls' "event", else the call's "type"
        mapping.event_fallback = columns["event"]
        columns["event"] = named_event
        taken.add(named_event)
    umami = _umami_columns(frame)
    if umami is not None:  # Umami's data export: see _umami_columns
        columns.update(customer_id=umami["session_id"], session_id=umami["visit_id"], event=umami["event_name"])
        mapping.event_fallback, mapping.event_constant = umami["url_path"], None
        if filled_share(frame[umami["distinct_id"]]) > 0:
            mapping.signed_in_id = umami["distinct_id"]
        taken.update(columns.values())
    if "event" in columns and timestamp_score is not None and _record_type(frame, columns, timestamp_score):
        taken.discard(columns.pop("event"))  # Freshdesk's ticket Type, a Salesforce opportunity's Type: an attribute
    # the author may be the customer chosen already (Intercom's "message_author_email"): of its inbound messages only
    mapping.conversation = conversations.detect(frame, {c: normalise(c) for c in frame.columns
                                                        if c not in taken or c == columns.get("customer_id")})
    if mapping.conversation is not None and "customer_id" not in columns:  # the author of the inbound messages
        columns["customer_id"] = mapping.conversation["author"]
        taken.add(columns["customer_id"])
    if ("event" not in columns and timestamp_score is not None and "customer_id" in columns
            and mapping.conversation is None and not _stage_history(frame, columns)):
        wide, due = wide_columns(frame, columns, timestamp_score)
        if len(wide) >= 2:
            mapping.shape, mapping.wide_events, mapping.wide_due = "wide", wide, due
            columns.pop("timestamp", None)
            # the times of day of one of the steps' dates, named after it (BigCommerce's "Order Time" of its
            # "Order Date" beside "Date Shipped"): that step's events are at their times (cjm.data.dataset)
            taken.discard(mapping.time_of_day)
            mapping.time_of_day = next((t for c in wide if (t := time_of_day_column(frame, c, taken, by_name_only=True))
                                        is not None), None)
            return mapping
    if "customer_id" not in columns and ("score" in columns or "text" in columns or (
            "timestamp" not in columns and len(frame) >= ANONYMOUS_MIN_ROWS)):
        # Reviews, survey answers or web sessions with no id: each row is one respondent / session.
        mapping.shape = "anonymous"
    if "event" not in columns:
        mapping.event_constant = default_event_name(columns, frame, revenue=bool(mapping.revenue_from))
    return mapping


# Words that say a column of numbers holds something other than dates, even when its numbers read as dates (invoice
# numbers 43001.. are Excel's 2017, Ohio's ZIP codes 43215..45202 its 2018..2023, car prices its 2014..2036): ids and
# codes, places, phones, money, quantities, ratings and ages.
_NOT_DATE_WORDS = frozenset(
    (_ID_SUFFIX - {"de", "du"})
    | {a for a in ALIASES["revenue"] + ALIASES["score"] + QUANTITY + UNIT_PRICE if "_" not in a}
    | {"zip", "zipcode", "postal", "postcode", "plz", "cep", "phone", "telephone", "tel", "mobile", "fax",
       "price", "amount", "total", "cost", "income", "salary", "wage", "balance", "qty", "quantity", "count", "age",
       "score"})


def _timestamp_by_content(frame: pd.DataFrame, taken: set[str], timestamp_score) -> str | None:
    """The timestamp found by content when no column is named as one: the first column whose values read as dates,
    among those whose name has a date word ("Sale Date", "Customer Since"), else among columns of text (dates written
    out), else among columns of bare numbers (Excel serials, epoch seconds) whose name does not say they hold
    something else ("Price", "InvoiceNo", "zip" hold numbers that only happen to fall in a date style's range)."""
    named, text, numbers = [], [], []
    for col in frame.columns:
        if col in taken or col == "__line__":
            continue
        if names_a_date(col):
            named.append(col)
        elif not _numeric_text(frame[col]):
            text.append(col)
        elif not set(normalise(str(col)).split("_")) & _NOT_DATE_WORDS:
            numbers.append(col)
    named = _fuller_first(frame, named)
    return next((c for c in named + text + numbers if _content_fits("timestamp", frame[c], timestamp_score)), None)


def _fuller_first(frame: pd.DataFrame, named: list[str]) -> list[str]:
    """Date-named columns in the export's order, but one filled in at least twice as many rows as the first moved
    before it: a date most rows lack dates something that happened to a few records (Trustpilot's "Company Reply Date
    (UTC)", filled on the reviews the company answered), not each row (its "Review Created (UTC)")."""
    if len(named) < 2:
        return named
    first = filled_share(frame[named[0]])
    fuller = next((c for c in named[1:] if filled_share(frame[c]) >= 2 * first and filled_share(frame[c]) > 0), None)
    return named if fuller is None else [fuller] + [c for c in named if c != fuller]


PERSON_COLUMNS = ("email", "e_mail", "email_address", "customer_email", "billing_email", "requester_email",
                  "requester_id", "requester", "phone", "phone_number", "telephone", "mobile", "customer_phone")


FILL_SAMPLE = 20_000  # rows read to compare how full two id columns are (every upload goes through the guess)


def filled(series: pd.Series) -> pd.Series:
    """Which of the first FILL_SAMPLE rows hold a value (missing-value tokens do not count)."""
    text = series.iloc[:FILL_SAMPLE].astype("string").str.strip()
    return (text.notna() & ~text.str.lower().isin(_NOT_A_NUMBER)).astype(bool)


def filled_share(series: pd.Series) -> float:
    """Share of the first FILL_SAMPLE rows that hold a value (missing-value tokens do not count). A share of a
    head sample, not a count of the whole column: stripping and comparing 1M cells cost 0.2-0.6 s per load."""
    return float(filled(series).mean()) if len(series) else 0.0


_PHONE_RE = re.compile(r"\+?[\d\s().\-/]{6,24}")


def holds_people(column: str, series: pd.Series) -> bool:
    """An e-mail column holds e-mail addresses, a phone column phone numbers (most filled values): a "Phone"
    column of device types ("iPhone", "Android") or a "Mobile" column of yes / no names no one."""
    text = series.astype("string").str.strip()
    text = text[text.notna() & ~text.str.lower().isin(_NOT_A_NUMBER)].iloc[:10_000]
    if text.empty:
        return False
    name = normalise(column)
    if "mail" in name:
        return bool(text.str.contains("@", regex=False).mean() >= 0.8)
    if name.startswith("requester"):
        return True
    digits = text.str.count(r"\d")
    return bool((text.str.fullmatch(_PHONE_RE) & digits.between(6, 15)).mean() >= 0.8)


def _better_customer_column(frame: pd.DataFrame, chosen: str, candidates: list[str], taken: set[str]) -> str | None:
    """Another column than the best-named one, when that one would reject most rows or names records:
    - an id that most rows lack is not the file's customer: a GA4 export's user_id is set for signed-in
      users only, its user_pseudo_id on every event; a named candidate filled in at least twice as many
      rows is taken instead;
    - a bare "Id" / "Record ID" may name the row's record (see `_person_instead_of_record_id`)."""
    filled = filled_share(frame[chosen])
    if filled < 0.5:
        fuller = next((c for c in candidates if c != chosen and c not in taken and filled_share(frame[c]) >= 2 * filled
                       and _names_an_identifier(c) and _content_fits("customer_id", frame[c], None)), None)
        if fuller is not None:
            return fuller
    if normalise(chosen) in ("id", "record_id"):
        return (_person_instead_of_record_id(frame, chosen, taken) or _deal_instead_of_row_id(frame, chosen, taken)
                or _account_instead_of_deal_id(frame, chosen, taken) or _buyer_instead_of_order_id(frame, chosen, taken))
    return _email_instead_of_guest_id(frame, chosen, taken)


# A customer id a shop writes for whoever checked out as a guest (BigCommerce's orders export: "Customer ID" 0 for a
# guest's order), normalised and lower-cased.
GUEST_IDS = {"0", "-1", "guest"}


def guest_id_note(frame: pd.DataFrame, mapping: "ColumnMapping") -> str | None:
    """The note saying why an e-mail column is the customer beside a column of customer ids: that column writes one
    guest id for people of different e-mail addresses (`_email_instead_of_guest_id`). None otherwise."""
    customer = mapping.columns.get("customer_id")
    if customer is None or not asks_for_email(customer):
        return None
    taken = set(mapping.used_columns())
    for column in frame.columns:
        if column in taken or _alias_rank("customer_id", column) is None or asks_for_email(column):
            continue
        if _email_instead_of_guest_id(frame, column, taken - {customer}) == customer:
            ids = frame[column].astype("string").str.strip().str.lower()
            guests = ids.isin(GUEST_IDS).fillna(False)
            written = frame[column][guests].astype("string").str.strip().iloc[0]
            n = int(frame.loc[guests.to_numpy(), customer].astype("string").str.strip().str.lower().nunique())
            return (f"{column!r} writes {written!r} on the rows of {n:,} different e-mail addresses (guests, who "
                    f"have no account): the customer is {customer!r}, so each guest is one customer.")
    return None


def _email_instead_of_guest_id(frame: pd.DataFrame, chosen: str, taken: set[str]) -> str | None:
    """An e-mail column beside a customer id that writes one value for every guest (GUEST_IDS: BigCommerce's
    "Customer ID" 0 beside its "Customer Email"): the e-mail is the customer, when it is filled on as many rows and
    that one id stands on rows of two different e-mail addresses (guests who are different people). Keyed by the
    id, every guest's order was one customer's: two guests bought once each read as one repeat buyer."""
    ids = frame[chosen].iloc[:FILL_SAMPLE].astype("string").str.strip().str.lower()
    guests = ids.isin(GUEST_IDS).fillna(False).to_numpy()
    if guests.sum() < 2:
        return None
    needed = filled_share(frame[chosen])
    for column in frame.columns:
        if column in taken or column == chosen or not asks_for_email(column) or filled_share(frame[column]) < needed:
            continue
        if not holds_people(column, frame[column]):
            continue
        emails = frame[column].iloc[:FILL_SAMPLE].astype("string").str.strip().str.lower()[guests]
        if emails.dropna().nunique() >= 2:
            return column
    return None


# The account a CRM's deal is with (HubSpot's "Associated Company", a deals report's "Company" or "Account Name",
# Pipedrive's "Organization"), normalised.
ACCOUNT_COLUMNS = {"associated_company", "associated_company_name", "associated_company_id",
                   "associated_company_ids", "company", "company_name", "company_id", "account_name", "organization",
                   "organization_name", "organisation", "organisation_name"}


def _account_instead_of_deal_id(frame: pd.DataFrame, record_id: str, taken: set[str]) -> str | None:
    """A deals export (one row per deal: a deal stage column naming won or lost deals) whose bare "Record ID" / "Id"
    names each deal: the account the deal is with, in a column filled on as many rows, is the customer. An account's
    deals are one buyer's journey (Acme's two won deals a repeat purchase, not two customers who bought once), as a
    Salesforce opportunities export is keyed by its AccountId. None when the file names no won or lost deal or no
    account column is filled as fully."""
    if not any(c not in taken and normalise(str(c)) in STAGE_NAMES and stage_outcomes(frame[c]) is not None
               for c in frame.columns):
        return None
    needed = filled_share(frame[record_id])
    return next((c for c in frame.columns if c not in taken and c != record_id
                 and normalise(str(c)) in ACCOUNT_COLUMNS and filled_share(frame[c]) >= needed), None)


def _deal_instead_of_row_id(frame: pd.DataFrame, record_id: str, taken: set[str]) -> str | None:
    """A deal stage history exported from its object (Salesforce's OpportunityHistory: Id, OpportunityId, CreatedDate,
    StageName, Amount): its bare Id names each history row, a value of its own on every row, and the deal id column
    beside it, filled as fully, repeats (a deal entered several stages): the deal is the customer, as in an export of
    one row per deal (HubSpot's Record ID). None when the Id repeats or no deal id column repeats."""

    ids = frame[record_id].iloc[:FILL_SAMPLE].dropna()
    if not len(ids) or not ids.is_unique:
        return None
    needed = filled_share(frame[record_id])
    return next((c for c in frame.columns if c not in taken and c != record_id and normalise(str(c)) in DEAL_ID_NAMES
                 and filled_share(frame[c]) >= needed and frame[c].iloc[:FILL_SAMPLE].dropna().duplicated().any()),
                None)


def _stage_history(frame: pd.DataFrame, columns: dict[str, str]) -> bool:
    """A deal stage history (one row per stage a deal entered) keyed by its deal: the customer column is a deal id
    whose values repeat, and a deal stage column names won or lost deals. Its date columns beside the row's own
    (Salesforce's CloseDate, the forecast on each history row) are no steps: the file is long, its stage the event
    (cjm.data.deals.stage_event_column), not wide."""

    customer = columns.get("customer_id")
    if customer is None or normalise(str(customer)) not in DEAL_ID_NAMES:
        return False
    if not frame[customer].iloc[:FILL_SAMPLE].dropna().duplicated().any():
        return False
    taken = set(columns.values())
    return any(c not in taken and normalise(str(c)) in STAGE_NAMES and stage_outcomes(frame[c]) is not None
               for c in frame.columns)


def _names_an_identifier(column: str) -> bool:
    """An id, key, number, e-mail, phone or cookie by its name: what may stand in for a sparse customer id. Bare
    words ("name", "user", "client", "member", "account") name a product, a sales rep, a browser, a yes/no flag
    or a company as often as the person: a file's sparse user_id stays its customer rather than those."""
    norm = normalise(column)
    return (norm in PERSON_COLUMNS or norm.endswith(("id", "_key", "_number", "email", "cookie"))
            or norm in ("cookie", "household"))


def _person_instead_of_record_id(frame: pd.DataFrame, record_id: str, taken: set[str]) -> str | None:
    """A bare "Id" names a row's record (an order, a ticket) as often as a person: a Shopify orders export's Id
    is the order, and its line items have none; a help desk's is the ticket. An e-mail, requester or phone
    column filled in at least as many rows, and holding e-mail addresses / phone numbers, is the customer
    instead (in that order); None when there is none, or when the file lists people (`_lists_people`)."""
    ranked = sorted((PERSON_COLUMNS.index(normalise(c)), i, c) for i, c in enumerate(frame.columns)
                    if c not in taken and normalise(c) in PERSON_COLUMNS)
    needed = filled_share(frame[record_id])
    person = next((c for _, _, c in ranked
                   if _content_fits("customer_id", frame[c], None)
                   and (filled_share(frame[c]) >= needed or _names_lines_the_id_lacks(frame, record_id, c))
                   and holds_people(c, frame[c])), None)
    return None if person is None or _lists_people(frame, record_id, person) else person


def _names_lines_the_id_lacks(frame: pd.DataFrame, record_id: str, person: str) -> bool:
    """The Id numbers records written on their first line only, a value of its own each, while the person column names
    the buyer on the lines without one too (Shopify's orders export: 'Id' on an order's first line, 'Email' on each of
    its line items). Such an Id is the order, though the e-mail is filled on fewer rows (orders taken by phone or in a
    shop, without an e-mail): keyed by it, each order was a customer of its own and its later lines had none."""
    has_id, has_person = filled(frame[record_id]), filled(frame[person])
    ids = frame[record_id].iloc[:FILL_SAMPLE][has_id]
    return bool(ids.is_unique and (has_person & ~has_id).any())


# A column named for the buyer alone, in the languages shops write it (PrestaShop's orders export: "Customer" /
# "Client" / "Kunde" beside the order's bare "ID"), normalised.
BUYER_COLUMNS = {"customer", "client", "cliente", "kunde", "buyer", "acheteur", "käufer", "kaeufer", "comprador",
                 "acquirente", "покупатель", "клиент", "顧客", "購入者"}


def _buyer_instead_of_order_id(frame: pd.DataFrame, record_id: str, taken: set[str]) -> str | None:
    """An orders export whose bare "ID" numbers its orders (a value of its own on every row) beside a column named
    for the buyer ("Client": PrestaShop writes "M. Durand", the initial and the family name), or for whose id it is
    ("person" of Delighted's survey responses, "Person ID", "account_code": `_id_by_words`), filled as fully whose
    values repeat (a buyer's second order, a person's second answer): the buyer is the customer. Keyed by the ID,
    every order was a customer of its own, no one ever came back. None when the ID repeats, the buyer column never
    does, or the file lists people (a first or last name column: a contacts export whose Id is the person)."""
    ids = frame[record_id].iloc[:FILL_SAMPLE].dropna()
    if not len(ids) or not ids.is_unique:
        return None
    needed = filled_share(frame[record_id])
    for column in frame.columns:
        if column in taken or column == record_id or not (
                normalise(str(column)) in BUYER_COLUMNS or _id_by_words(str(column))):
            continue
        buyers = frame[column].iloc[:FILL_SAMPLE].astype("string").str.strip().str.lower().dropna()
        if filled_share(frame[column]) < needed or not buyers.duplicated().any():
            continue
        if _lists_people(frame, record_id, column):
            continue
        return column
    return None


# A person's first or last name on every row: the file may list people (a CRM's contacts), not orders or tickets.
GIVEN_OR_FAMILY_NAMES = {"first_name", "last_name", "given_name", "family_name", "surname", "forename", "vorname",
                         "nachname", "prénom", "prenom", "nom_de_famille", "nombre", "apellido", "apellidos", "nome",
                         "cognome", "sobrenome",
                         "firstname", "lastname", "fname", "lname"}  # HubSpot's and Mailchimp's field names


def _lists_people(frame: pd.DataFrame, record_id: str, person: str) -> bool:
    """A contacts export (HubSpot, Salesforce): one row per person, each with a first or last name and an Id of
    their own. Its Id is the person; an e-mail a household shares or a company's switchboard phone is not.
    Names tell the two apart where records share an e-mail / phone: under another name it is another person
    sharing it (a household, a company), under the same name the same person on another record (their second
    order, form submission or ticket), whose Id names the record. Where no record shares one, the Id is the
    person when it is unique (over the first FILL_SAMPLE rows)."""
    names = [c for c in frame.columns if normalise(c) in GIVEN_OR_FAMILY_NAMES and filled_share(frame[c]) >= 0.5]
    if not names:
        return False
    ids = frame[record_id].iloc[:FILL_SAMPLE].dropna()
    head = frame[[person] + names].iloc[:FILL_SAMPLE].loc[ids.index].astype("string")
    head = head.apply(lambda column: column.str.strip().str.lower())  # Ann@X.com is ann@x.com, ANN is Ann
    records = head[~ids.duplicated().to_numpy() & head[person].notna().to_numpy()
                   & ~head[person].isin(_NOT_A_NUMBER).to_numpy()]
    shared = records[records.duplicated(subset=[person], keep=False)]
    if shared.empty:
        return bool(len(ids)) and ids.is_unique
    same_person = shared.duplicated(subset=[person] + names, keep=False)
    return bool(same_person.mean() < 0.5)


# Columns that name the goods sold, not what a customer said: a product's name is no comment to score.
PRODUCT_COLUMNS = {"product", "product_name", "product_title", "product_description", "item", "item_name",
                   "item_title", "item_description", "lineitem_name", "line_item_name", "sku", "article",
                   "article_name", "stock_code", "stockcode", "producto", "produto", "produit", "artikel",
                   "artikelname", "bezeichnung", "designation", "désignation", "descripcion_producto", "商品名"}
# ... and, in a log of order lines (a quantity and a unit price on each row), the line's description
# (the UCI Online Retail workbook's "Description": "WHITE HANGING HEART T-LIGHT HOLDER").
LINE_DESCRIPTIONS = {"description", "descripcion", "descripción", "descrição", "descricao", "beschreibung"}


_UNSPACED_SCRIPT = r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]"


# Postal addresses are several words in every row, but nobody's comment ("Billing Street" of a Shopify orders export).
ADDRESS_WORDS = {"street", "address", "address1", "address2", "addr", "strasse", "straße", "calle", "rue",
                 "direccion", "dirección", "endereco", "endereço", "adresse", "indirizzo"}


# Columns naming the time zone of an export's dates (Square's "Time Zone", PayPal's "Zeitzone"): cjm.data.zones.
TIME_ZONE_COLUMNS = frozenset({"time_zone", "timezone", "tz", "zeitzone", "fuseau_horaire", "zona_horaria",
                               "fuso_horario", "fuso_orario"})


# A "message" can be a system's answer rather than someone's words: a payment gateway's ("This transaction has been
# approved", "Insufficient funds" in Recurly's transactions export). Such a column repeats a few phrases.
SYSTEM_MESSAGES = {"message", "messages", "message_body"}  # (a mailing's body repeated to every recipient too)


def _repeats_phrases(series: pd.Series) -> bool:
    """Whether the filled cells (4 or more) hold fewer different values than half their number, as a system's few
    answers do and people's words do not (the rule _free_text_column reads every column by)."""
    present = series.head(2000).astype("string").str.strip()
    present = present[present.notna() & (present != "")]
    return len(present) >= 4 and present.nunique() < 0.5 * len(present)


def _free_text_column(frame: pd.DataFrame, taken: set[str], *, line_items: bool = False,
                      timestamp_score=None) -> str | None:
    """Long free text in most rows (reviews, comments, notes), found by content when no name says so.
    Never the goods' names: a product / item column, nor a line item's description (line_items: the rows
    carry a quantity and a unit price); nor a postal address, nor dates written with their time and offset
    ("2024-03-01 10:00:01 +0100" is three words: `timestamp_score` tells them)."""
    best, best_len = None, 0.0
    for col in frame.columns:
        if col in taken or col == "__line__" or pd.api.types.is_numeric_dtype(frame[col]):
            continue
        if normalise(col) in PRODUCT_COLUMNS or (line_items and normalise(col) in LINE_DESCRIPTIONS):
            continue
        if set(normalise(col).split("_")) & ADDRESS_WORDS or normalise(col) in TIME_ZONE_COLUMNS:
            continue  # an address, a time zone ("Eastern Time (US & Canada)"): no comment
        if normalise(col).split("_")[-1] in ("name", "names"):
            continue  # what a record is called (Zoho's "Deal Name": "Maple Ridge Plaza mill & overlay"): no comment
        sample = frame[col].head(2000).astype("string").str.strip()
        present = sample[sample.notna() & (sample != "")]
        if len(present) < 0.5 * len(sample) or present.empty:
            continue
        # Japanese, Chinese and Thai write no spaces between words: two of their characters count as a word
        words = present.str.count(r"\s+") + 1 + present.str.count(_UNSPACED_SCRIPT) // 2
        mean_len = float(present.str.len().mean())
        if mean_len >= 20 and (words >= 3).mean() >= 0.6 and present.nunique() >= 0.5 * len(present) \
                and mean_len > best_len and not _lists_choices(present):
            if timestamp_score is not None and timestamp_score(_sample(frame[col])) >= 0.8:
                continue  # dates, not words
            best, best_len = col, mean_len
    return best


def _lists_choices(present: pd.Series) -> bool:
    """Cells that list choices of one set: the order a survey showed its options in (Qualtrics' `_DO` columns,
    "Drop a mail ballot|Not vote|Vote in-person") or several answers ticked ("Low prices; Fast delivery"). Long and
    different in every row, they are no comment. Split at '|', ';' or ',' (in at least three cells and half of them),
    80% or more of their pieces recur in another cell; the pieces of sentences do not."""
    for separator in ("|", ";", ","):
        listed = present[present.str.contains(separator, regex=False)]
        if len(listed) < max(3, 0.5 * len(present)):
            continue
        pieces = listed.str.split(separator, regex=False).explode().str.strip()
        pieces = pieces[pieces != ""]
        pairs = pd.DataFrame({"cell": pieces.index, "piece": pieces.to_numpy()}).drop_duplicates()
        cells = pairs["piece"].map(pairs["piece"].value_counts())
        if len(cells) and (cells >= 2).mean() >= 0.8:
            return True
    return False


# Names of a column of times of day beside a date column, normalised: English, German, French, Spanish / Portuguese,
# Italian, Russian, Japanese (PayPal: 'Time', 'Uhrzeit', 'Heure', 'Hora' / 'Horário', 'Orario').
TIME_OF_DAY = {"time", "time_of_day", "uhrzeit", "zeit", "heure", "hora", "horario", "horário", "ora", "orario",
               "время", "時刻", "時間"}
_CLOCK = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?"


# A date's word in a column's name, which a time's word replaces in the name of the column of its times of day
# (BigCommerce's "Order Date" and "Order Time", a "Fecha pedido" and "Hora pedido").
_DAY_WORDS = {"date", "day", "datum", "tag", "fecha", "data", "dia", "día", "jour", "giorno", "дата", "日付"}


def completes_by_name(date_column: str, time_column: str) -> bool:
    """Whether `time_column` is named as the times of day of `date_column`: the same words with a date's word
    (_DAY_WORDS) in place of a time's (TIME_OF_DAY): 'Order Time' of 'Order Date'."""
    dates, times = normalise(str(date_column)).split("_"), normalise(str(time_column)).split("_")
    differ = [(d, t) for d, t in zip(dates, times) if d != t]
    return len(dates) == len(times) > 1 and len(differ) == 1 and differ[0][0] in _DAY_WORDS and \
        differ[0][1] in TIME_OF_DAY


def time_of_day_column(frame: pd.DataFrame, date_column: str, taken: set[str], *, by_name_only: bool = False
                       ) -> str | None:
    """The column of times of day that completes `date_column`, when the dates are written without a time and a
    column named a time (TIME_OF_DAY, or the date column's name with a time's word for its date's word: 'Order Time'
    beside 'Order Date') holds clock times (09:15:02, 9:15 PM) in 90% of its filled cells. Without it every event of
    a day sat at midnight: journeys ordered within a day by chance, no hour of day. `by_name_only`: only a column so
    named after the date column (a wide export's date columns, each its own step, share no bare 'Time')."""
    dates = frame[date_column]
    if not (pd.api.types.is_string_dtype(dates) or dates.dtype == object):
        return None
    dates = _sample(dates, 300).astype("string").str.strip()
    if dates.empty or dates.str.contains(r"\d:\d", regex=True).mean() > 0.05:
        return None  # the dates carry their times
    for column in frame.columns:
        if column in taken or column == date_column:
            continue
        if not completes_by_name(date_column, column) and (by_name_only or normalise(column) not in TIME_OF_DAY):
            continue
        times = _sample(frame[column], 300).astype("string").str.strip()
        if len(times) and times.str.fullmatch(_CLOCK).mean() >= 0.9:
            return column
    return None


def _amazon_line_total(frame: pd.DataFrame, taken: set[str]) -> str | None:
    """Amazon's order reports (amazon-order-id, ..., quantity, currency, item-price, item-tax, ...) write in
    'item-price' what the line cost, quantity x unit price: it is the line's revenue as written. Read as a unit price,
    a line of 2 napkins at 18.00 counted 36.00."""
    names = {normalise(str(c)): c for c in frame.columns if c not in taken}
    if "amazon_order_id" not in {normalise(str(c)) for c in frame.columns} or "item_price" not in names:
        return None
    column = names["item_price"]
    return column if _content_fits("revenue", frame[column], None) else None


def _quantity_and_price(frame: pd.DataFrame, taken: set[str]) -> list[str] | None:
    def find(names):
        for col in frame.columns:
            if col not in taken and normalise(col) in names and _content_fits("revenue", frame[col], None):
                return col
        return None
    quantity, price = find(QUANTITY), find(UNIT_PRICE)
    return [quantity, price] if quantity and price else None


def _numeric_text(series: pd.Series) -> bool:
    """Numbers (or text that is only numbers): amounts, ids and counts are not a wide export's dates."""
    if pd.api.types.is_numeric_dtype(series):
        return True
    sample = _sample(series, 300).astype("string").str.strip()
    return bool(len(sample)) and sample.str.fullmatch(r"[+-]?\d+(?:[.,]\d+)?").mean() >= 0.9


# "by": a date something is to be done by (eBay's orders report "Ship By Date", "Respond By"); of columns holding dates
# only, so "Created By" (a person) is not among them.
_DUE_WORDS = {"estimated", "promised", "due", "expected", "deadline", "limit", "sla", "target", "planned", "by"}


def wide_columns(frame: pd.DataFrame, columns: dict[str, str], timestamp_score) -> tuple[list[str], list[str]]:
    """One row per order / ticket / lead with several timestamp columns: (event columns, due-date columns).
    Only when ids repeat little (each row is one record) and at least two unmapped columns hold dates."""
    used = {v for k, v in columns.items() if k != "timestamp"}
    dated = [c for c in frame.columns if c not in used and c != "__line__"
             and not _numeric_text(frame[c]) and timestamp_score(_sample(frame[c])) >= 0.8]
    days = _days_of_timed_columns(frame, dated)
    dated = [c for c in dated if c not in days]  # one moment written twice is one step
    due = [c for c in dated if set(normalise(c).split("_")) & _DUE_WORDS]
    not_steps = _BOOKKEEPING_WORDS | _PLANNED | _STAFF_DATES
    events = [c for c in dated if c not in due and not set(normalise(c).split("_")) & not_steps
              and not _LAST_CHANGE <= set(normalise(c).split("_"))]
    return (events, due) if len(events) >= 2 else ([], [])


SAME_MOMENT_ROWS = 500  # rows compared to tell a column of days from the moments another column writes with times


def _parsed_head(frame: pd.DataFrame, columns: list[str]) -> dict:
    """column -> its first SAME_MOMENT_ROWS values parsed (cjm.data.timestamps.ParsedTimestamps), for the columns
    whose values parse."""
    out = {}
    for column in columns:
        try:
            out[column] = parse_timestamps(frame[column].iloc[:SAME_MOMENT_ROWS])
        except (MappingError, ValueError):
            continue
    return out


def _same_moment(day, timed) -> bool:
    """Whether a column of dates without times (`day`, parsed) writes the day of the moments `timed` (parsed) writes
    with their times: filled on the same rows, on the same day on each of them, and on at least one."""
    days, times = day.values, timed.values
    filled = days.notna()
    return bool(filled.any()) and bool((filled == times.notna()).all()) and bool(
        (days[filled] == times[filled].dt.floor("D")).all())


def _days_of_timed_columns(frame: pd.DataFrame, dated: list[str]) -> set[str]:
    """The columns of `dated` that write as a day the moment another of them writes with its time of day: Matomo's
    visits log writes each visit's 'serverDate' (2010-01-03) and 'serverDatePretty' ("Sunday, January 3, 2010") beside
    its 'lastActionDateTime' (2010-01-03 18:07:03). One moment written three ways is one time, not three steps of a
    wide export (before: 'server', 'last action' and 'server pretty' events of every visit). Two columns with times
    are steps apart even when they agree (Zendesk's 'Assigned at' and 'Initially assigned at' of a ticket never
    reassigned)."""
    if len(dated) < 2:
        return set()
    parsed = _parsed_head(frame, dated)
    days = [c for c, p in parsed.items() if p.time_of_day == 0]
    timed = [c for c, p in parsed.items() if p.time_of_day != 0]
    return {d for d in days if any(_same_moment(parsed[d], parsed[t]) for t in timed)}


def timed_same_moment(frame: pd.DataFrame, column: str, taken: set[str], timestamp_score) -> str | None:
    """The column that writes with its time of day the moment `column` writes as a day (`_days_of_timed_columns`):
    the events' time, so a visit is at 18:07:03, not at midnight. None when `column` has times or no column does."""
    day = _parsed_head(frame, [column]).get(column)
    if day is None or day.time_of_day != 0:
        return None
    others = [c for c in frame.columns if c not in taken and c != column and c != "__line__"
              and not _numeric_text(frame[c]) and timestamp_score(_sample(frame[c])) >= 0.8]
    timed = _parsed_head(frame, others)
    return next((c for c in others if c in timed and timed[c].time_of_day != 0 and _same_moment(day, timed[c])), None)


# When the record was last edited, synced or exported (Zendesk's "Updated at", Freshdesk's "Last update time", a CRM's
# "Last Modified Date"): no step of the customer's journey. Such a column stays an attribute.
_BOOKKEEPING_WORDS = {"update", "updated", "modified", "changed", "edited", "synced", "imported", "exported",
                      "modstamp"}  # Salesforce's SystemModstamp: when the system last wrote the record
# A date of a member of staff, not of the customer (Medallia Agent Connect's "employee_start_date", when the agent who
# helped joined the team): no step of the customer's journey either; it stays an attribute.
_STAFF_DATES = {"employee", "employees", "staff"}
# A step planned, not taken (a CRM's "Next Activity Date", "Upcoming renewal"): no step either; it stays an attribute,
# and a deal won without a close date is not won on it (cjm.data.deals.undated_closes).
_PLANNED = {"next", "upcoming"}
# When a record last changed (Pipedrive's "Deal - Last stage change"): bookkeeping too; a won deal's equals its win.
_LAST_CHANGE = {"last", "change"}


# What each row of a help desk's or a CRM's export is, by the column naming it: a ticket, case, issue or conversation
# ("Ticket ID", "Case Number", "Issue key", "Conversation ID"), a deal or opportunity ("Deal - ID", "Opportunity Name").
HELP_DESK_RECORDS = frozenset({"ticket", "tickets", "case", "issue", "conversation"})
DEAL_RECORDS = frozenset({"deal", "opportunity"})
_RECORD_NAMING = _ID_SUFFIX | {"name", "title"}


def record_column(columns, records=HELP_DESK_RECORDS | DEAL_RECORDS) -> str | None:
    """The first column naming each row's record: one of `records` alone or followed by id words only ("Ticket",
    "Ticket ID", "Issue key", "Opportunity Name"); None when none does. A record word beside other words names
    something else: an invoice's "Issue Date", a "Use case", a "Deal Stage"; so does "Issue" or "Case" alone (a
    magazine's issue, a case of wine): those name a record only with an id word ("Issue key", "Case Number")."""
    for column in columns:
        words = normalise(str(column)).split("_")
        if words[0] in records and all(w in _RECORD_NAMING for w in words[1:]) and (
                len(words) > 1 or words[0] not in _NAMED_ONLY_WITH_ID):
            return column
    return None


# Record words that alone name something else: a magazine's "Issue" (2024-05), a wine merchant's "Case" (of 12).
_NAMED_ONLY_WITH_ID = frozenset({"issue", "case"})


# Where a Segment or RudderStack call was sent from, in its message's "channel": no marketing channel.
MESSAGE_ORIGINS = frozenset({"client", "server", "browser", "mobile"})


# The calls of Segment's spec (and RudderStack's, which follows it): a message log's "type" column.
CALL_TYPES = frozenset({"track", "page", "screen", "identify", "group", "alias"})


def _event_beside_call_types(frame: pd.DataFrame, columns: dict[str, str], taken: set[str]) -> str | None:
    """A Segment or RudderStack message log (its warehouse or S3 archive, a debugger export) names each call in "type"
    (track, page, screen, identify ...) and a track call's event in "event", blank on the other calls: when the event
    guessed is such a "type" column (80% of its filled values call types, "track" among them) and an "event" column is
    free, that column is the event and "type" names the rows it leaves blank (None otherwise). Read the other way,
    every track call was 'track' ("Order Completed" and "Signup Started" one event); and "event" alone, on less than
    half the rows, was passed over for "type"."""
    chosen = columns.get("event")
    if chosen is None or not is_type_column(chosen):
        return None
    calls = _sample(frame[chosen]).astype("string").str.strip().str.lower()
    if calls.empty or not (calls.isin(CALL_TYPES).mean() >= 0.8 and (calls == "track").any()):
        return None
    return next((c for c in frame.columns if c not in taken and normalise(str(c)) == "event"
                 and filled_share(frame[c]) > 0), None)


# Umami's data export (its website_event table): each event's website, visitor ("session_id": Umami's session is the
# visitor, kept for the month), visit ("visit_id"), page ("url_path"), kind ("event_type": 1 a page view, 2 a custom
# event named in "event_name") and the id the site gave the visitor on signing in ("distinct_id", on a few events).
UMAMI_COLUMNS = frozenset({"website_id", "session_id", "visit_id", "url_path", "event_type", "event_name",
                           "distinct_id"})


def _umami_columns(frame: pd.DataFrame) -> dict[str, str] | None:
    """Umami's columns by their names, when the file is its data export (None otherwise). Read by their names alone,
    the event was 'event_type' (every page view '1', every custom event '2') and the customer the sparse
    'distinct_id' (6 of 7 events rejected, "missing customer id"): the visitor is 'session_id', who signed in there
    'distinct_id' (cjm.data.identities), the visit 'visit_id', the event a custom event's name, else the page."""
    names = {normalise(str(c)): c for c in frame.columns}
    return {n: names[n] for n in UMAMI_COLUMNS} if UMAMI_COLUMNS <= names.keys() else None


def is_type_column(column) -> bool:
    """A column named only "Type": an event log's event type, or a record's (a ticket's, a deal's) kind."""
    return normalise(str(column)) == "type"


def _record_type(frame: pd.DataFrame, columns: dict[str, str], timestamp_score) -> bool:
    """Whether the event column guessed is a record's type, not its event: a column named only "Type" in an export
    of one row per ticket or deal, i.e. a column names the record (`record_column`), each record has one type (a
    deal's activities of several types are an activity log) and two or more other columns date its steps
    (`wide_columns`)."""
    record = record_column(frame.columns)
    if not is_type_column(columns["event"]) or record is None:
        return False
    # a record of two types is no record of its own a row (a CRM's activities of a deal: a call, then an e-mail); a
    # record is one of its customer's (two accounts' opportunities may both be named "Renewal")
    keys = [record] + [columns["customer_id"]] if columns.get("customer_id") not in (None, record) else [record]
    kinds = frame[keys + [columns["event"]]].dropna()
    if kinds.groupby(keys, sort=False)[columns["event"]].nunique().gt(1).any():
        return False
    others = {k: v for k, v in columns.items() if k != "event"}
    return len(wide_columns(frame, others, timestamp_score)[0]) >= 2


def _sample(series: pd.Series, n: int = 500) -> pd.Series:
    """The first n values that are present: series.dropna().head(n), from the shortest slice that holds
    them (a slice is free; dropna of a whole column copies a million cells, a take of Arrow cells joins
    their chunks)."""
    stop = 4 * n  # the first rows usually hold them: look at a growing head, not the whole column
    while True:
        head = series.iloc[:stop]
        present = np.flatnonzero(head.notna().to_numpy(dtype=bool))
        if len(present) >= n or stop >= len(series):
            break
        stop *= 8
    if len(present) > n:
        head = head.iloc[: present[n - 1] + 1] if n else head.iloc[:0]
    return head.dropna().head(n)


_NOT_A_NUMBER = {"", "na", "n/a", "#n/a", "null", "none", "nan", "-", "?", "inf", "-inf", "+inf", "infinity",
                 "-infinity", "#div/0!", "#value!", "#num!"}


def _content_fits(canonical: str, series: pd.Series, timestamp_score) -> bool:
    sample = _sample(series)
    if sample.empty:
        return canonical not in schema.REQUIRED
    if canonical == "timestamp":
        if timestamp_score is None:
            return True
        return timestamp_score(sample) >= 0.8
    if canonical == "score" and (looks_like_labels(sample) or star_word_values(sample) is not None):
        return True  # negative / neutral / positive; "FOUR" stars
    if canonical in schema.NUMERIC_COLUMNS:
        if pd.api.types.is_numeric_dtype(sample):
            return not pd.api.types.is_bool_dtype(sample)
        text = sample.astype(str).str.strip()
        text = text[~text.str.lower().isin(_NOT_A_NUMBER)]  # missing or unreadable cells do not unmap a column
        if text.empty:
            return False
        cleaned = without_signs(text).str.replace(r"[,.'()-]", "", regex=True)
        return cleaned.str.fullmatch(r"\d+").mean() >= 0.8
    if canonical == "customer_id":
        return sample.astype(str).str.len().max() <= 128
    if canonical == "event":  # a column blank on half the rows or more ("Aktion": the promotion) names no touchpoint
        return filled_share(series) > 0.5
    if canonical == "channel":  # Segment's message "channel" says which library sent the call, not how people came
        return not sample.astype("string").str.strip().str.lower().isin(MESSAGE_ORIGINS).all()
    if canonical == "text":  # a French "Note" of 1-5 is a rating, not a comment
        cleaned = sample.astype(str).str.strip().str.replace(r"[\s,./]", "", regex=True)
        if normalise(str(series.name)) in SYSTEM_MESSAGES and _repeats_phrases(series):
            return False
        return cleaned.str.fullmatch(r"\d{1,3}").mean() < 0.8
    return True


def default_event_name(columns: dict[str, str], frame: pd.DataFrame, *, revenue: bool = False) -> str | None:
    """The touchpoint every row stands for when the export has no event column (None: ask the user)."""
    if "revenue" in columns or revenue:
        return "purchase"
    if "text" in columns or "score" in columns:
        return "feedback"
    if "customer_id" not in columns and "timestamp" not in columns:
        return "session"
    if "timestamp" in columns:
        words = [w for w in normalise(columns["timestamp"]).split("_")
                 if w not in {"date", "time", "datetime", "timestamp", "dt", "at", "ts", "on", "when"} | ZONE_WORDS]
        if words:
            return " ".join(words)
    return None


def check_mapping(mapping: ColumnMapping, frame: pd.DataFrame, *, undated: bool = False) -> None:
    """Raise MappingError naming what is missing and the closest candidate columns. `undated`: the rows may have no
    time (a feedback file's answers without a date column: cjm.data.dataset reads them as events without a time)."""
    missing_cols = sorted({c for c in mapping.used_columns() | {mapping.purchase_flag} - {None}
                           if c not in frame.columns})
    if missing_cols:
        raise MappingError(f"The mapping uses column(s) {missing_cols}, which this file does not have. "
                           f"Its columns are {list(frame.columns)[:30]}. Choose them again on the Data page.")
    signed_in_clash(mapping)
    if mapping.shape == "wide" and len(mapping.wide_events) < 1:
        raise MappingError("The mapping reads the file as wide (one row per order, ticket or lead) but names no "
                           "timestamp columns to turn into events. Choose them on the Data page, or switch the "
                           "shape back to one row per interaction.")
    needed = [c for c in schema.REQUIRED if c not in mapping.columns
              and not (c == "event" and (mapping.event_constant or mapping.shape == "wide"))
              and not (c == "timestamp" and (mapping.shape in ("wide", "anonymous") or undated))
              and not (c == "customer_id" and mapping.shape == "anonymous")]
    if not needed:
        return
    lines = []
    for canonical in needed:
        lines.append(f"{_label(canonical)}: closest columns "
                     f"{closest_columns(canonical, frame, exclude=set(mapping.used_columns()))}")
    raise MappingError(
        "cjm needs a customer id, a timestamp and an event (touchpoint) for every row, and this file "
        f"does not supply {', '.join(_label(c) for c in needed)}. " + "; ".join(lines) + ". "
        "Fix: pick the right columns in the column-mapping editor on the Data page, which lists every column "
        "with sample values (on the command line: --mapping FILE), "
        "give a constant event name if every row is the same touchpoint, or export a file that has "
        "these columns."
    )


def signed_in_clash(mapping: ColumnMapping) -> None:
    """Raise MappingError when the signed-in id column is one the mapping reads as something else (the customer id
    itself: every id would be "who signed in" on itself; the event: every event its own person)."""
    if not mapping.signed_in_id:
        return
    clash = next((canonical for canonical, source in mapping.columns.items() if source == mapping.signed_in_id), None)
    if clash is not None:
        raise MappingError(f"The signed-in id column {mapping.signed_in_id!r} is also the {_label(clash)} column: the "
                           "signed-in id is another column, of who signed in beside the customer id's browser or "
                           "device. Choose that column as the signed-in id on the Data page, or none.")
    fallback = mapping.fallback_id
    also = ("signed-in id" if fallback == mapping.signed_in_id else
            next((_label(c) for c, source in mapping.columns.items() if source == fallback), None)) if fallback else None
    if also is not None:
        raise MappingError(f"The fallback id column {fallback!r} is also the {also} column: the "
                           "fallback id is a third column, read on the events with neither (Mixpanel's distinct_id "
                           "beside $device_id and $user_id). Remove 'fallback_id' from the mapping, or name that "
                           "column.")


def _label(canonical: str) -> str:
    return {"customer_id": "customer id", "timestamp": "timestamp", "event": "event"}.get(canonical, canonical)


_NAME_HINTS = {
    "customer_id": r"id|user|customer|client|account|name|email|member|visitor|lead",
    "timestamp": r"date|time|month|day|year|created|_at$|^dt",
    "event": r"event|type|action|activity|status|page|step|stage|name",
}


def closest_columns(canonical: str, frame: pd.DataFrame, n: int = 3, *, exclude: set[str] = frozenset()) -> list[str]:
    """Columns that look most like they could supply `canonical`: by name first, then by content
    (columns already mapped to something else come last)."""
    hint = _NAME_HINTS.get(canonical, re.escape(canonical))
    candidates = [c for c in frame.columns if c not in exclude and c != "__line__"] + \
        [c for c in frame.columns if c in exclude]
    by_name = [c for c in candidates if re.search(hint, normalise(c))]
    by_content = sorted(candidates, key=lambda c: -_content_likeness(canonical, frame[c]))
    return list(dict.fromkeys(by_name + by_content))[:n]


def _content_likeness(canonical: str, series: pd.Series) -> float:
    sample = _sample(series, 300)
    if sample.empty:
        return 0.0
    distinct = sample.nunique() / len(sample)
    is_text = not pd.api.types.is_numeric_dtype(sample)
    if canonical == "customer_id":
        return distinct + 0.5 * is_text
    if canonical == "event":
        return (1 - distinct) * is_text if sample.nunique() > 1 else 0.0
    return float(sample.astype(str).str.contains(r"\d{4}|[A-Za-z]{3}").mean())
