"""What an export's words say about money (DESIGN.md section 3: money figures are net).

Order and payment statuses and event names, in the languages shops write them, sorted into:
- **settled** by status: the row is the order and its reversal at once (cancelled, voided, refunded,
  returned, charged back): it counts no money;
- **reversal** events: money going back (refund, chargeback, return, void, order_cancelled): negative;
- **never moved**: a payment that failed or was declined, an invoice not paid, a refund only asked for or
  called off, a credit note whose refund is still due (pending, draft), a subscription ending without a refund:
  no money, in or out;
- **plan cancelled**: a subscription, membership, plan, trial or account cancelled: no money (as never moved), yet
  taken back as a cancelled order is (not an e-mail unsubscribe, nor a plan that ran out).

money._mark_returns applies them to the rows. Only names are read here, never amounts. reversal_names and
reached_stage_index give the one rule of how far a customer got: a reversal or a plan cancelled lifts nobody to its
journey stage.

May import: cjm.data.columns (normalise), cjm.engine (reversals_in asks the events for their names).
"""

from __future__ import annotations

from cjm import engine
from cjm.data.columns import normalise

# The event names a row settled by its status takes (money._mark_returns; read in place, source._net_of_statuses): an
# order placed and since cancelled or voided ('cancellation'), or returned or refunded ('return'), its money 0 (the
# order and its reversal at once). A reversal line (a C-invoice, a refund of -40) keeps its negative money.
CANCELLED, RETURNED = "cancellation", "return"
SETTLED_NAMES = (CANCELLED, RETURNED)
_WC = r"^(?:wc-)?"  # WooCommerce writes its statuses "wc-cancelled", "wc-failed"
CANCEL_STATUS = (_WC + r"(?:cancel+ed|cancel+ation|void(?:ed)?|annul+ed|cancelad[oa]|anulad[oa]|annul[ée]e?"
                 r"|annullat[oa]|storniert|storno|abgebrochen|отмен[её]н[аоы]?)$")
RETURN_STATUS = (_WC + r"(?:returned|return|refunded|refund|chargeback|charged[ _]back|reversed|reembolsad[oa]"
                 r"|devuelt[oa]|devolvid[oa]|rembours[ée]e?|retourn[ée]e?|rimborsat[oa]|erstattet|rückerstattet"
                 r"|retoure|retourniert|reso|restituit[oa]"
                 r"|возвра[тщ]\w*)$")
# A payment the provider refused, in its own words (Stripe, Adyen "Refused", Redsys "Denegada", Brazilian
# "Negado" / "Falhou", PayPal "Denied"): the row reads "failed payment" and counts no money.
FAILED_STATUS = (_WC + r"(?:failed|failure|declined|rejected|denied|refused|blocked|payment[ _]failed"
                 r"|requires_payment_method|fallid[oa]|rechazad[oa]|denegad[oa]|recusad[oa]|negad[oa]|falhou"
                 r"|falhad[oa]|échou[ée]e?|refus[ée]e?|fehlgeschlagen|abgelehnt)$")
# An invoice not (yet) paid (Chargebee "Not Paid", "Payment Due"; Paddle's "billed": an invoice issued, "a legal
# record", awaiting payment, before "paid" and "completed"), one written off as never to be paid (Stripe's
# "uncollectible", "bad debt", "written off"), a payment authorized but not captured (Stripe's "requires_capture"):
# no money, the event keeps its name. An order whose payment is pending (Shopify's Financial Status "pending",
# WooCommerce's "pending" / "Pending payment" and "on-hold": awaiting a bank transfer or cheque, Magento's "Pending",
# Amazon's "Pending": payment not yet authorized) likewise.
UNPAID_STATUS = (_WC + r"(?:not[ _]paid|unpaid|billed|payment[ _]due|past[ _]due|overdue|uncaptured|not[ _]captured"
                 r"|requires[ _]capture|uncollectible|bad[ _]debt|written[ _]off|write[ _]off|uneinbringlich"
                 r"|irrécouvrable|incobrable|incobrável|inesigibile"
                 r"|pending(?:[ _-]payment)?|payment[ _-]pending|on[ _-]?hold|pendiente[ _]de[ _]pago"
                 r"|aguardando[ _]pagamento|in[ _]attesa[ _]di[ _]pagamento|zahlung[ _]ausstehend"
                 r"|no[ _]pagad[oa]|impag[oa]|unbezahlt|offen|impayé[e]?|non[ _]pagat[oa]"
                 # an order waiting for its payment (PrestaShop: "Awaiting check payment", "En attente du paiement
                 # par chèque", "En attente de paiement par virement bancaire")
                 r"|awaiting[ _](?:\w+[ _]){0,2}payment|en[ _]attente[ _]d[eu][ _](?:paiement|règlement)(?:[ _].*)?)$")
