"""Drives kabao's fapiao family with the unmodified wechatpayv3 SDK (PyPI),
changing only its base URL: setup, both issuing scenes, query, files,
reverse, a self-issued upload with insert-cards. Callbacks are received by a
small HTTP server here and decrypted with the SDK's own callback helper.

Arguments come as one JSON object on argv[1]; the result is one JSON object
on stdout.
"""
import json
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

from wechatpayv3 import WeChatPay, WeChatPayType

args = json.loads(sys.argv[1])

wxpay = WeChatPay(
    wechatpay_type=WeChatPayType.NATIVE,
    mchid=args["mchid"],
    private_key=open(args["key_file"]).read(),
    cert_serial_no=args["serial"],
    apiv3_key=args["apiv3_key"],
    appid=args["appid"],
    notify_url="https://example.invalid/notify",
    public_key=args["public_key_pem"],
    public_key_id=args["public_key_id"],
)
wxpay._core._gate_way = args["base_url"]  # the one change: kabao instead of api.mch.weixin.qq.com

callbacks = []
callbacks_lock = threading.Lock()


class Receiver(BaseHTTPRequestHandler):
    """The merchant's callback_url: every callback goes through wxpay.callback."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        headers = {k: v for k, v in self.headers.items()}
        event = wxpay.callback(headers, body)
        with callbacks_lock:
            callbacks.append(event)
        self.send_response(200 if event else 400)
        self.end_headers()

    def log_message(self, *_):
        pass


server = HTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
callback_url = "http://127.0.0.1:%d/fapiao-callbacks" % server.server_address[1]


def admin(method, path, body=None):
    request = urllib.request.Request(
        args["base_url"] + "/_kabao/api" + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + args["admin_token"], "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"null")


def wait_for(event_type, apply_id, count=1, timeout=20):
    """The decrypted callbacks of one type for one application, once `count` arrived."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        with callbacks_lock:
            found = [
                c for c in callbacks
                if c and c["event_type"] == event_type and c["resource"].get("fapiao_apply_id") == apply_id
            ]
        if len(found) >= count:
            return found
        time.sleep(0.05)
    raise Exception("no %s callback for %s within %d s (got %s)" % (event_type, apply_id, timeout, callbacks))


def answer(pair):
    code, text = pair
    return code, (json.loads(text) if text else None)


result = {}
result["set_config"] = answer(wxpay.fapiao_set_merchant_config(callback_url=callback_url))
result["config"] = answer(wxpay.fapiao_merchant_config())
result["card_template"] = answer(wxpay.fapiao_card_template(
    card_appid=args["appid"],
    card_template_information={"payee_name": "kabao 测试商户", "logo_url": "https://example.invalid/logo.png",
                               "custom_cell": {"words": "查看详情", "description": "订单详情",
                                               "jump_url": "https://example.invalid/order"}},
))
result["base_info"] = answer(wxpay.fapiao_merchant_base_info())
result["tax_codes"] = answer(wxpay.fapiao_tax_codes(offset=0, limit=5))

items = [{"tax_code": "3010101020203000000", "goods_category": "运输服务", "goods_name": "出租汽车客运服务",
          "quantity": 100000000, "total_amount": 429900, "tax_rate": 1300, "tax_prefer_mark": "NO_FAVORABLE",
          "discount": False}]

# WITH_WECHATPAY: a paid order made through the control API.
order = admin("POST", "/fapiao/pay-orders", {"mchid": args["mchid"], "amount": 429900,
                                             "appid": args["appid"], "openid": args["openid"]})
paid_id = order["transaction_id"]
result["issue_with"] = answer(wxpay.fapiao_applications(
    fapiao_apply_id=paid_id,
    buyer_information={"type": "INDIVIDUAL", "name": "张三", "phone": "13800000000", "email": "zs@example.com"},
    fapiao_information=[{"fapiao_id": "F" + paid_id[-20:], "total_amount": 429900, "need_list": False, "items": items}],
    scene="WITH_WECHATPAY",
))
result["issued_callback"] = wait_for("FAPIAO.ISSUED", paid_id)[0]
result["inserted_callback"] = wait_for("FAPIAO.CARD_INSERTED", paid_id)[0]
result["query_with"] = answer(wxpay.fapiao_query(fapiao_apply_id=paid_id))
result["files"] = answer(wxpay.fapiao_query_files(fapiao_apply_id=paid_id))

