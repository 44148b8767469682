"""The whole Official Account invoice flow driven by wechatpy 1.8.18, unmodified
but for its base URL, against a running kabao.

Usage: python wechatpy_invoice.py '<json>' with keys base_url, admin_token,
platform/merchant/reimburser ({appid, secret}) and openid (a user of the
merchant app). Prints one JSON object summarising what kabao answered; the
Rust test (wechatpy.rs) asserts on it. Exits non-zero on the first step that
does not go as WeChat's documents say.
"""

import io
import json
import sys
import urllib.parse
import urllib.request

from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

ARGS = json.loads(sys.argv[1])
BASE = ARGS["base_url"].rstrip("/")
ADMIN_TOKEN = ARGS["admin_token"]
OPENID = ARGS["openid"]
# Fixed timestamps keep every request byte-for-byte reproducible.
NOW = 1_760_000_000


class KabaoClient(WeChatClient):
    """wechatpy's client with kabao as api.weixin.qq.com (oa-invoice-domain.md §10.3)."""

    API_BASE_URL = BASE + "/cgi-bin/"

    def __init__(self, appid, secret):
        super().__init__(appid, secret)
        self.invoice.API_BASE_URL = BASE + "/card/invoice/"
        self.card.API_BASE_URL = BASE + "/"

    def fetch_access_token(self):
        return self._fetch_access_token(
            url=BASE + "/cgi-bin/token",
            params={
                "grant_type": "client_credential",
                "appid": self.appid,
                "secret": self.secret,
            },
        )