# An invoice's own statuses before it is paid, read only on an invoices export (`invoices_file`: QuickBooks, Xero,
# FreshBooks, Zoho Invoice, Stripe), where an order's "Sent" (shipped) or "Open" (not archived) cannot be meant:
# - never sent to the customer (a draft, one awaiting its approval, one deleted before it went out: Xero deletes only
#   those): no interaction of the customer, the row is set aside (cjm.data.dataset.INVOICE_NOT_SENT);
INVOICE_NOT_SENT_STATUS = (r"^(?:draft|entwurf|brouillon|borrador|bozza|rascunho|(?:awaiting|pending)[ _]approval"
                           r"|deleted)$")
# - sent, seen, open, scheduled, overdue or disputed, not paid: the customer was billed (an interaction) but paid
#   nothing; it reads 'not paid' and counts no money, as UNPAID_STATUS (Chargebee's "Posted": due later). QuickBooks
#   writes "Overdue 5 days", "Due in 12 days"; "Partially Paid" is money paid (the export's Amount Paid where it has
#   one, else its Total less its Balance: cjm.data.kept).
INVOICE_UNPAID_STATUS = (r"^(?:sent|emailed|mailed|issued|viewed|seen|open|opened|scheduled|disputed|posted"
                         r"|overdue[ _]\d+[ _]days?|due[ _](?:in[ _]\d+[ _]days?|today|tomorrow)|not[ _]due[ _]yet"
                         r"|gesendet|versendet|verschickt|versandt|ausgestellt|angesehen|gesehen|geöffnet|geplant"
                         r"|überfällig|envoyée?|émise?|vue|consultée?|ouverte?|programmée?|en[ _]retard"
                         r"|enviad[oa]|emitid[oa]|vist[oa]|visualizad[oa]|abiert[oa]|programad[oa]|vencid[oa]"
                         r"|inviat[oa]|emess[oa]|visualizzat[oa]|apert[oa]|programmat[oa]|scadut[oa]|in[ _]ritardo"
                         r"|em[ _]aberto|agendad[oa]|atrasad[oa])$")
_INVOICE = {"invoice", "invoices", "rechnung", "rechnungen", "facture", "factures", "factura", "facturas", "fattura",
            "fatture", "fatura", "faturas"}
_DUE = {"fälligkeit", "fälligkeitsdatum", "échéance", "echeance", "vencimiento", "scadenza", "vencimento"}
_ORDER = {"order", "orders", "bestellung", "commande", "pedido", "ordine", "encomenda"}


def invoices_file(columns) -> bool:
    """Whether a file's columns are an invoices export's: one named for an invoice ("Invoice Number", "InvoiceDate",
    "Rechnungsnummer", "N° de facture") or for what is due ("Amount Due", "Due Date (UTC)", "Balance Due",
    "Fälligkeitsdatum"; not Shopify's "Next Payment Due At" of an order paid by terms)."""
    for column in columns:
        norm = normalise(str(column))
        words = set(norm.split("_"))
        if words & _INVOICE or norm.startswith(("invoice", "rechnung")) or words & _DUE:
            return True
        if "due" in words and words & {"amount", "balance", "date"} and not words & {"payment", "next"}:
            return True
    return False


def invoice_status_column(name) -> bool:
    """A payment status column that may be an invoice's own (not an order's: "Order Status" of "Sent" is shipped)."""
    return payment_status_column(name) and not set(normalise(str(name)).split("_")) & _ORDER

# A reversal document's (a credit note's) status saying its money has not gone back yet: Chargebee's "Refund Due",
# a "Pending" or "Draft" credit note, Zoho's "Open" one (credits not yet applied). It takes nothing back yet.
# "Refunded" and "Adjusted" (applied to an invoice) take its amount back; "Voided" (CANCEL_STATUS) nothing.
NOT_YET_BACK_STATUS = (r"^(?:refund[ _]due|refund[ _]pending|pending(?:[ _]refund)?|awaiting[ _]refund"
                       r"|not[ _]refunded|draft|open|pendiente|borrador|en[ _]attente|brouillon|ausstehend|entwurf"
                       r"|in[ _]attesa|bozza)$")

# A wide export's date column named like these ("Cancelled at", "Refunded on") takes the record's money back;
# a "return" date only when no pickup / departure / loan date stands beside it (money.record_values_once).
DATE_WORDS = {"cancelled", "canceled", "cancel", "cancellation", "refunded", "refund", "returned", "return",
              "voided", "void", "chargeback"}