# WITHOUT_WECHATPAY: the user fills in the title first.
title_id = "T" + paid_id[-20:]
result["title_url"] = answer(wxpay.fapiao_title_url(fapiao_apply_id=title_id, source="WEB", total_amount=429900,
                                                    openid=args["openid"], appid=args["appid"],
                                                    show_phone_cell=True))
link_key = result["title_url"][1]["title_url"].rstrip("/").split("/")[-1]
buyer = {"type": "ORGANIZATION", "name": "深圳市南山区测试企业", "taxpayer_id": "91440300MA5EXAMPLE"}
admin("POST", "/fapiao/titles/" + link_key, dict(buyer, phone="13900000000"))
result["applied_callback"] = wait_for("FAPIAO.USER_APPLIED", title_id)[0]
code, title = answer(wxpay.fapiao_title(fapiao_apply_id=title_id, scene="WITHOUT_WECHATPAY"))
result["title"] = [code, title]
result["title_phone"] = wxpay.decrypt(title["phone"]) if title and title.get("phone") else None
result["issue_without"] = answer(wxpay.fapiao_applications(
    fapiao_apply_id=title_id, buyer_information=dict(buyer),
    fapiao_information=[{"fapiao_id": "G" + paid_id[-20:], "total_amount": 429900, "need_list": False, "items": items}],
    scene="WITHOUT_WECHATPAY",
))
wait_for("FAPIAO.CARD_INSERTED", title_id)

# Reverse the first one.
blue = result["query_with"][1]["fapiao_information"][0]["blue_fapiao"]
result["reverse"] = answer(wxpay.fapiao_reverse(
    fapiao_apply_id=paid_id, reverse_reason="SALES_RETURN",
    fapiao_information=[{"fapiao_id": "F" + paid_id[-20:], "fapiao_code": blue["fapiao_code"],
                         "fapiao_number": blue["fapiao_number"]}],
))
result["reversed_callback"] = wait_for("FAPIAO.REVERSED", paid_id)[0]
result["discarded_callback"] = wait_for("FAPIAO.CARD_DISCARDED", paid_id)[0]
result["query_reversed"] = answer(wxpay.fapiao_query(fapiao_apply_id=paid_id))

# Self-issued: upload a PDF, insert it into the card package.
result["upload"] = answer(wxpay.fapiao_upload_file(args["pdf_path"]))
second = admin("POST", "/fapiao/pay-orders", {"mchid": args["mchid"], "amount": 10000,
                                              "appid": args["appid"], "openid": args["openid"]})
self_id = second["transaction_id"]
result["insert_cards"] = answer(wxpay.fapiao_insert_cards(
    fapiao_apply_id=self_id,
    buyer_information={"type": "INDIVIDUAL", "name": "张三"},
    fapiao_card_information=[{
        "fapiao_media_id": result["upload"][1]["fapiao_media_id"], "fapiao_number": "12345678",
        "fapiao_code": "044001911211", "fapiao_time": "2026-11-23T12:00:00+08:00",
        "check_code": "69001808340631374774", "password": "0671*0/6", "total_amount": 10000,
        "tax_amount": 1150, "amount": 8850,
        "seller_information": {"name": "kabao 测试商户", "taxpayer_id": "91440300MA5SELLER", "address": "深圳"},
        "extra_information": {"drawer": "李四"},
        "items": [{"tax_code": "3010101020203000000", "goods_name": "出租汽车客运服务", "quantity": 100000000,
                   "unit_price": 8850000000, "amount": 8850, "tax_amount": 1150, "total_amount": 10000,
                   "tax_rate": 1300, "tax_prefer_mark": "NO_FAVORABLE", "discount": False}],
    }],
    scene="WITH_WECHATPAY",
))
result["self_inserted_callback"] = wait_for("FAPIAO.CARD_INSERTED", self_id)[0]
result["query_self"] = answer(wxpay.fapiao_query(fapiao_apply_id=self_id))

server.shutdown()
print(json.dumps(result, ensure_ascii=False))
