"""Drives kabao's taxi invoice family (/v3/taxi-invoice/*) with the unmodified
wechatpayv3 SDK (PyPI), changing only its base URL. The SDK has no taxi
helpers, so every call goes through its generic signed request
(`WeChatPay._core.request`), as an integrator would write it; the SDK checks
every answer's signature itself.

The SDK runs in platform-public-key mode: it encrypts the driver's name and ID
number with kabao's platform public key (`_core.encrypt`), names the key in
Wechatpay-Serial (`cipher_data=True`), and decrypts the name kabao answers with
the merchant key (`decrypt`).

Two phases, so the test can record a passenger's ride on the control API in
between: "fleet" (T1-T7) and "trip" (T8-T11). Arguments come as one JSON
object on argv[1]; the result is one JSON object on stdout.
"""
import json
import os
import sys
from urllib.parse import quote, urlencode

from wechatpayv3 import WeChatPay, WeChatPayType
from wechatpayv3.type import RequestType
from wechatpayv3.utils import sm3

args = json.loads(sys.argv[1])

wxpay = WeChatPay(
    wechatpay_type=WeChatPayType.NATIVE,
    mchid=args["mchid"],
    private_key=open(args["key_file"]).read(),
    cert_serial_no=args["serial"],
    apiv3_key=args["apiv3_key"],
    appid=args["appid"],
    notify_url="https://example.invalid/notify",
    partner_mode=True,
    public_key=args["public_key_pem"],
    public_key_id=args["public_key_id"],
)
wxpay._core._gate_way = args["base_url"]  # the one change: kabao instead of api.mch.weixin.qq.com
core = wxpay._core
region_id = args["region_id"]


def answer(pair):
    code, text = pair
    if isinstance(text, bytes):
        text = text.decode()
    return [code, json.loads(text) if text else None]


def get(path, **query):
    return answer(core.request(path + "?" + urlencode(query)))


def post(path, body, cipher_data=False):
    return answer(core.request(path, method=RequestType.POST, data=body, cipher_data=cipher_data))


def fleet():
    """T1 company, T2 read, T3 taxi, T4 read, T5 driver (encrypted), T6 read, T7 sign-in."""
    result = {}
    result["company"] = post("/v3/taxi-invoice/taxi-company/create-taxi-company", {
        "company_name": args["company_name"], "tax_id": "91310000MA1FL0000X",
        "address": "上海市静安区南京西路1000号", "phone": "02161580000", "bank_name": "中国工商银行上海分行",
        "bank_account": "1001234567890123", "invoice_mode": "JIAO_WEI", "legal_person": "张三",
        "short_name": "强生", "region_id": region_id, "enterprise_type": "ENTERPRISE",
    })
    company_mchid = result["company"][1]["mchid"]
    result["company_read"] = get("/v3/taxi-invoice/taxi-companies/" + company_mchid, region_id=region_id)
    result["taxi"] = post("/v3/taxi-invoice/taxi/update-taxi", {
        "plate_number": args["plate_number"], "company_name": args["company_name"], "mchid": company_mchid,
        "main_license": args["driver_license"], "region_id": region_id, "invoice_flag": "INVOICE",
        "taxi_state": "IN_OPERATION",
    })
    # The path carries the plate percent-encoded; the signature covers it as sent.
    result["taxi_read"] = get("/v3/taxi-invoice/taxies/" + quote(args["plate_number"]), region_id=region_id)
    result["driver"] = post("/v3/taxi-invoice/driver/update-driver", {
        "driver_name": core.encrypt(args["driver_name"]),
        "id_card_number": core.encrypt("310101198001010011"),
        "company_name": args["company_name"], "mchid": company_mchid, "driver_license": args["driver_license"],
        "driver_category": "MAIN", "driver_status": "ON_DUTY", "region_id": region_id,
    }, cipher_data=True)
    result["driver_name_echo"] = wxpay.decrypt(result["driver"][1]["driver_name"])
    result["driver_read"] = get("/v3/taxi-invoice/drivers/" + quote(args["driver_license"]), region_id=region_id)
    result["driver_name"] = wxpay.decrypt(result["driver_read"][1]["driver_name"])
    result["punch"] = post("/v3/taxi-invoice/attendance/punch", {
        "plate_number": args["plate_number"], "driver_license": args["driver_license"],
        "event_time": args["event_time"], "event_type": "SIGN_IN", "region_id": region_id,
    })
    return result


def upload_file(path, company_mchid):
    """T10, written the way wechatpayv3's fapiao_upload_file uploads: the meta
    part as a form field, the signature over meta, the PDF as the file part."""
    with open(path, mode="rb") as f:
        content = f.read()
    meta = json.dumps({"company_mchid": company_mchid, "digest": sm3(content),
                       "digest_algorithm": "DIGEST_ALGORITHM_SM3", "region_id": region_id})
    files = [("file", (os.path.basename(path), content, "application/pdf"))]
    return answer(core.request("/v3/taxi-invoice/cards/upload-file", method=RequestType.POST,
                               data={"meta": meta}, sign_data=meta, files=files))


def trip():
    """T8 list, T9 find-by-token, T10 upload, T11 insert (twice: the replay)."""
    result = {}
    token, company_mchid = args["token"], args["company_mchid"]
    user = {"openid": args["openid"], "appid": args["appid"]}
    result["orders"] = get("/v3/taxi-invoice/user-taxi-orders", begin_date=args["date"], end_date=args["date"],
                           region_id=region_id, offset=0, limit=10, **user)
    result["by_token"] = get("/v3/taxi-invoice/user-taxi-order/find-by-token", token=token, region_id=region_id,
                             auth_mode="ORDER_AUTH", **user)
    result["upload"] = upload_file(args["pdf_path"], company_mchid)
    card = {
        "company_mchid": company_mchid, "token": token, "region_id": region_id, **user,
        "fapiao_card_information": {
            "fapiao_media_id": result["upload"][1]["fapiao_media_id"], "fapiao_number": "12897794",
            "fapiao_code": "044001911211", "fapiao_time": "2020-07-01T12:00:00+08:00",
            "check_code": "69001808340631374774", "password": "006>299-375/326>2+7/*0-+<351059<80<4*/5>",
            "total_amount": 5450, "tax_amount": 159, "amount": 5291,
            "buyer_information": {"type": "INDIVIDUAL", "name": "张三"},
            "seller_information": {"name": args["company_name"], "taxpayer_id": "91310000MA1FL0000X",
                                   "address": "上海市静安区南京西路1000号"},
            "extra_information": {"drawer": "王五"},
            "items": [{"tax_code": "3010101020203000000", "goods_name": "出租汽车客运服务", "unit": "次",
                       "quantity": 100000000, "unit_price": 5291000000, "amount": 5291, "tax_amount": 159,
                       "total_amount": 5450, "tax_rate": 300, "tax_prefer_mark": "NO_FAVORABLE",
                       "discount": False}],
        },
    }
    result["card"] = post("/v3/taxi-invoice/cards", card)
    result["card_again"] = post("/v3/taxi-invoice/cards", card)
    return result


phases = {"fleet": fleet, "trip": trip}
print(json.dumps(phases[args["phase"]](), ensure_ascii=False))