RETURN_DATE_WORDS = {"returned", "return"}

STATUS_WORDS = {"status", "state", "estado", "statut", "stato", "статус",
                "état", "etat"}  # PrestaShop's orders export in French: "État" (Livré, Annulé, Remboursé)
# A status of the customer's account or subscription ("account_state: cancelled") is not the state of the row's
# order: the invoices such a customer paid before cancelling keep their money.
NOT_ORDER_STATUS = {"account", "customer", "user", "member", "membership", "subscription", "subscriber", "contact",
                    "client", "lead", "plan", "profile"}
# Words of an address: a "state" among them is where the buyer lives (eBay's "Ship To State", "Buyer State").
_ADDRESS_WORDS = {"ship", "to", "billing", "shipping", "buyer", "tax", "mailing", "address", "home", "recipient"}
# Statuses of something other than the payment: a delivery that failed or a refund request rejected leaves the
# money paid where it was.
NOT_PAYMENT_STATUS = {"delivery", "shipping", "shipment", "fulfillment", "fulfilment", "refund", "refunds", "return",
                      "returns", "review", "email", "verification", "kyc", "dispute", "envio", "entrega"}

_GOING_BACK = {"refund", "refunded", "refunds", "return", "returns", "returned", "reembolso", "reembolsado",
               "reembolsada", "devolucion", "devolución", "rückerstattung", "erstattung", "erstattet", "retoure",
               "rücksendung", "remboursement", "remboursé", "remboursée", "retour", "rimborso", "reso"}
_REVERSAL = _GOING_BACK | {"chargeback", "chargebacks", "cancellation", "cancelled", "canceled", "void", "voided",
                           "cancelado", "cancelada", "anulado", "anulada", "storno", "stornierung", "storniert",
                           "annulation", "annulé", "annulée", "annullamento", "annullato", "annullata"}
_CALLED_OFF = {"cancelled", "canceled", "cancellation", "cancel", "voided", "void", "reversed", "reversal"}
_ASKED = {"requested", "request", "pending", "initiated", "started", "rejected", "denied", "declined", "failed",
          "failure", "rechazado", "rechazada", "fallido", "fallida", "solicitado", "solicitud"}
_DONE = {"approved", "processed", "issued", "completed", "complete", "accepted", "succeeded", "success", "paid",
         "recovered", "sent"}
_FAILED = {"failed", "failure", "declined", "rejected", "denied", "refused", "rechazado", "rechazada", "fallido",
           "fallida", "denegado", "denegada", "fehlgeschlagen", "abgelehnt", "refusé", "refusée", "échoué", "échouée",
           "rifiutato", "rifiutata", "fallito", "fallita"}
_MONEY = {"payment", "charge", "order", "purchase", "transaction", "invoice", "checkout", "card", "subscription",
          "capture", "captured",
          "pago", "cobro", "pedido", "compra", "factura", "zahlung", "bestellung", "kauf", "rechnung", "lastschrift",
          "paiement", "commande", "achat", "facture", "pagamento", "ordine", "acquisto", "fattura"}
# A plan or an account the customer holds, in the shops' languages ("Suscripción", "Abonnement", "Abo", "Konto")
_PLAN = {"subscription", "membership", "member", "subscriber", "plan", "trial", "account", "suscripcion",
         "suscripción", "membresia", "membresía", "cuenta", "abonnement", "adhésion", "compte", "abo", "konto",
         "mitgliedschaft", "abbonamento", "assinatura", "conta"}
# A plan's cancellation, in those languages (Stripe writes a cancelled subscription "customer.subscription.deleted"):
# the plan taken back, as an order cancelled is (plan_cancelled)
_PLAN_CANCELS = {"cancelled", "canceled", "cancellation", "cancel", "deleted", "terminated", "cancelado", "cancelada",
                 "cancelamento", "anulado", "anulada", "annulé", "annulée", "annulation", "annullato", "annullata",
                 "annullamento", "storniert", "stornierung", "storno", "gekündigt", "kündigung"}
_PLAN_ENDS = _PLAN_CANCELS | {"ended", "expired", "churned", "lapsed", "closed"}  # "account_closed" (its balance)
# Subscriptions to messages, not to a plan: "newsletter_subscription_cancelled", "Email subscription cancelled" is
# an unsubscribe (the customer stops the e-mails), no reversal of anything bought
_MESSAGES = {"email", "mail", "newsletter", "newsletters", "mailing", "list", "sms", "push", "notification",
             "notifications", "marketing", "digest", "alerts"}