def control(method, path, body=None):
    """kabao's control API (what the user does in the WeChat client)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        BASE + "/_kabao/api" + path,
        data=data,
        method=method,
        headers={
            "Authorization": "Bearer " + ADMIN_TOKEN,
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def download(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.status, r.headers.get("Content-Type"), r.read()


def pdf_file(label):
    """A small valid PDF as a named file object (wechatpy sends the basename)."""
    content = (
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n"
        "% invoice " + label + "\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    ).encode()
    f = io.BytesIO(content)
    f.name = label + ".pdf"
    return f, content


def errcode_of(call):
    """The errcode a call fails with, or None when it succeeds."""
    try:
        call()
    except WeChatClientException as e:
        return e.errcode
    return None


platform = KabaoClient(ARGS["platform"]["appid"], ARGS["platform"]["secret"])
merchant = KabaoClient(ARGS["merchant"]["appid"], ARGS["merchant"]["secret"])
reimburser = KabaoClient(ARGS["reimburser"]["appid"], ARGS["reimburser"]["secret"])
out = {}

# --- Invoicing platform: its s_pappid, a card template, the PDFs. -----------
invoice_url = platform.invoice.get_url()
s_pappid = urllib.parse.parse_qs(urllib.parse.urlparse(invoice_url).query)["s_pappid"][0]
out["invoice_url"] = invoice_url
out["s_pappid"] = s_pappid
out["s_pappid_again"] = urllib.parse.parse_qs(
    urllib.parse.urlparse(platform.invoice.get_url()).query
)["s_pappid"][0]

card_id = platform.invoice.create_card(
    base_info={
        "logo_url": "https://example.com/logo.png",
        "title": "灌哥咖啡",
        "custom_url_name": "小程序",
        "custom_url": "https://example.com/invoices",
        "custom_url_sub_title": "查看详情",
    },
    payee="深圳市灌哥咖啡有限公司",
    invoice_type="广东省增值税普通发票",
    detail="咖啡与简餐",
)
out["card_id"] = card_id

vat_pdf, vat_pdf_bytes = pdf_file("vat-0001")
digital_pdf, _ = pdf_file("digital-0001")
rejected_pdf, _ = pdf_file("rejected-0001")
vat_media = platform.invoice.upload_pdf(vat_pdf)
digital_media = platform.invoice.upload_pdf(digital_pdf)
rejected_media = platform.invoice.upload_pdf(rejected_pdf)
out["s_media_ids"] = [vat_media, digital_media, rejected_media]

# --- Merchant: contact (no wechatpy helper), auth fields, wx_card ticket. ---
out["set_contact"] = merchant.invoice._post(
    "setbizattr",
    params={"action": "set_contact"},
    data={"contact": {"phone": "0755-86013388", "time_out": 3600}},
)["errcode"]
merchant.invoice.set_auth_field(
    user_field={"show_title": 1, "show_phone": 0, "show_email": 0, "custom_field": []},
    biz_field={
        "show_title": 1,
        "show_tax_no": 1,
        "show_addr": 0,
        "show_phone": 0,
        "show_bank_type": 0,
        "show_bank_no": 0,
        "custom_field": [],
    },
)
out["auth_field"] = merchant.invoice.get_auth_field()["auth_field"]
ticket_answer = merchant.jsapi.get_ticket("wx_card")
ticket = ticket_answer["ticket"]
out["ticket_expires_in"] = ticket_answer["expires_in"]

VAT_ORDER = "wechatpy-vat-0001"
DIGITAL_ORDER = "wechatpy-digital-0001"
REJECTED_ORDER = "wechatpy-rejected-0001"
REDIRECT = "https://merchant.example.com/invoice/done"


def open_order(order_id, money):
    return merchant.invoice.get_auth_url(
        s_pappid, order_id, money, NOW, "web", ticket, 1, redirect_url=REDIRECT
    )


out["never_auth_status"] = merchant.invoice.get_auth_data(s_pappid, VAT_ORDER)[
    "invoice_status"
]
out["auth_urls"] = [
    open_order(VAT_ORDER, 11300),
    open_order(DIGITAL_ORDER, 5000),
    open_order(REJECTED_ORDER, 100),
]

# --- The user authorises (the WeChat client's part, via the control API). ---
COMPANY = {"title": "深圳市灌哥科技有限公司", "tax_no": "91440300MA5EXAMPLE"}
PERSON = {"title": "张三"}
for order_id, title in [
    (VAT_ORDER, {"biz_field": COMPANY}),
    (DIGITAL_ORDER, {"user_field": PERSON}),
    (REJECTED_ORDER, {"user_field": PERSON}),
]:
    control(
        "POST",
        "/oa/authorizations",
        dict(appid=merchant.appid, order_id=order_id, openid=OPENID, **title),
    )

vat_auth = merchant.invoice.get_auth_data(s_pappid, VAT_ORDER)
digital_auth = platform.invoice.get_auth_data(s_pappid, DIGITAL_ORDER)
out["vat_auth"] = {
    "invoice_status": vat_auth["invoice_status"],
    "auth_time": vat_auth["auth_time"],
    "biz_field": vat_auth["user_auth_info"].get("biz_field"),
}
out["digital_auth"] = {
    "invoice_status": digital_auth["invoice_status"],
    "user_field": digital_auth["user_auth_info"].get("user_field"),
}

# --- The platform inserts: an ordinary VAT invoice, and a 数电 one. ---------
vat_ext = {
    "nonce_str": "wechatpy-nonce-vat-0001",
    "user_card": {
        "invoice_user_data": {
            "fee": 11300,
            "title": COMPANY["title"],
            "billing_time": NOW,
            "billing_no": "00012345",
            "billing_code": "144031900111",
            "info": [
                {"name": "拿铁咖啡", "num": 2, "unit": "杯", "price": 3000},
                {"name": "三明治", "num": 1, "unit": "份", "price": 4000},
            ],
            "fee_without_tax": 10000,
            "tax": 1300,
            "s_pdf_media_id": vat_media,
            "check_code": "12345678901234567890",
            "buyer_number": COMPANY["tax_no"],
            "buyer_address_and_phone": "深圳市南山区科技园 0755-12345678",
            "buyer_bank_account": "招商银行 755900000000001",
            "seller_number": "91440300MA5SELLER1",
            "seller_address_and_phone": "深圳市福田区 0755-87654321",
            "seller_bank_account": "中国银行 745700000000002",
            "remarks": "wechatpy interop",
            "cashier": "李四",
            "maker": "王五",
        }
    },
}
vat = platform.invoice.insert(VAT_ORDER, card_id, merchant.appid, vat_ext)
out["vat_insert"] = vat
out["vat_replay"] = platform.invoice.insert(VAT_ORDER, card_id, merchant.appid, vat_ext)

digital_ext = {
    "nonce_str": "wechatpy-nonce-digital-0001",
    "user_card": {
        "invoice_user_data": {
            "fee": 5000,
            "title": PERSON["title"],
            "billing_time": NOW + 60,
            "billing_no": "24442000000012345678",
            "billing_code": "",
            "check_code": "",
            "info": [{"name": "美式咖啡", "num": 2, "unit": "杯", "price": 2212}],
            "fee_without_tax": 4425,
            "tax": 575,
            "s_pdf_media_id": digital_media,
        }
    },
}
digital = platform.invoice.insert(DIGITAL_ORDER, card_id, merchant.appid, digital_ext)
out["digital_insert"] = digital

# --- The PDF link the platform gets serves the uploaded bytes. --------------
pdf = platform.invoice.get_pdf(vat_media)
status, content_type, body = download(pdf["pdf_url"])
out["get_pdf"] = {
    "errcode": pdf["errcode"],
    "pdf_url_expire_time": pdf.get("pdf_url_expire_time"),
    "download_status": status,
    "content_type": content_type,
    "same_bytes": body == vat_pdf_bytes,
}

# --- Red letter: the platform cancels the 数电 card. -------------------------
out["cancel"] = platform.invoice.update_status(
    card_id, digital["code"], "INVOICE_REIMBURSE_CANCEL"
)["errcode"]

# --- A reimburser gets the VAT invoice's encrypt_code from the invoice chooser
# (here: the card package on the control API) and reimburses it. ------------
cards = {c["code"]: c for c in control("GET", "/users/" + OPENID + "/cards")}
vat_encrypt = cards[vat["code"]]["encrypt_code"]
digital_encrypt = cards[digital["code"]]["encrypt_code"]
out["decrypt_code"] = reimburser.card.decrypt_code(vat_encrypt)
info = reimburser.invoice.get_reimburse(card_id, vat_encrypt)
user_info = info["user_info"]
status, _, body = download(user_info["pdf_url"])
out["reimburse_info"] = {
    "card_id": info["card_id"],
    "openid": info["openid"],
    "type": info["type"],
    "payee": info["payee"],
    "detail": info["detail"],
    "user_card_status": info["user_card_status"],
    "title": user_info["title"],
    "fee": user_info["fee"],
    "billing_code": user_info["billing_code"],
    "billing_no": user_info["billing_no"],
    "check_code": user_info.get("check_code"),
    "info": user_info["info"],
    "reimburse_status": user_info["reimburse_status"],
    "pdf_same_bytes": status == 200 and body == vat_pdf_bytes,
}
out["closure_before_lock"] = errcode_of(
    lambda: reimburser.invoice.update_reimburse(
        card_id, vat_encrypt, "INVOICE_REIMBURSE_CLOSURE"
    )
)
out["lock"] = reimburser.invoice.update_reimburse(
    card_id, vat_encrypt, "INVOICE_REIMBURSE_LOCK"
)["errcode"]
out["status_after_lock"] = reimburser.invoice.get_reimburse(card_id, vat_encrypt)[
    "user_info"
]["reimburse_status"]
out["closure"] = reimburser.invoice.batch_update_reimburse(
    info["openid"],
    "INVOICE_REIMBURSE_CLOSURE",
    [{"card_id": card_id, "encrypt_code": vat_encrypt}],
)["errcode"]
out["lock_cancelled"] = errcode_of(
    lambda: reimburser.invoice.update_reimburse(
        card_id, digital_encrypt, "INVOICE_REIMBURSE_LOCK"
    )
)

# --- The merchant refuses the third order; the platform cannot insert it. ---
out["reject"] = merchant.invoice.reject_insert(
    s_pappid, REJECTED_ORDER, "订单已退款", redirect_url=REDIRECT
)["errcode"]
out["rejected_status"] = merchant.invoice.get_auth_data(s_pappid, REJECTED_ORDER)[
    "invoice_status"
]
rejected_ext = {
    "nonce_str": "wechatpy-nonce-rejected-0001",
    "user_card": {
        "invoice_user_data": {
            "fee": 100,
            "title": PERSON["title"],
            "billing_time": NOW + 120,
            "billing_no": "24442000000012345679",
            "billing_code": "",
            "check_code": "",
            "info": [{"name": "矿泉水", "num": 1, "unit": "瓶", "price": 100}],
            "s_pdf_media_id": rejected_media,
        }
    },
}
out["insert_rejected"] = errcode_of(
    lambda: platform.invoice.insert(REJECTED_ORDER, card_id, merchant.appid, rejected_ext)
)

json.dump(out, sys.stdout, ensure_ascii=False)