# A cancellation not (yet) done: asked for, scheduled (Stripe's cancel at the period's end), or itself undone
_SCHEDULED = {"scheduled"}
_NOT_DONE = _ASKED | _SCHEDULED | {"reversed", "reverted", "undone", "withdrawn", "revoked"}
_NOT_AN_EVENT_OF_MONEY = {"page", "policy", "visit", "view", "viewed", "label", "reason", "form"}
# A card's authorization holds money, it takes none until captured (Recurly's transactions export: "a $1 or $0
# transaction created to validate payment information", voided at once; PayPal's "General Authorization").
_HELD = {"authorization", "authorisation", "preauthorization", "preauthorisation", "autorizacion", "autorización",
         "autorisation", "autorizzazione", "autorisierung"}
_CAPTURED = {"capture", "captured", "capturada", "capturado"}


# A column naming the purchase a row takes back ("Reference Invoice Number", "Original Order ID", "Refunded Charge"):
# reference words, a purchase document's word and at most id words. Also read by cjm.journey.references.
REFERENCE_WORDS = {"reference", "ref", "original", "parent", "related", "linked", "refunded", "credited", "reversed",
                   "referenz", "référence", "referencia", "riferimento", "origen", "originale", "ursprünglich"}
DOCUMENT_WORDS = {"invoice", "invoiceno", "order", "charge", "payment", "transaction", "receipt", "purchase", "sale",
                  "pedido", "factura", "facture", "commande", "fattura", "ordine", "rechnung", "bestellung"}
ID_WORDS = {"id", "number", "no", "nr", "num", "key", "code", "nummer", "numero", "número", "numéro"}
# A credit note's own number: the row is a credit note, money going back (Chargebee, Zoho, Xero, German "Gutschrift").
_CREDIT_NOTE = {"creditnote", "credit_note", "credit_memo", "creditmemo", "gutschrift", "avoir", "nota_credito",
                "nota_de_credito", "nota_di_credito"}


def _words(name) -> list[str]:
    return normalise(str(name)).split("_")


def subscription_end(name) -> bool:
    """"subscription_cancelled", "customer.subscription.deleted", "expired_subscription": the plan ends;
    without a refund word nothing is paid back."""
    words = set(_words(name))
    return bool(words & _PLAN and words & _PLAN_ENDS and not words & (_GOING_BACK | {"chargeback", "order"}))


def plan_cancelled(name) -> bool:
    """A subscription, membership, plan, trial or account cancelled ("subscription_cancelled", "subscription_canceled",
    "account_cancelled", "cancel_subscription", "customer.subscription.deleted", "Suscripción cancelada", "Abo
    gekündigt"): taken back as a cancelled order is, so it lifts nobody to its stage (reversal_names); its money is
    none unless a refund word says money went back (subscription_end). Not an e-mail unsubscribe
    ("newsletter_subscription_cancelled"), a cancellation asked for or scheduled ("subscription_cancel_requested"),
    nor a plan that ran out ("expired_subscription": the customer had it)."""
    words = set(_words(name))
    return subscription_end(name) and bool(words & _PLAN_CANCELS) and not words & (_MESSAGES | _NOT_DONE)


def never_moved(name) -> bool:
    """An event whose amount is money that never moved: a failed or declined payment ("payment_failed",
    "card_declined", "pago_rechazado"), a card's authorization not captured ("authorization"), a reversal only asked
    for, scheduled or called off ("refund_requested", "return_pending", "refund_initiated", "cancellation_scheduled":
    README's "a cancellation only requested or scheduled" is none, "refund_failed", "refund_cancelled"), a
    subscription's end. A name
    that also says the money went through ("payment_failed_retry_succeeded", "refund_request_approved") is not."""
    words = _words(name)
    found = set(words)
    if subscription_end(name):
        return True
    if found & _HELD and not found & _CAPTURED:  # "authorization", "card_authorization_approved": money held
        return True
    if found & _CAPTURED and found & _CALLED_OFF and not found & _GOING_BACK:  # "capture_cancelled": the hold let go
        return True
    if found & _DONE or found & _NOT_AN_EVENT_OF_MONEY:
        return False
    if found & _FAILED and found & (_MONEY | _REVERSAL):
        return True
    if found & (_ASKED | _SCHEDULED) and found & _REVERSAL:  # "refund_requested", "cancellation_scheduled"
        return True
    return _refund_called_off(words)


def _refund_called_off(words: list[str]) -> bool:
    """"refund_cancelled", "return_voided": the reversal named first is what was called off."""
    first = next((i for i, w in enumerate(words) if w in _REVERSAL | _CALLED_OFF), None)
    return first is not None and words[first] in _GOING_BACK and bool(set(words[first + 1:]) & _CALLED_OFF)


def reversal(name) -> bool:
    """An event that takes money back: "refund", "chargeback", "order_cancelled", "void_payment", "product_return",
    "reembolso", "refund_request_approved". Not "return_visit", not a "Chargeback Reversal" (the money comes
    back to the shop), nor anything that never moved."""
    words = _words(name)
    found = set(words)
    if not found & _REVERSAL or never_moved(name) or found & _NOT_AN_EVENT_OF_MONEY:
        return False
    if found & {"chargeback", "chargebacks"} and found & {"reversal", "reversed", "won"}:
        return False
    # "return" alone or last names goods sent back ("product_return"); "return_visit" is a visit
    return bool(found & (_REVERSAL - {"return", "returns"})) or words[-1] in {"return", "returns"}


def reversal_names(names) -> list[str]:
    """The event names among `names` that take money, an order or a plan back: named as a reversal (`reversal`: a
    refund, a return, a chargeback, a cancelled order), a cancelled subscription, membership, plan or account
    (`plan_cancelled`, though it moves no money) or the loader's name of an order settled by its status or a reversal line
    of an export without event names (SETTLED_NAMES). Such an event lifts nobody to its journey stage: one rule for
    every reading of how far a customer got (cjm.journey.reach, the customer features, the at-risk readings, the
    customer timeline, the journey map)."""
    return sorted(str(n) for n in names if str(n) in SETTLED_NAMES or reversal(str(n)) or plan_cancelled(str(n)))


def reversals_in(events) -> list[str]:
    """reversal_names of the event names `events` (an Ibis table) holds: one query of its distinct names (few)."""
    return reversal_names(engine.execute(events.select("event").distinct())["event"].dropna())


def reached_stage_index(events, named):
    """The stage each event of `events` (an Ibis table with event and stage_index) lifts its customer to: its
    stage_index, -1 (as an unmapped event) for a reversal, an event named in `named` (reversal_names)."""
    if not named:
        return events.stage_index
    return events.event.isin(list(named)).fill_null(False).ifelse(-1, events.stage_index)


def reversal_document_column(name) -> bool:
    """A column whose filled cells make the row a reversal document: the credit note's own number ("Credit Note
    Number", "credit_memo_id") or the purchase the row takes back ("Reference Invoice Number", "Original Order ID",
    "Refunded Charge"). Such a row's status is the reversal's own: "Refunded" says the money went back, not that
    the row is an order settled by its status."""
    norm = normalise(str(name))
    words = set(norm.split("_"))
    if any(norm == c or norm.startswith(c + "_") for c in _CREDIT_NOTE) and not words - ID_WORDS - set(
            "_".join(_CREDIT_NOTE).split("_")):
        return True
    if not (words & REFERENCE_WORDS and words & DOCUMENT_WORDS and not words - REFERENCE_WORDS - DOCUMENT_WORDS
            - ID_WORDS):
        return False
    # a document's own reference, the reference word after it: Squarespace's and Shopify's "Payment Reference" (the
    # order's charge, "ch_..."), an "Order Ref"; not a purchase taken back ("Reference Invoice Number")
    order = norm.split("_")
    first_document = min(i for i, w in enumerate(order) if w in DOCUMENT_WORDS)
    refs = [(i, w) for i, w in enumerate(order) if w in REFERENCE_WORDS]
    return not all(w in OWN_REFERENCE and i > first_document for i, w in refs)


# Reference words that also name a document's own id when written after it ("Payment Reference", "Order Ref").
OWN_REFERENCE = {"reference", "ref", "referenz", "référence", "referencia", "riferimento"}


def order_status_column(name) -> bool:
    """A column holding the row's order or payment status (not the account's, the plan's or the contact's);
    also one word: "Bestellstatus", "Zahlungsstatus", "orderstatus"."""
    norm = normalise(str(name))
    words = set(norm.split("_"))
    one_word = norm.endswith(("status", "statut", "stato")) and "_" not in norm
    if words & STATUS_WORDS == {"state"} and words & _ADDRESS_WORDS:
        return False  # eBay's "Ship To State", "Buyer State", "Tax State": a place, not the order's state
    return bool(words & STATUS_WORDS or one_word) and not words & NOT_ORDER_STATUS


def payment_status_column(name) -> bool:
    """An order status column that may say a payment failed: not a delivery's, a refund's or an e-mail's status."""
    return order_status_column(name) and not set(normalise(str(name)).split("_")) & NOT_PAYMENT_STATUS
